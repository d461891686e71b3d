import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  chunkDocument,
  contentHash,
  countCharacters,
  type NormalizedProcessRule,
  type Segmentation,
  SegmentationError,
  splitChildren,
} from '../../../src/indexing/text/chunk-document.ts';

const NO_CLEANING = { removeExtraSpaces: false, removeUrlsEmails: false };
const seg = (separator: string, maxTokens: number, chunkOverlap = 0): Segmentation => ({ separator, maxTokens, chunkOverlap });

const automatic: NormalizedProcessRule = {
  mode: 'automatic',
  preProcessing: NO_CLEANING,
  segmentation: seg('\n', 500, 50),
  parentMode: null,
  subchunk: null,
};
const custom = (segmentation: Segmentation, preProcessing = NO_CLEANING): NormalizedProcessRule => ({
  mode: 'custom',
  preProcessing,
  segmentation,
  parentMode: null,
  subchunk: null,
});
const hierarchical = (
  parentMode: 'paragraph' | 'full-doc',
  segmentation: Segmentation,
  subchunk: Segmentation | null,
  preProcessing = { removeExtraSpaces: true, removeUrlsEmails: true },
): NormalizedProcessRule => ({ mode: 'hierarchical', preProcessing, segmentation, parentMode, subchunk });

const contents = (chunks: { content: string }[]) => chunks.map((c) => c.content);

describe('chunkDocument: automatic mode', () => {
  it('cleans with the automatic rules (spaces on, URLs off) whatever the rule says', () => {
    const rule = { ...automatic, preProcessing: { removeExtraSpaces: false, removeUrlsEmails: true } };
    expect(chunkDocument(['a  b\n\n\n\nsee https://x.io'], rule)).toEqual([{ content: 'a b\n\nsee https://x.io', children: [] }]);
  });

  it('splits each part into chunks of at most 500 characters with whole-piece overlaps', () => {
    const paragraph = (p: number) =>
      Array.from({ length: 12 }, (_, i) => `Paragraph ${p} sentence ${i} talks about indexing.`).join(' ');
    const text = [0, 1, 2, 3].map(paragraph).join('\n\n');
    const chunks = contents(chunkDocument([text, 'second part'], automatic));
    expect(chunks.at(-1)).toBe('second part');
    const fromText = chunks.slice(0, -1);
    expect(fromText.length).toBeGreaterThan(4);
    for (const chunk of fromText) {
      expect(countCharacters(chunk)).toBeLessThanOrEqual(500);
      expect(chunk).toMatch(/^Paragraph \d sentence \d+ talks about indexing\.( |$)/);
      expect(chunk.endsWith('indexing.')).toBe(true);
    }
    // Each paragraph is too long for one chunk, so it is split on ". " with overlapping whole sentences.
    const [first, second] = fromText;
    const lastSentence = first?.split('. ').at(-1);
    expect(second?.startsWith(lastSentence ?? '-')).toBe(true);
  });

  it('splits Chinese and Japanese paragraphs on 。！？', () => {
    const zh = Array.from({ length: 30 }, (_, i) => `第${i}条：知识库会把文档切分成片段并建立索引${'。！？'[i % 3]}`).join('');
    const chunks = contents(chunkDocument([zh], automatic));
    expect(chunks.length).toBe(2);
    for (const chunk of chunks) {
      expect(countCharacters(chunk)).toBeLessThanOrEqual(500);
      expect(chunk).toMatch(/^第\d+条/);
      expect(chunk).toMatch(/[。！？]$/);
    }
    const ja = `${'東京は日本の首都です。'.repeat(30)}本当ですか？${'はい、そうです！'.repeat(30)}`;
    for (const chunk of contents(chunkDocument([ja], automatic))) {
      expect(countCharacters(chunk)).toBeLessThanOrEqual(500);
      expect(chunk).toMatch(/[。！？]$/);
    }
  });

  it('drops leading punctuation and symbols from chunks', () => {
    expect(contents(chunkDocument(['。、"#Hello\n\n……【注意】内容\n\n-dash [link] !bang'], automatic))).toEqual([
      'Hello\n\n……【注意】内容\n\n-dash [link] !bang',
    ]);
  });
});

