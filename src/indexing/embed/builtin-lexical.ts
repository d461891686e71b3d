// The built-in embedding model: no download, deterministic, lexical. Each text becomes a 384-dimensional signed
// feature-hashing vector of its words (ICU segmentation, so CJK words count), character trigrams of latin words (for
// inflections) and CJK character unigrams and bigrams (for partial words), weighted 1 + log(tf) and L2-normalised.
// Texts that share words (stop words aside) have a clearly higher cosine than unrelated ones; it knows no synonyms.
//
// Changing any feature, weight or the hash changes every vector: datasets embedded before would no longer match
// their queries. Such a change needs a new model name.
import { BUILTIN_EMBEDDING } from '../../domain/models/registry.ts';
import { STOP_WORDS } from '../text/stop-words.ts';
import { isCjk, tokenize } from '../text/tokenize.ts';
import type { EmbeddingProvider, EmbeddingResult } from './provider.ts';

/** FNV-1a, 32 bits: fast, and stable across platforms and releases (unlike any hash we do not own). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface Feature {
  weight: number;
  count: number;
}

/** Each feature with its kind's weight and how often it occurs. */
function features(terms: string[], text: string): Map<string, Feature> {
  const counts = new Map<string, Feature>();
  const add = (feature: string, weight: number) => {
    const entry = counts.get(feature);
    if (entry) entry.count++;
    else counts.set(feature, { weight, count: 1 });
  };
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
  // No word at all (only symbols, punctuation or emoji): its characters, so that such a text still has a direction
  // (a zero vector has no cosine).
  if (terms.length === 0) for (const c of text.normalize('NFKC')) if (c.trim() !== '') add(`s:${c}`, 1);
  return counts;
}

/** The vector of one text, and its number of terms. Only a blank text gets the zero vector. */
export function embedLexical(text: string, dimension = BUILTIN_EMBEDDING.dimension): { vector: number[]; tokens: number } {
  const terms = tokenize(text);
  const vector = new Array<number>(dimension).fill(0);
  for (const [feature, { weight, count }] of features(terms, text)) {
    const h = hash(feature);
    const sign = h & 0x80000000 ? -1 : 1;
    const slot = h % dimension;
    vector[slot] = (vector[slot] as number) + sign * weight * (1 + Math.log(count));
  }
  const norm = Math.hypot(...vector);
  return { vector: norm > 0 ? vector.map((v) => v / norm) : vector, tokens: terms.length };
}

export const builtinLexicalProvider: EmbeddingProvider = {
  provider: BUILTIN_EMBEDDING.provider,
  model: BUILTIN_EMBEDDING.model,
  dimension: BUILTIN_EMBEDDING.dimension,
  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<EmbeddingResult> {
    options.signal?.throwIfAborted();
    const results = texts.map((t) => embedLexical(t));
    return { vectors: results.map((r) => r.vector), tokens: results.map((r) => r.tokens) };
  },
};
