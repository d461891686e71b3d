// Hybrid search's fusion of the vector and full-text channels. Both channels always fetch the same fixed number of
// candidates (HYBRID_DEPTH), whatever top_k is, so the fused ranking, and therefore its first ten, does not depend on
// how many results are asked for.

/** Candidates each channel contributes to a hybrid search (top_k is at most 100). */
export const HYBRID_DEPTH = 100;

/** Reciprocal rank fusion's constant (Cormack et al.; also Elasticsearch's and OpenSearch's default). */
export const RRF_K = 60;

export interface Ranked {
  nodeId: string;
}

/**
 * Reciprocal rank fusion: Σ over channels of 1 / (k + rank), rank from 1, divided by its maximum (first in every
 * channel) so that scores lie in 0..1. Answers node id → fused score.
 */
export function reciprocalRankFusion(channels: ReadonlyArray<readonly Ranked[]>, k = RRF_K): Map<string, number> {
  const scores = new Map<string, number>();
  const best = channels.length / (k + 1);
  for (const channel of channels) {
    channel.forEach((hit, i) => {
      scores.set(hit.nodeId, (scores.get(hit.nodeId) ?? 0) + 1 / (k + i + 1) / best);
    });
  }
  return scores;
}
