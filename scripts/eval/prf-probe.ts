// `npx tsx scripts/eval/prf-probe.ts [--collection DIR]`: measures, in process over a BEIR collection, whether
// pseudo-relevance feedback (PRF) lifts hybrid search above the BM25 reference (issue 11's target: 1.03× nDCG@10),
// where fusing BM25 with the built-in lexical embedder's vectors gives about 1.01× (README, "Retrieval quality").
// Variants, all deterministic and download-free:
// - Rocchio on the vector channel: query vector = normalise(q + β · centroid of the stored vectors of BM25's top m),
//   exact cosine top-100, fused with BM25 by the product's weighted min-max fusion (src/domain/retrieval/fusion.ts).
//   Also with the centroid weighted by the feedback documents' BM25 scores, and as a third channel next to the plain
//   vectors.
// - RM3 on the BM25 channel: the query's terms (weight λ, spread evenly) plus the n terms most probable in BM25's top m
//   (P(w|R) = Σ_D score(D) · tf(w,D)/|D|, scores normalised to sum 1; weight 1−λ), BM25 again with the weights,
//   alone or fused with the plain or the Rocchio vector channel, or with BM25 itself and the plain vectors; also with
//   the terms picked by P(w|R)·idf(w).
// To avoid fooling ourselves, parameters are chosen on half the queries (even positions) and reported on the other
// half (odd positions), on all of them, and on the `--limit 1000` and `--limit 500` subsets (beir.ts `subset`, their
// own BM25 statistics), with the parameters fixed. The lexical vectors of the whole collection are embedded once (in
// memory, ~10 s); nothing is cached.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Scored, weightedScoreFusion } from '../../src/domain/retrieval/fusion.ts';
import { embedStemmed } from '../../src/indexing/embed/builtin-stemmed.ts';
import { type Collection, defaultCollection, docText, loadCollection, subset } from './beir.ts';
import { analyze, Bm25 } from './bm25.ts';
import { mean, ndcgAt, recallAt } from './metrics.ts';
import { dot, ranked, topOf, weightedMany } from './probe-common.ts';

const DEPTH = 100;
const repoRoot = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({ options: { collection: { type: 'string' } } });

const VECTOR_WEIGHTS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
const ROCCHIO_M = [1, 3, 5, 10];
const ROCCHIO_BETA = [0.5, 1, 2, 4, 8];
const RM3 = { m: [3, 5, 10], n: [10, 20, 40], lambda: [0.3, 0.5, 0.7] };
const MAX_M = Math.max(...ROCCHIO_M, ...RM3.m);

/** Per query (in collection order), each configuration's nDCG@10 and Recall@100. */
type Results = Map<string, { ndcg: number[]; recall: number[] }>;

/** The vector channel with Rocchio feedback from the given documents (indexes into `docs`), as exact cosine top-k. */
function rocchio(qd: Float32Array, feedback: Float32Array[], fbIndex: number[], beta: number, ids: string[], share?: number[]): Scored[] {
  const m = feedback.length;
  const n = qd.length;
  const w = share ?? feedback.map(() => 1 / m);
  const scores = new Float32Array(n);
  // |q + βc|² = 1 + 2β q·c + β²|c|², with c = Σ w_j f_j (the feedback vectors are unit length).
  const qc = fbIndex.reduce((sum, j, k) => sum + (w[k] as number) * (qd[j] as number), 0);
  let cc = 0;
  feedback.forEach((f, a) => fbIndex.forEach((j, b) => (cc += (w[a] as number) * (w[b] as number) * (f[j] as number))));
  const norm = Math.sqrt(1 + 2 * beta * qc + beta * beta * cc) || 1;
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let k = 0; k < m; k++) c += (w[k] as number) * ((feedback[k] as Float32Array)[i] as number);
    scores[i] = ((qd[i] as number) + beta * c) / norm;
  }
  return topOf(scores, ids, DEPTH);
}

