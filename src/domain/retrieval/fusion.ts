// Hybrid search's fusion of the vector and full-text channels. Both channels always fetch the same fixed number of
// candidates (HYBRID_DEPTH), whatever top_k is, so the fused ranking, and therefore its first ten, does not depend on
// how many results are asked for. Parameters were chosen with `npm run eval -- --tune` (README, Retrieval quality).

/** Candidates each channel contributes to a hybrid search (top_k is at most 100). */
export const HYBRID_DEPTH = 100;

/** Reciprocal rank fusion's constant (Cormack et al.; also Elasticsearch's and OpenSearch's default). */
export const RRF_K = 60;

export interface Scored {
  nodeId: string;
  score: number;
}

export interface ChannelWeights {
  vector: number;
  text: number;
}

/**
 * Weighted reciprocal rank fusion: Σ over channels of weight / (k + rank), rank from 1, divided by its maximum (first
 * in every channel) so that scores lie in 0..1. Answers node id → fused score.
 */
export function reciprocalRankFusion(vector: readonly Scored[], text: readonly Scored[], weights: ChannelWeights, k = RRF_K): Map<string, number> {
  const scores = new Map<string, number>();
  const best = (weights.vector + weights.text) / (k + 1) || 1;
  const add = (channel: readonly Scored[], weight: number) =>
    channel.forEach((hit, i) => scores.set(hit.nodeId, (scores.get(hit.nodeId) ?? 0) + weight / (k + i + 1) / best));
  add(vector, weights.vector);
  add(text, weights.text);
  return scores;
}

/** Scores rescaled to 0..1 within their channel's candidates (best 1, worst 0; all 1 when they are equal). */
export function minMax(channel: readonly Scored[]): Map<string, number> {
  if (channel.length === 0) return new Map();
  const values = channel.map((h) => h.score);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return new Map(channel.map((h) => [h.nodeId, hi > lo ? (h.score - lo) / (hi - lo) : 1]));
}

/**
 * Weighted score fusion (Dify's `weighted_score`: vector_weight × vector score + keyword_weight × keyword score), with
 * each channel's scores min-max normalised over its candidates so that the weights mean what they say whatever the
 * scales (cosine of the embedding model, BM25 of the full-text engine). A candidate absent from a channel scores 0
 * there: it ranked below that channel's last candidate. Weights are used as given (they need not sum to 1).
 */
export function weightedScoreFusion(vector: readonly Scored[], text: readonly Scored[], weights: ChannelWeights): Map<string, number> {
  const v = minMax(vector);
  const t = minMax(text);
  const scores = new Map<string, number>();
  for (const nodeId of new Set([...v.keys(), ...t.keys()])) {
    scores.set(nodeId, weights.vector * (v.get(nodeId) ?? 0) + weights.text * (t.get(nodeId) ?? 0));
  }
  return scores;
}
