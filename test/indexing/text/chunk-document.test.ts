import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeProcessRule } from '../../../src/domain/documents/process-rule.ts';
import { cleanText } from '../../../src/indexing/text/clean.ts';
import { chunkDocument, contentHash, countCharacters } from '../../../src/indexing/text/chunk-document.ts';
import { extractKeywords } from '../../../src/indexing/text/keywords.ts';

const custom = (separator: string, maxTokens: number, chunkOverlap = 0, pre: { id: string; enabled: boolean }[] = []) =>
  normalizeProcessRule('custom', { pre_processing_rules: pre, segmentation: { separator, max_tokens: maxTokens, chunk_overlap: chunkOverlap } });

describe('cleaning', () => {
  it('always drops control characters, the BOM and U+FFFE, and rewrites <| |>, but keeps ï ¿ ¾', () => {
    expect(cleanText('\uFEFFa\x00b\x07c\uFFFE<|x|> naïve ¿qué? ¾', { removeExtraSpaces: false, removeUrlsEmails: false })).toBe(
      'abc<x> naïve ¿qué? ¾',
    );
  });
  it('remove_extra_spaces collapses blank lines and horizontal runs (NBSP, ideographic space), not single newlines', () => {
    expect(cleanText('a\n\n\n\nb  c\u00a0\u00a0d\u3000\u3000e\nf', { removeExtraSpaces: true, removeUrlsEmails: false })).toBe('a\n\nb c d e\nf');
  });
  it('remove_urls_emails drops addresses but keeps link and image text', () => {
    expect(
      cleanText('Mail me@example.com, see [the docs](https://x.io/a) and ![a chart](https://x.io/c.png) or https://y.io/z now', {
        removeExtraSpaces: false,
        removeUrlsEmails: true,
      }),
    ).toBe('Mail , see the docs and a chart or  now');
  });
});

describe('splitting', () => {
  it('custom mode: one chunk per piece, never merged', () => {
    const chunks = chunkDocument(['line one\nline two\n\nline three'], custom('\\n', 100));
    expect(chunks.map((c) => c.content)).toEqual(['line one', 'line two', 'line three']);
  });
  it('custom mode: non-ASCII separators work (。 and 第), and /regex/ separators', () => {
    expect(chunkDocument(['第一句话。第二句话。'], custom('。', 100)).map((c) => c.content)).toEqual(['第一句话', '第二句话']);
    expect(chunkDocument(['序第1章甲第2章乙'], custom('第', 100)).map((c) => c.content)).toEqual(['序', '1章甲', '2章乙']);
    expect(chunkDocument(['a1b22c'], custom('/\\d+/', 100)).map((c) => c.content)).toEqual(['a', 'b', 'c']);
    expect(chunkDocument(['a.b.c'], custom('.', 100)).map((c) => c.content)).toEqual(['a', 'b', 'c']);
  });
  it('automatic mode: chunks of at most 500 code points with whole-piece overlaps; CJK sentences split on 。！？', () => {
    const sentences = Array.from({ length: 60 }, (_, i) => `这是第${i}句话，内容关于索引！`);
    const chunks = chunkDocument([sentences.join('')], normalizeProcessRule('automatic', null));
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(countCharacters(c.content)).toBeLessThanOrEqual(500);
    expect(chunks[0]?.content.endsWith('！')).toBe(true);
    const emoji = chunkDocument(['😀'.repeat(700)], normalizeProcessRule('automatic', null));
    expect(countCharacters(emoji[0]?.content ?? '')).toBeLessThanOrEqual(500);
  });
  it('long custom pieces are split recursively with overlap', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    const chunks = chunkDocument([words], custom('\\n', 50, 10));
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) expect(countCharacters(c.content)).toBeLessThanOrEqual(50);
    const [a, b] = chunks;
    // The next chunk starts with whole words from the end of the previous one.
    const shared = b?.content.split(' ')[0] ?? '';
    expect(a?.content.split(' ').slice(-3)).toContain(shared);
  });
  it('refuses lengths outside 50–4000 and overlaps larger than the size, with Dify\'s messages', () => {
    expect(() => chunkDocument(['x'], custom('\\n', 10))).toThrow('Custom segment length should be between 50 and 4000.');
    expect(() => chunkDocument(['x'], custom('\\n', 100, 200))).toThrow('Got a larger chunk overlap (200) than chunk size (100), should be smaller.');
  });
  it('hierarchical paragraph and full-doc modes produce parents with children; full-doc is not cleaned', () => {
    const rule = (parentMode: string) =>
      normalizeProcessRule('hierarchical', {
        pre_processing_rules: [{ id: 'remove_extra_spaces', enabled: true }],
        parent_mode: parentMode,
        segmentation: { separator: '\\n\\n', max_tokens: 500 },
        subchunk_segmentation: { separator: '\\n', max_tokens: 100 },
      });
    const text = 'p1 a\np1  b\n\np2 a';
    expect(chunkDocument([text], rule('paragraph'))).toEqual([
      { content: 'p1 a\np1 b', children: ['p1 a', 'p1 b'] },
      { content: 'p2 a', children: ['p2 a'] },
    ]);
    expect(chunkDocument([text, 'part two'], rule('full-doc'))).toEqual([
      { content: 'p1 a\np1  b\n\np2 a\npart two', children: ['p1 a', 'p1  b', 'p2 a', 'part two'] },
    ]);
  });
  it('strips leading punctuation from paragraph chunks; contentHash is sha256(text + "None")', () => {
    expect(chunkDocument(['。、"#Hello'], custom('\\n', 100)).map((c) => c.content)).toEqual(['Hello']);
    expect(contentHash('abc')).toBe(createHash('sha256').update('abcNone').digest('hex'));
  });
});

describe('keywords', () => {
  it('finds content words in English, Chinese and Japanese text', () => {
    expect(extractKeywords('The gateway indexes documents. Indexing documents makes documents searchable.', 3)).toEqual([
      'documents',
      'searchable',
      'indexing',
    ]);
    expect(extractKeywords('北京是中国的首都，北京有很多名胜古迹。', 3)).toContain('北京');
    expect(extractKeywords('東京は日本の首都です。東京タワーが有名です。', 3)).toContain('東京');
  });
});
