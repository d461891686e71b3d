import { describe, expect, it } from 'vitest';
import { BUILTIN_EMBEDDING, type EmbeddingModelInfo, LEXICAL_384_EMBEDDING } from '../../../src/domain/models/registry.ts';
import { embedLexical, lexical384Provider } from '../../../src/indexing/embed/builtin-lexical.ts';
import { builtinStemmedProvider, embedStemmed } from '../../../src/indexing/embed/builtin-stemmed.ts';
import type { EmbeddingProvider } from '../../../src/indexing/embed/provider.ts';

const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] as number), 0);

interface BuiltinModel {
  info: EmbeddingModelInfo;
  builtinLexicalProvider: EmbeddingProvider;
  embedLexical: (text: string) => { vector: number[]; tokens: number };
}

const models: BuiltinModel[] = [
  { info: BUILTIN_EMBEDDING, builtinLexicalProvider: builtinStemmedProvider, embedLexical: embedStemmed },
  { info: LEXICAL_384_EMBEDDING, builtinLexicalProvider: lexical384Provider, embedLexical: (text) => embedLexical(text) },
];

describe.each(models)('built-in lexical embedding $info.model', ({ info, builtinLexicalProvider, embedLexical }) => {
  const similarity = (a: string, b: string) => cosine(embedLexical(a).vector, embedLexical(b).vector);
  /** Cosines of `query` with each passage, in the passages' order. */
  const scores = (query: string, passages: string[]) => passages.map((p) => similarity(query, p));

  it('is the registry model: provider, name and dimension', () => {
    expect(builtinLexicalProvider.provider).toBe(info.provider);
    expect(builtinLexicalProvider.model).toBe(info.model);
    expect(builtinLexicalProvider.dimension).toBe(info.dimension);
  });

  it('is deterministic and L2-normalised, with one token per term', async () => {
    const texts = ['How do I reset my password?', '北京是中国的首都', '東京は日本の首都です', '🙂 !!!'];
    const first = await builtinLexicalProvider.embed(texts);
    const second = await builtinLexicalProvider.embed(texts);
    expect(second).toEqual(first);
    for (const vector of first.vectors) {
      expect(vector).toHaveLength(info.dimension);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 9);
    }
    expect(first.tokens[0]).toBe(6);
    expect(first.tokens[1]).toBeGreaterThanOrEqual(4);
    // A text of symbols has no terms, but still a direction.
    expect(first.tokens[3]).toBe(0);
    expect(embedLexical('').vector.every((v) => v === 0)).toBe(true);
  });

  it('ranks English passages sharing words (and word forms) above unrelated ones', () => {
    const [same, paraphrase, unrelated, other] = scores('how do I reset my password', [
      'Password reset: open settings and choose reset password',
      'To reset your password, go to the account page',
      'Our office is closed on public holidays',
      'The weather is nice today',
    ]);
    expect(same).toBeGreaterThan(0.5);
    expect(paraphrase).toBeGreaterThan(0.4);
    expect(Math.max(unrelated as number, other as number)).toBeLessThan(0.15);
    expect(paraphrase as number).toBeGreaterThan((unrelated as number) + 0.3);
    // Character trigrams carry inflections: "indexing documents" is close to "indexed … documents".
    const [inflected, lunch] = scores('indexing documents', ['Documents are indexed by the worker', 'Lunch is served at noon']);
    expect(inflected as number).toBeGreaterThan((lunch as number) + 0.3);
  });

  it('ranks Chinese passages sharing words above unrelated ones, partial words included', () => {
    const [capital, weather, fruit] = scores('首都是哪里', ['北京是中国的首都', '今天天气很好', '我喜欢吃苹果']);
    expect(capital as number).toBeGreaterThan(Math.max(weather as number, fruit as number) + 0.25);
    // 数据集 in the query, 数据 in the passage: character bigrams match inside words.
    const [partial, unrelated] = scores('数据集检索', ['检索模型与数据', '我喜欢吃苹果']);
    expect(partial as number).toBeGreaterThan((unrelated as number) + 0.3);
  });

  it('ranks Japanese passages sharing words above unrelated ones', () => {
    const [both, one, none] = scores('東京の天気', ['今日の東京の天気は晴れです', '東京は日本の首都です', '猫が好きです']);
    expect(both as number).toBeGreaterThan(one as number);
    expect(one as number).toBeGreaterThan((none as number) + 0.25);
  });

  it('honours an aborted signal', async () => {
    await expect(builtinLexicalProvider.embed(['a'], { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});

describe('the two built-in models', () => {
  it('differ: the current one is a new model name, not new vectors under the old name', () => {
    expect(BUILTIN_EMBEDDING.model).not.toBe(LEXICAL_384_EMBEDDING.model);
    expect(embedStemmed('reset password').vector).not.toEqual(embedLexical('reset password').vector);
  });

  it('the current one matches word forms the earlier one only half matched (stemming)', () => {
    const current = cosine(embedStemmed('treatments reduced infections').vector, embedStemmed('treatment reduces infection').vector);
    const earlier = cosine(embedLexical('treatments reduced infections').vector, embedLexical('treatment reduces infection').vector);
    expect(current).toBeGreaterThan(0.95);
    expect(current).toBeGreaterThan(earlier + 0.2);
  });
});