/** RM3's expanded query: original terms at weight λ (evenly), the feedback model's top n terms at 1−λ. */
function rm3Query(
  query: string,
  top: Array<{ id: string; score: number }>,
  termsOf: Map<string, Map<string, number>>,
  n: number,
  lambda: number,
  idf?: (term: string) => number,
) {
  const total = top.reduce((sum, h) => sum + h.score, 0) || 1;
  const model = new Map<string, number>();
  for (const hit of top) {
    const tfs = termsOf.get(hit.id) as Map<string, number>;
    let length = 0;
    for (const tf of tfs.values()) length += tf;
    for (const [term, tf] of tfs) model.set(term, (model.get(term) ?? 0) + ((hit.score / total) * tf) / length);
  }
  if (idf) for (const [term, p] of model) model.set(term, p * idf(term));
  const best = [...model].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
  const mass = best.reduce((sum, [, p]) => sum + p, 0) || 1;
  const original = [...new Set(analyze(query))];
  const weights = new Map<string, number>(original.map((t) => [t, lambda / original.length]));
  for (const [term, p] of best) weights.set(term, (weights.get(term) ?? 0) + ((1 - lambda) * p) / mass);
  return weights;
}

function evaluate(collection: Collection, vectorOf: Map<string, Float32Array>): Results {
  const ids = collection.docs.map((d) => d.id);
  const docs = ids.map((id) => vectorOf.get(id) as Float32Array);
  const position = new Map(ids.map((id, i) => [id, i]));
  const bm25 = new Bm25();
  const termsOf = new Map<string, Map<string, number>>();
  for (const doc of collection.docs) {
    const text = docText(doc);
    bm25.add(doc.id, text);
    const tfs = new Map<string, number>();
    for (const term of analyze(text)) tfs.set(term, (tfs.get(term) ?? 0) + 1);
    termsOf.set(doc.id, tfs);
  }
  const df = new Map<string, number>();
  for (const tfs of termsOf.values()) for (const term of tfs.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log(1 + (ids.length - (df.get(term) ?? 0) + 0.5) / ((df.get(term) ?? 0) + 0.5));
  const results: Results = new Map();
  const record = (name: string, list: string[], judged: Map<string, number>) => {
    const entry = results.get(name) ?? { ndcg: [], recall: [] };
    entry.ndcg.push(ndcgAt(10, list, judged));
    entry.recall.push(recallAt(100, list, judged));
    results.set(name, entry);
  };
  const allDots = (v: Float32Array) => Float32Array.from(docs, (d) => dot(v, d));
  for (const query of collection.queries) {
    const judged = collection.qrels.get(query.id) ?? new Map<string, number>();
    const text = bm25.scored(query.text, DEPTH).map((h) => ({ nodeId: h.id, score: h.score }));
    const q = Float32Array.from(embedStemmed(query.text).vector);
    const qd = allDots(q);
    const plain = topOf(qd, ids, DEPTH);
    record('bm25', text.map((h) => h.nodeId), judged);
    record('vector', plain.map((h) => h.nodeId), judged);
    for (const wv of VECTOR_WEIGHTS) record(`hybrid wv=${wv}`, ranked(weightedScoreFusion(plain, text, { vector: wv, text: 1 - wv })), judged);

    const fbIndex = text.slice(0, MAX_M).map((h) => position.get(h.nodeId) as number);
    const fbDots = fbIndex.map((j) => allDots(docs[j] as Float32Array));
    const rocchioChannels = new Map<string, Scored[]>();
    for (const m of ROCCHIO_M) {
      if (fbIndex.length < m) continue;
      for (const beta of ROCCHIO_BETA) {
        const channel = rocchio(qd, fbDots.slice(0, m), fbIndex.slice(0, m), beta, ids);
        const key = `m=${m} β=${beta}`;
        rocchioChannels.set(key, channel);
        record(`rocchio ${key}`, channel.map((h) => h.nodeId), judged);
        for (const wv of VECTOR_WEIGHTS) {
          record(`bm25+rocchio ${key} wv=${wv}`, ranked(weightedScoreFusion(channel, text, { vector: wv, text: 1 - wv })), judged);
        }
        for (const wv of [0.1, 0.2]) {
          for (const wr of [0.1, 0.2, 0.3]) {
            record(`bm25+vector+rocchio ${key} wv=${wv} wr=${wr}`, ranked(weightedMany([text, plain, channel], [1 - wv - wr, wv, wr])), judged);
          }
        }
        // The centroid weighted by the feedback documents' BM25 scores instead of evenly.
        const total = text.slice(0, m).reduce((sum, h) => sum + h.score, 0) || 1;
        const weightedChannel = rocchio(qd, fbDots.slice(0, m), fbIndex.slice(0, m), beta, ids, text.slice(0, m).map((h) => h.score / total));
        for (const wv of VECTOR_WEIGHTS) {
          record(`bm25+rocchio-scored ${key} wv=${wv}`, ranked(weightedScoreFusion(weightedChannel, text, { vector: wv, text: 1 - wv })), judged);
        }
      }
    }
    const bm25Top = bm25.scored(query.text, MAX_M);
    for (const m of RM3.m) {
      for (const n of RM3.n) {
        for (const lambda of RM3.lambda) {
          const key = `m=${m} n=${n} λ=${lambda}`;
          const idfExpanded = bm25.weighted(rm3Query(query.text, bm25Top.slice(0, m), termsOf, n, lambda, idf), DEPTH).map((h) => ({ nodeId: h.id, score: h.score }));
          record(`rm3-idf ${key}`, idfExpanded.map((h) => h.nodeId), judged);
          for (const wv of VECTOR_WEIGHTS) {
            record(`rm3-idf ${key}+vector wv=${wv}`, ranked(weightedScoreFusion(plain, idfExpanded, { vector: wv, text: 1 - wv })), judged);
          }
          const expanded = bm25.weighted(rm3Query(query.text, bm25Top.slice(0, m), termsOf, n, lambda), DEPTH).map((h) => ({ nodeId: h.id, score: h.score }));
          record(`rm3 ${key}`, expanded.map((h) => h.nodeId), judged);
          for (const wv of VECTOR_WEIGHTS) {
            record(`rm3 ${key}+vector wv=${wv}`, ranked(weightedScoreFusion(plain, expanded, { vector: wv, text: 1 - wv })), judged);
          }
          for (const wr of [0.3, 0.5, 0.7]) {
            for (const wv of [0.1, 0.2, 0.3]) {
              record(
                `bm25+rm3 ${key} wr=${wr}+vector wv=${wv}`,
                ranked(weightedMany([text, expanded, plain], [(1 - wv) * (1 - wr), (1 - wv) * wr, wv])),
                judged,
              );
            }
          }
          for (const [rk, channel] of rocchioChannels) {
            if (rk !== 'm=5 β=0.5' && rk !== 'm=3 β=1' && rk !== 'm=10 β=1') continue;
            for (const wv of [0.2, 0.3, 0.4, 0.5]) {
              record(`rm3 ${key}+rocchio ${rk} wv=${wv}`, ranked(weightedScoreFusion(channel, expanded, { vector: wv, text: 1 - wv })), judged);
            }
          }
        }
      }
    }
  }
  return results;
}

const half = (values: number[], parity: number) => mean(values.filter((_, i) => i % 2 === parity));

async function main() {
  const folder = args.collection ?? defaultCollection(repoRoot);
  if (!folder) throw new Error('no collection: pass --collection DIR or set EVAL_COLLECTION');
  const full = loadCollection(folder);
  const started = performance.now();
  const vectorOf = new Map(full.docs.map((d) => [d.id, Float32Array.from(embedStemmed(docText(d)).vector)]));
  console.error(`embedded ${full.docs.length} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const runs: Array<[string, Collection]> = [
    ['all', full],
    ['1000', subset(full, 1000)],
    ['500', subset(full, 500)],
  ];
  const measured = runs.map(([name, collection]) => {
    const t = performance.now();
    const results = evaluate(collection, vectorOf);
    console.error(`${name}: ${collection.docs.length} documents, ${collection.queries.length} queries, ${((performance.now() - t) / 1000).toFixed(0)} s`);
    return { name, collection, results };
  });
  const [all] = measured as [(typeof measured)[number]];
  const ratio = (r: Results, config: string, metric: 'ndcg' | 'recall', pick: (v: number[]) => number) =>
    pick((r.get(config) as { ndcg: number[]; recall: number[] })[metric]) / pick((r.get('bm25') as { ndcg: number[]; recall: number[] })[metric]);
  const families: Array<[string, (c: string) => boolean]> = [
    ['plain hybrid (BM25 + lexical vectors)', (c) => c.startsWith('hybrid ')],
    ['Rocchio vectors alone', (c) => c.startsWith('rocchio ')],
    ['BM25 + Rocchio vectors', (c) => c.startsWith('bm25+rocchio ')],
    ['RM3 alone', (c) => /^rm3 [^+]*$/.test(c)],
    ['RM3 + lexical vectors', (c) => /^rm3 .*\+vector /.test(c)],
    ['BM25 + RM3 + lexical vectors', (c) => c.startsWith('bm25+rm3 ')],
    ['RM3 + Rocchio vectors', (c) => /^rm3 .*\+rocchio /.test(c)],
    ['BM25 + lexical vectors + Rocchio vectors', (c) => c.startsWith('bm25+vector+rocchio ')],
    ['BM25 + Rocchio vectors, centroid weighted by BM25 score', (c) => c.startsWith('bm25+rocchio-scored ')],
    ['RM3, terms picked by P(w|R)·idf, alone', (c) => /^rm3-idf [^+]*$/.test(c)],
    ['RM3 (idf) + lexical vectors', (c) => /^rm3-idf .*\+vector /.test(c)],
  ];
  const configs = [...all.results.keys()];
  console.log(`${folder}; absolute BM25 nDCG@10: ${measured.map((m) => `${m.name} ${mean(m.results.get('bm25')?.ndcg ?? []).toFixed(3)}`).join(', ')}`);
  console.log('\nnDCG@10 and Recall@100 as ratios to BM25 of the same queries; parameters picked on one half of the full collection\'s queries.');
  console.log('| family | picked on | parameters | nDCG@10 other half | all 300 | --limit 1000 | --limit 500 | Recall@100 all | 1000 | 500 |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [family, member] of families) {
    for (const parity of [0, 1]) {
      const candidates = configs.filter(member);
      const best = candidates.reduce((a, b) => (ratio(all.results, b, 'ndcg', (v) => half(v, parity)) > ratio(all.results, a, 'ndcg', (v) => half(v, parity)) ? b : a));
      const cells = [
        ratio(all.results, best, 'ndcg', (v) => half(v, 1 - parity)),
        ...measured.map((m) => ratio(m.results, best, 'ndcg', mean)),
        ...measured.map((m) => ratio(m.results, best, 'recall', mean)),
      ];
      console.log(`| ${family} | ${parity === 0 ? 'even' : 'odd'} | ${best} | ${cells.map((x) => `${x.toFixed(3)}×`).join(' | ')} |`);
    }
  }
  // The configurations that hold everywhere: the worst of the four nDCG@10 ratios (each half, 1000, 500), best first.
  const worst = (c: string) => Math.min(ratio(all.results, c, 'ndcg', (v) => half(v, 0)), ratio(all.results, c, 'ndcg', (v) => half(v, 1)), ...measured.slice(1).map((m) => ratio(m.results, c, 'ndcg', mean)));
  console.log('\nBest configurations by their worst nDCG@10 ratio over (even half, odd half, --limit 1000, --limit 500):');
  // Paired standard error of the all-300 ratio (per-query differences to BM25), to tell a gain from noise.
  const se = (c: string) => {
    const base = all.results.get('bm25')?.ndcg ?? [];
    const diffs = (all.results.get(c)?.ndcg ?? []).map((x, i) => x - (base[i] as number));
    const mu = mean(diffs);
    return Math.sqrt(mean(diffs.map((d) => (d - mu) ** 2)) / diffs.length) / mean(base);
  };
  console.log('| configuration | worst | even | odd | all (± paired s.e.) | 1000 | 500 | Recall@100 all |\n|---|---|---|---|---|---|---|---|');
  for (const c of configs.sort((a, b) => worst(b) - worst(a)).slice(0, 25)) {
    const cells = [
      worst(c),
      ratio(all.results, c, 'ndcg', (v) => half(v, 0)),
      ratio(all.results, c, 'ndcg', (v) => half(v, 1)),
      ...measured.map((m) => ratio(m.results, c, 'ndcg', mean)),
      ratio(all.results, c, 'recall', mean),
    ];
    const shown = cells.map((x) => `${x.toFixed(3)}×`);
    shown[3] = `${shown[3]} ± ${se(c).toFixed(3)}`;
    console.log(`| ${c} | ${shown.join(' | ')} |`);
  }
}

await main();
