// The built-in embedding model: no download, deterministic, lexical. Each text becomes a 384-dimensional signed
// feature-hashing vector of its words (ICU segmentation, so CJK words count), character trigrams of latin words (for
// inflections) and CJK character bigrams (for partial words), weighted 1 + log(tf) and L2-normalised. Texts that
// share words (stop words aside) have a clearly higher cosine than unrelated ones; it does not know synonyms.
import { BUILTIN_EMBEDDING } from '../../domain/models/registry.ts';
import { STOP_WORDS } from '../text/stop-words.ts';
import { isCjk, tokenize } from '../text/tokenize.ts';
import type { EmbeddingProvider, EmbeddingResult } from './provider.ts';

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Each feature with its kind's weight and how often it occurs. */
function features(text: string): Map<string, { weight: number; count: number }> {
  const counts = new Map<string, { weight: number; count: number }>();
  const add = (feature: string, weight: number) => {
    const entry = counts.get(feature);
    if (entry) entry.count++;
    else counts.set(feature, { weight, count: 1 });
  };
  const terms = tokenize(text);
  const content = terms.filter((t) => !STOP_WORDS.has(t));
  for (const term of content.length > 0 ? content : terms) {
    add(`w:${term}`, 1);
    const chars = [...term];
    if (isCjk(term)) {
      for (const c of chars) add(`c:${c}`, 0.5);
      for (let i = 0; i + 1 < chars.length; i++) add(`b:${chars[i]}${chars[i + 1]}`, 0.5);
    } else if (chars.length > 3) {
      const padded = `<${term}>`;
      for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, 0.3);
    }
  }
  return counts;
}

export function embedLexical(text: string, dimension = BUILTIN_EMBEDDING.dimension): { vector: number[]; tokens: number } {
  const vector = new Array<number>(dimension).fill(0);
  const found = features(text);
  for (const [feature, { weight, count }] of found) {
    const h = hash(feature);
    const sign = h & 0x80000000 ? -1 : 1;
    vector[h % dimension] = (vector[h % dimension] as number) + sign * weight * (1 + Math.log(count));
  }
  const norm = Math.hypot(...vector);
  return {
    vector: norm > 0 ? vector.map((v) => v / norm) : vector,
    tokens: tokenize(text).length,
  };
}

export const builtinLexicalProvider: EmbeddingProvider = {
  provider: BUILTIN_EMBEDDING.provider,
  model: BUILTIN_EMBEDDING.model,
  dimension: BUILTIN_EMBEDDING.dimension,
  async embed(texts: string[]): Promise<EmbeddingResult> {
    const results = texts.map((t) => embedLexical(t));
    return { vectors: results.map((r) => r.vector), tokens: results.map((r) => r.tokens) };
  },
};
