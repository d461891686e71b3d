import { describe, expect, it } from 'vitest';
import { extractKeywords } from '../../../src/indexing/text/keywords.ts';

describe('extractKeywords', () => {
  it('ranks English content words by frequency and length, without stop words, as Porter stems', () => {
    const text = 'The gateway indexes documents. Indexing documents makes documents searchable.';
    // "indexes" and "indexing" are one keyword, counted twice.
    expect(extractKeywords(text, 3)).toEqual(['document', 'index', 'searchabl']);
    expect(extractKeywords(text)).toEqual(['document', 'index', 'searchabl', 'gatewai', 'make']);
  });

  it('gives a query the keywords of the segments it should find, whatever the word forms', () => {
    const segment = extractKeywords('Antibiotic treatment reduced infections in treated patients.');
    for (const keyword of extractKeywords('Does treating patients with antibiotics reduce infection?')) {
      expect(segment).toContain(keyword);
    }
  });

  it('finds Chinese words, not single characters or function words', () => {
    const text = '北京是中国的首都，北京有很多名胜古迹。故宫博物院位于北京市中心，是明清两代的皇家宫殿。';
    expect(extractKeywords(text, 5)).toEqual(['北京', '明清两代', '博物院', '北京市', '中国']);
    expect(extractKeywords('机器学习是人工智能的一个分支。机器学习算法通过数据训练模型。', 3)).toEqual(['机器', '学习', '人工']);
  });

  it('finds Japanese words, not particles or auxiliaries', () => {
    expect(extractKeywords('東京は日本の首都です。東京タワーが有名です。', 5)).toEqual(['東京タワー', '東京', '日本', '首都', '有名']);
    const text = '人工知能は機械学習によって発展しています。機械学習のモデルは大量のデータを必要とします。';
    const keywords = extractKeywords(text, 4);
    expect(keywords.slice(0, 2)).toEqual(['機械', '学習']);
    for (const particle of ['は', 'の', 'を', 'です', 'ます', 'によって']) expect(keywords).not.toContain(particle);
  });

  it('normalises case and width', () => {
    expect(extractKeywords('Ｄｏｃｕｍｅｎｔ document DOCUMENT', 5)).toEqual(['document']);
  });

  it('sets numbers, one-letter words and single CJK characters aside unless nothing else is left', () => {
    expect(extractKeywords('version 2024 x 猫 release', 10)).toEqual(['version', 'releas']);
    expect(extractKeywords('2024 x 猫', 10)).toEqual(['猫', '2024', 'x']);
    expect(extractKeywords('the of 的 は', 10)).toEqual([]);
  });

  it('breaks ties by first occurrence and honours topK', () => {
    expect(extractKeywords('zebra mango lemon', 10)).toEqual(['zebra', 'mango', 'lemon']);
    expect(extractKeywords('zebra mango lemon', 2)).toEqual(['zebra', 'mango']);
    const many = Array.from({ length: 30 }, (_, i) => `term${String.fromCharCode(97 + (i % 26))}${i}`).join(' ');
    expect(extractKeywords(many)).toHaveLength(10);
  });
});
