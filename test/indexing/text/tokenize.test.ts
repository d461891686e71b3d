import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/indexing/text/tokenize.ts';

describe('tokenize', () => {
  it('cuts English, Chinese and Japanese into lower-case words', () => {
    expect(tokenize('Hello, World-wide WEB')).toEqual(['hello', 'world', 'wide', 'web']);
    expect(tokenize('我爱北京天安门')).toEqual(['我', '爱', '北京', '天安门']);
    expect(tokenize('東京に住んでいます')).toContain('東京');
  });

  it('gives long text the same terms as its sentences one by one (it is cut into blocks at boundaries)', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog. ';
    const zh = '知识库会把文档切分成片段并建立索引，检索时返回最相关的片段。';
    expect(tokenize(sentence.repeat(300))).toEqual(Array.from({ length: 300 }, () => tokenize(sentence)).flat());
    expect(tokenize(zh.repeat(300))).toEqual(Array.from({ length: 300 }, () => tokenize(zh)).flat());
  });

  it('handles text with no boundary at all', () => {
    expect(tokenize('a'.repeat(4500)).join('')).toBe('a'.repeat(4500));
    expect(tokenize('😀'.repeat(3000))).toEqual([]);
  });
});
