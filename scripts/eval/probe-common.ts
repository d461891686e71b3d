// Pieces the in-process probes share (embedder-probe.ts, prf-probe.ts): unit vectors, exact cosine top-k, and
// min-max fusion of any number of channels.
import { minMax, type Scored } from '../../src/domain/retrieval/fusion.ts';

export const normalise = (v: ArrayLike<number>): Float32Array => {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) ** 2;
  const norm = Math.sqrt(sum) || 1;
  return Float32Array.from(v, (x) => x / norm);
};

export const dot = (a: Float32Array, b: Float32Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
};

/** Exact cosine top-`depth` (vectors are unit length). */
export function exactTop(query: Float32Array, docs: Float32Array[], ids: string[], depth: number): Scored[] {
  return topOf(
    docs.map((d) => dot(query, d)),
    ids,
    depth,
  );
}

/** The best `depth` of per-document scores, best first (ties by document order). */
export function topOf(scores: ArrayLike<number>, ids: string[], depth: number): Scored[] {
  return Array.from(scores, (score, i) => ({ nodeId: ids[i] as string, score, i }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, depth)
    .map(({ nodeId, score }) => ({ nodeId, score }));
}

/** Node ids by fused score, best first. */
export const ranked = (scores: Map<string, number>) => [...scores].sort((a, b) => b[1] - a[1]).map(([id]) => id);

/** Min-max fusion of any number of channels (the product's weighted_score, generalised). */
export function weightedMany(channels: Scored[][], weights: number[]): Map<string, number> {
  const scores = new Map<string, number>();
  channels.forEach((channel, c) => {
    for (const [nodeId, norm] of minMax(channel)) scores.set(nodeId, (scores.get(nodeId) ?? 0) + (weights[c] as number) * norm);
  });
  return scores;
}
