// `npm run eval -- --tune`: fetches both hybrid channels once per query (top 100 with their scores, through the REST
// API) and replays fusions in process over a grid of parameters, to choose hybrid search's defaults by measurement.
import type { BeirQuery, Collection } from './beir.ts';
import { byDocumentName, type Rest, type RetrievedRecord } from './harness.ts';
import { mean, ndcgAt } from './metrics.ts';

type Scored = Array<{ id: string; score: number }>;

async function channel(rest: Rest, datasetId: string, query: BeirQuery, method: string): Promise<Scored> {
  const res = await rest('POST', `/v1/datasets/${datasetId}/retrieve`, {
    query: query.text,
    retrieval_model: { search_method: method, reranking_enable: false, score_threshold_enabled: false, top_k: 100 },
  });
  const seen = new Set<string>();
  const out: Scored = [];
  for (const record of res.body.records as Array<RetrievedRecord & { score: number }>) {
    const id = byDocumentName(record);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ id, score: record.score });
  }
  return out;
}

const rank = (scores: Map<string, number>) => [...scores].sort((a, b) => b[1] - a[1]).map(([id]) => id);

function rrf(lists: Scored[], weights: number[], k: number): string[] {
  const scores = new Map<string, number>();
  lists.forEach((list, c) => list.forEach((h, i) => scores.set(h.id, (scores.get(h.id) ?? 0) + (weights[c] as number) / (k + i + 1))));
  return rank(scores);
}

function minMax(list: Scored): Map<string, number> {
  const values = list.map((h) => h.score);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return new Map(list.map((h) => [h.id, hi > lo ? (h.score - lo) / (hi - lo) : 1]));
}

function convex(vector: Scored, text: Scored, alpha: number, normalise: boolean): string[] {
  const v = normalise ? minMax(vector) : new Map(vector.map((h) => [h.id, h.score]));
  const t = normalise ? minMax(text) : new Map(text.map((h) => [h.id, h.score]));
  const scores = new Map<string, number>();
  for (const id of new Set([...v.keys(), ...t.keys()])) scores.set(id, alpha * (v.get(id) ?? 0) + (1 - alpha) * (t.get(id) ?? 0));
  return rank(scores);
}

export async function tune(rest: Rest, datasetId: string, collection: Collection): Promise<string> {
  const runs: Array<{ judged: Map<string, number>; vector: Scored; text: Scored }> = [];
  for (const query of collection.queries) {
    runs.push({
      judged: collection.qrels.get(query.id) ?? new Map<string, number>(),
      vector: await channel(rest, datasetId, query, 'semantic_search'),
      text: await channel(rest, datasetId, query, 'full_text_search'),
    });
  }
  const score = (fuse: (r: { judged: Map<string, number>; vector: Scored; text: Scored }) => string[]) => mean(runs.map((r) => ndcgAt(10, fuse(r), r.judged))).toFixed(3);
  const lines = ['| fusion | nDCG@10 |', '|---|---|'];
  lines.push(`| full-text alone | ${score((r) => r.text.map((h) => h.id))} |`, `| vector alone | ${score((r) => r.vector.map((h) => h.id))} |`);
  for (const k of [10, 60]) {
    for (const wv of [0.2, 0.3, 0.4, 0.5]) lines.push(`| RRF k=${k} vector ${wv} / text ${1 - wv} | ${score((r) => rrf([r.vector, r.text], [wv, 1 - wv], k))} |`);
  }
  for (const alpha of [0.1, 0.2, 0.3, 0.4, 0.5, 0.7]) {
    lines.push(`| min-max convex, vector ${alpha} | ${score((r) => convex(r.vector, r.text, alpha, true))} |`);
    lines.push(`| raw convex, vector ${alpha} | ${score((r) => convex(r.vector, r.text, alpha, false))} |`);
  }
  return lines.join('\n');
}
