import { describe, expect, it } from 'vitest';
import { customSplit } from '../../../src/indexing/text/split/custom.ts';
import { codePointLength } from '../../../src/indexing/text/split/length.ts';
import { mergePieces } from '../../../src/indexing/text/split/merge.ts';
import { packCharacters } from '../../../src/indexing/text/split/pack.ts';
import { splitCharacters } from '../../../src/indexing/text/split/pieces.ts';
import { recursiveSplit } from '../../../src/indexing/text/split/recursive.ts';

const pad = (i: number) => String(i).padStart(2, '0');

describe('mergePieces', () => {
  it('joins pieces up to the size and overlaps with whole pieces only', () => {
    expect(mergePieces(['aaaa ', 'bbbb ', 'cccc ', 'dddd ', 'eeee'], 12, 6)).toEqual(['aaaa bbbb', 'bbbb cccc', 'cccc dddd', 'dddd eeee']);
    // An overlap smaller than one piece carries nothing over.
    expect(mergePieces(['aaaa ', 'bbbb ', 'cccc ', 'dddd'], 12, 4)).toEqual(['aaaa bbbb', 'cccc dddd']);
  });

  it('trims chunks and skips blank ones', () => {
    expect(mergePieces(['  ', ' x ', '   '], 3, 0)).toEqual(['x']);
  });
});

describe('splitCharacters', () => {
  it('keeps grapheme clusters whole, also across the segmentation windows of long text', () => {
    const family = '👨‍👩‍👧'; // 5 code points, 8 UTF-16 units
    const text = `ab${family.repeat(300)}e\u0301${'🇯🇵'.repeat(200)}`;
    expect(splitCharacters(text, 10)).toEqual(['a', 'b', ...Array(300).fill(family), 'e\u0301', ...Array(200).fill('🇯🇵')]);
  });

  it('breaks a cluster longer than the size into code points', () => {
    expect(splitCharacters('👨‍👩‍👧x', 4)).toEqual(['👨', '\u200d', '👩', '\u200d', '👧', 'x']);
  });
});

describe('packCharacters', () => {
  it('fills size - overlap, then an overlap buffer up to size, which starts the next chunk', () => {
    const text = 'abcdefghij'.repeat(12);
    expect(packCharacters([...text], 50, 10)).toEqual([text.slice(0, 50), text.slice(40, 90), text.slice(80, 120)]);
    expect(packCharacters([...'abcdefg'], 3, 0)).toEqual(['abc', 'def', 'g']);
  });
});

describe('recursiveSplit (automatic cascade)', () => {
  it('prefers blank lines, keeping each separator at the end of its piece', () => {
    expect(recursiveSplit('first paragraph\n\nsecond one', 20, 0)).toEqual(['first paragraph', 'second one']);
  });

  it('merges English sentences into chunks of at most the size, overlapping by whole sentences', () => {
    const sentences = Array.from({ length: 30 }, (_, i) => `Sentence number ${pad(i)} is here. `);
    const chunks = recursiveSplit(sentences.join('').trim(), 500, 50);
    // 28 characters per sentence: 17 fit in 500, one fits in the 50-character overlap.
    expect(chunks).toEqual([sentences.slice(0, 17).join('').trim(), sentences.slice(16).join('').trim()]);
  });

  it('splits Chinese on every 。！？ and keeps the punctuation with its sentence', () => {
    const ends = ['。', '！', '？'];
    const sentences = Array.from({ length: 40 }, (_, i) => `这是第${pad(i)}个句子，用来测试中文的分句效果${ends[i % 3]}`);
    const chunks = recursiveSplit(sentences.join(''), 500, 50);
    // 21 characters per sentence: 23 fit in 500, two fit in the overlap.
    expect(chunks).toEqual([sentences.slice(0, 23).join(''), sentences.slice(21).join('')]);
  });

  it('splits Japanese on 。？！ and keeps a closing 」 with its sentence', () => {
    const text = '彼は「今日は晴れです。」と言った。明日は雨でしょうか？はい、そうです！';
    expect(recursiveSplit(text, 20, 0)).toEqual(['彼は「今日は晴れです。」と言った。', '明日は雨でしょうか？はい、そうです！']);
    expect(recursiveSplit('全角の句読点；それから次。', 8, 0)).toEqual(['全角の句読点；', 'それから次。']);
  });

  it('counts astral characters (emoji) as one character', () => {
    const chunks = recursiveSplit('😀'.repeat(1200), 500, 50);
    expect(chunks.map(codePointLength)).toEqual([500, 500, 300]);
    expect(chunks[0]?.length).toBe(1000); // UTF-16 units
  });

  it('never cuts inside a grapheme cluster such as a ZWJ emoji sequence', () => {
    const family = '👨‍👩‍👧'; // 5 code points
    const chunks = recursiveSplit(family.repeat(150), 500, 50);
    expect(chunks).toEqual([family.repeat(100), family.repeat(60)]);
  });

  it('falls back to words, then characters, for pieces that are too long', () => {
    const words = Array.from({ length: 12 }, (_, i) => `word${pad(i)}`).join(' ');
    // Each word carries its space: three make 21 characters.
    expect(recursiveSplit(words, 21, 0)).toEqual(['word00 word01 word02', 'word03 word04 word05', 'word06 word07 word08', 'word09 word10 word11']);
    expect(recursiveSplit('x'.repeat(25), 10, 2)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(9)]);
  });
});