describe('chunkDocument: custom mode', () => {
  it('gives one chunk per line with "\\n" and drops empty lines', () => {
    expect(chunkDocument(['line one\nline two\n\n  \nline three'], custom(seg('\\n', 100)))).toEqual([
      { content: 'line one', children: [] },
      { content: 'line two', children: [] },
      { content: 'line three', children: [] },
    ]);
  });

  it('applies the enabled cleaning rules before splitting', () => {
    const rule = custom(seg('\\n\\n', 100), { removeExtraSpaces: true, removeUrlsEmails: true });
    expect(contents(chunkDocument(['a  b me@x.io\n\n\n\nc https://x.io/p'], rule))).toEqual(['a b', 'c']);
  });

  it('works with non-ASCII and regex separators', () => {
    expect(contents(chunkDocument(['第一句话。第二句话。'], custom(seg('。', 100))))).toEqual(['第一句话', '第二句话']);
    expect(contents(chunkDocument(['序第1章甲第2章乙'], custom(seg('第', 100))))).toEqual(['序', '1章甲', '2章乙']);
    expect(contents(chunkDocument(['1. alpha\n2. beta'], custom(seg('/\\n?\\d+\\. /', 100))))).toEqual(['alpha', 'beta']);
  });

  it('strips leading symbols per chunk, but not other leading characters', () => {
    const text = '..two dots\n"quoted"\n【标题】正文\n-dash\n[link]\n\u2026ellipsis\n\u3000\u3000indented';
    expect(contents(chunkDocument([text], custom(seg('\\n', 100))))).toEqual([
      'two dots',
      'quoted"',
      '标题】正文',
      '-dash',
      '[link]',
      'ellipsis',
      'indented',
    ]);
  });

  it('splits an over-long line recursively, within max_tokens', () => {
    const line = Array.from({ length: 200 }, (_, i) => `token${i}`).join(' ');
    const chunks = contents(chunkDocument([`intro\n${line}`], custom(seg('\\n', 100, 20))));
    expect(chunks[0]).toBe('intro');
    for (const chunk of chunks.slice(1)) expect(countCharacters(chunk)).toBeLessThanOrEqual(100);
    expect(chunks.slice(1).join(' ').split(' ')).toEqual(expect.arrayContaining(line.split(' ')));
  });

  it("refuses max_tokens outside 50…max with Dify's message", () => {
    for (const maxTokens of [0, 49, 4001]) {
      expect(() => chunkDocument(['x'], custom(seg('\\n', maxTokens)))).toThrow(
        new SegmentationError('Custom segment length should be between 50 and 4000.'),
      );
    }
    expect(chunkDocument(['x'], custom(seg('\\n', 50)))).toHaveLength(1);
    expect(chunkDocument(['x'], custom(seg('\\n', 4000)))).toHaveLength(1);
    expect(() => chunkDocument(['x'], custom(seg('\\n', 1001)), { maxSegmentationTokens: 1000 })).toThrow(
      'Custom segment length should be between 50 and 1000.',
    );
  });

  it("refuses an overlap as large as the chunk size or larger, with Dify's message", () => {
    expect(() => chunkDocument(['x'], custom(seg('\\n', 100, 200)))).toThrow(
      new SegmentationError('Got a larger chunk overlap (200) than chunk size (100), should be smaller.'),
    );
    expect(() => chunkDocument(['x'], custom(seg('\\n', 100, 100)))).toThrow(
      'Got a larger chunk overlap (100) than chunk size (100), should be smaller.',
    );
    expect(chunkDocument(['x'], custom(seg('\\n', 100, 99)))).toHaveLength(1);
  });

  it('validates even an empty document', () => {
    expect(() => chunkDocument([], custom(seg('\\n', 10)))).toThrow(SegmentationError);
  });
});

