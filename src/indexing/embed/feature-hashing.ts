// What the built-in lexical models share: a stable hash, the signed hashing of weighted features into a fixed number
// of dimensions, L2-normalised, and the provider around a model's function. Changing the first two changes every
// vector of every built-in model.
import type { EmbeddingModelInfo } from '../../domain/models/registry.ts';
import type { EmbeddingProvider, EmbeddingResult } from './provider.ts';

/** FNV-1a, 32 bits: fast, and stable across platforms and releases (unlike any hash we do not own). */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Each feature's value added to its slot (the hash's top bit gives the sign), then L2-normalised; zero stays zero. */
export function hashedVector(features: Iterable<[string, number]>, dimension: number): number[] {
  const vector = new Array<number>(dimension).fill(0);
  for (const [feature, value] of features) {
    const h = hash(feature);
    const slot = h % dimension;
    vector[slot] = (vector[slot] as number) + (h & 0x80000000 ? -value : value);
  }
  const norm = Math.hypot(...vector);
  return norm > 0 ? vector.map((v) => v / norm) : vector;
}

/** A text with no word at all (only symbols, punctuation or emoji): its characters, so that it still has a direction. */
export function symbolFeatures(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of text.normalize('NFKC')) if (c.trim() !== '') counts.set(`s:${c}`, (counts.get(`s:${c}`) ?? 0) + 1);
  return counts;
}

/** A built-in model as a provider: `embedText` computes one text's vector and its number of terms, in process. */
export function inProcessProvider(
  info: EmbeddingModelInfo,
  embedText: (text: string) => { vector: number[]; tokens: number },
): EmbeddingProvider {
  return {
    provider: info.provider,
    model: info.model,
    dimension: info.dimension,
    async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<EmbeddingResult> {
      options.signal?.throwIfAborted();
      const results = texts.map((text) => embedText(text));
      return { vectors: results.map((r) => r.vector), tokens: results.map((r) => r.tokens) };
    },
  };
}