describe('customSplit', () => {
  it('gives one chunk per piece, never merging pieces', () => {
    expect(customSplit('line one\nline two\n\nline three', '\\n', 100, 0)).toEqual(['line one', 'line two', '', 'line three']);
    expect(customSplit('line one\nline two', '\n', 100, 0)).toEqual(['line one', 'line two']);
  });

  it('splits on non-ASCII separators', () => {
    expect(customSplit('第一句话。第二句话。', '。', 100, 0)).toEqual(['第一句话', '第二句话', '']);
    expect(customSplit('序第1章甲第2章乙', '第', 100, 0)).toEqual(['序', '1章甲', '2章乙']);
    expect(customSplit('【一】甲【二】乙', '【', 100, 0)).toEqual(['', '一】甲', '二】乙']);
    expect(customSplit('一。二', '\\u3002', 100, 0)).toEqual(['一', '二']);
  });

  it('splits literally on separators that are regex syntax', () => {
    expect(customSplit('a.b.c', '.', 100, 0)).toEqual(['a', 'b', 'c']);
    expect(customSplit('x***y***z', '***', 100, 0)).toEqual(['x', 'y', 'z']);
    expect(customSplit('p1 l1\np1 l2\n\np2', '\\n\\n', 100, 0)).toEqual(['p1 l1\np1 l2', 'p2']);
    expect(customSplit('a/+/b', '/+/', 100, 0)).toEqual(['a', 'b']);
  });

  it('splits on /regex/ separators without splicing in capture groups', () => {
    expect(customSplit('1. alpha 2. beta 10. gamma', '/\\d+\\. /', 100, 0)).toEqual(['', 'alpha ', 'beta ', 'gamma']);
    expect(customSplit('a1b22c', '/(\\d)+/', 100, 0)).toEqual(['a', 'b', 'c']);
    expect(customSplit('CHAPTER 1 intro Chapter 2 body', '/chapter \\d+ /i', 100, 0)).toEqual(['', 'intro ', 'body']);
    // A lookahead cuts before each heading and keeps it.
    expect(customSplit('序言第一章内容第二章内容', '/(?=第.章)/', 100, 0)).toEqual(['序言', '第一章内容', '第二章内容']);
  });

  it('keeps a piece of exactly max_tokens whole', () => {
    expect(customSplit(`${'x'.repeat(50)}\ny`, '\\n', 50, 0)).toEqual(['x'.repeat(50), 'y']);
  });

  it('splits longer pieces recursively: words merged with whole-word overlap', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${pad(i)}`);
    const chunks = customSplit(`short line\n${words.join(' ')}`, '\\n', 50, 10);
    // Four characters per word with its space: 12 words fill 48 of 50, two words make the overlap.
    const expected = [0, 10, 20, 30, 40, 50].map((start) => words.slice(start, start + 12).join(' '));
    expect(chunks).toEqual(['short line', ...expected]);
  });

  it('packs characters when a long piece has no separator at all', () => {
    const text = 'abcdefghij'.repeat(12);
    expect(customSplit(text, '\\n', 50, 10)).toEqual([text.slice(0, 50), text.slice(40, 90), text.slice(80, 120)]);
    expect(customSplit('😀'.repeat(120), '\\n', 50, 10).map(codePointLength)).toEqual([50, 50, 40]);
  });
});