describe('chunkDocument: hierarchical mode', () => {
  it('paragraph: cleaned parents split with the segmentation, children split from each parent', () => {
    const rule = hierarchical('paragraph', seg('\\n\\n', 500), seg('\\n', 100));
    expect(chunkDocument(['p1 a\np1  b\n\n\n\np2 a https://x.io', '.part two'], rule)).toEqual([
      { content: 'p1 a\np1 b', children: ['p1 a', 'p1 b'] },
      { content: 'p2 a', children: ['p2 a'] },
      { content: 'part two', children: ['part two'] },
    ]);
  });

  it('paragraph: only one leading . or 。 is removed from parents and children', () => {
    const rule = hierarchical('paragraph', seg('\\n\\n', 500), seg('\\n', 100), NO_CLEANING);
    expect(chunkDocument(['..two\n。。three\n"quoted', '。Chinese'], rule)).toEqual([
      { content: '.two\n。。three\n"quoted', children: ['two', '。three', '"quoted'] },
      { content: 'Chinese', children: ['Chinese'] },
    ]);
  });

  it('paragraph: children longer than the sub-chunk size are split further', () => {
    const rule = hierarchical('paragraph', seg('\\n\\n', 1000), seg('\\n', 50, 10));
    const sentence = 'Children are the chunks that get embedded. '.repeat(5).trim();
    const [parent] = chunkDocument([sentence], rule);
    expect(parent?.content).toBe(sentence);
    expect(parent?.children.length).toBeGreaterThan(1);
    for (const child of parent?.children ?? []) expect(countCharacters(child)).toBeLessThanOrEqual(50);
  });

  it('full-doc: one uncleaned parent from all parts joined with \\n, however long, with its children', () => {
    const rule = hierarchical('full-doc', seg('\\n', 0), seg('\\n', 100));
    const long = 'x'.repeat(5000);
    expect(chunkDocument(['p1 a\np1  b\n\n\n\np2 a me@x.io', `part  two\n${long}`], rule)).toEqual([
      {
        content: `p1 a\np1  b\n\n\n\np2 a me@x.io\npart  two\n${long}`,
        children: ['p1 a', 'p1  b', 'p2 a me@x.io', 'part  two', ...Array.from({ length: 50 }, () => 'x'.repeat(100))],
      },
    ]);
  });

  it('full-doc: still drops control characters, which the database could not store', () => {
    const rule = hierarchical('full-doc', seg('\\n', 0), seg('\\n', 100));
    expect(chunkDocument(['a\x00b\uFEFF'], rule)).toEqual([{ content: 'ab', children: ['ab'] }]);
    expect(chunkDocument(['  ', ''], rule)).toEqual([]);
  });

  it('validates the sub-chunk size, and the parent size unless full-doc', () => {
    expect(() => chunkDocument(['x'], hierarchical('paragraph', seg('\\n', 500), seg('\\n', 10)))).toThrow(
      'Custom segment length should be between 50 and 4000.',
    );
    expect(() => chunkDocument(['x'], hierarchical('paragraph', seg('\\n', 0), seg('\\n', 100)))).toThrow(
      'Custom segment length should be between 50 and 4000.',
    );
    expect(() => chunkDocument(['x'], hierarchical('full-doc', seg('\\n', 0), seg('\\n', 100, 100)))).toThrow(
      'Got a larger chunk overlap (100) than chunk size (100), should be smaller.',
    );
    expect(() => chunkDocument(['x'], hierarchical('paragraph', seg('\\n', 500), null))).toThrow(
      'No subchunk segmentation found in rules.',
    );
  });

  it('splitChildren cuts and tidies one parent', () => {
    expect(splitChildren('。one\ntwo\n\n', seg('\\n', 100))).toEqual(['one', 'two']);
  });
});

describe('contentHash and countCharacters', () => {
  it('hashes text + "None" with SHA-256 (Dify index_node_hash)', () => {
    const expected = (text: string) => createHash('sha256').update(Buffer.from(`${text}None`, 'utf8')).digest('hex');
    expect(contentHash('abc')).toBe(expected('abc'));
    expect(contentHash('知识库 😀')).toBe(expected('知识库 😀'));
    expect(contentHash('')).toBe('dc937b59892604f5a86ac96936cd7ff09e25f18ae6b758e8014a24c7fa039e91');
  });

  it('counts code points, not UTF-16 units', () => {
    expect(countCharacters('abc')).toBe(3);
    expect(countCharacters('😀a')).toBe(2);
    expect(countCharacters('知识')).toBe(2);
    expect(countCharacters('👨‍👩‍👧')).toBe(5);
    expect(countCharacters('e\u0301')).toBe(2);
  });
});
