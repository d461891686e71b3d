// Drives the public REST API for an evaluation: one dataset, one document per corpus entry (create-by-text, bounded
// concurrency), then every search method through POST /v1/datasets/{id}/retrieve, scored against the judgments.
import { request } from 'node:http';
import { type BeirDoc, type Collection, docText } from './beir.ts';
import { mean, median, mrrAt, ndcgAt, recallAt } from './metrics.ts';

export interface Rest {
  (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/** One way of searching: the retrieval_model sent (top_k is set per request). */
export interface Method {
  name: string;
  model: Record<string, unknown>;
}

const base = { reranking_enable: false, score_threshold_enabled: false };

export const METHODS: Method[] = [
  { name: 'full_text_search', model: { ...base, search_method: 'full_text_search' } },
  { name: 'semantic_search', model: { ...base, search_method: 'semantic_search' } },
  { name: 'keyword_search', model: { ...base, search_method: 'keyword_search' } },
  { name: 'hybrid_search (default)', model: { ...base, search_method: 'hybrid_search' } },
  { name: 'hybrid_search weighted 0.7/0.3 (Dify UI default)', model: weighted(0.7) },
  { name: 'hybrid_search weighted 0.3/0.7', model: weighted(0.3) },
  { name: 'hybrid_search rrf', model: { ...base, search_method: 'hybrid_search', reranking_mode: 'reciprocal_rank_fusion' } },
];

function weighted(vectorWeight: number): Record<string, unknown> {
  return {
    ...base,
    search_method: 'hybrid_search',
    reranking_mode: 'weighted_score',
    weights: {
      weight_type: 'customized',
      vector_setting: { vector_weight: vectorWeight, embedding_provider_name: '', embedding_model_name: '' },
      keyword_setting: { keyword_weight: Math.round((1 - vectorWeight) * 100) / 100 },
    },
  };
}

/** Never occurs in the texts: each corpus entry becomes one segment, unless longer than 4,000 characters (the maximum). */
const SEPARATOR = '\u2042\u2042\u2042';
const PROCESS_RULE = {
  mode: 'custom',
  rules: { pre_processing_rules: [], segmentation: { separator: SEPARATOR, max_tokens: 4000, chunk_overlap: 0 } },
};

/**
 * The whole corpus as one document, one segment per entry (one indexing run: fast enough for a test). Answers the
 * dataset id and how to tell a record's corpus id (segments are matched by their content).
 */
export async function createCorpusDocument(
  rest: Rest,
  docs: readonly BeirDoc[],
  options: { name: string; technique: 'high_quality' | 'economy' },
): Promise<{ datasetId: string; idOf: (record: RetrievedRecord) => string }> {
  const created = await rest('POST', '/v1/datasets', { name: options.name, indexing_technique: options.technique });
  if (created.status !== 200) throw new Error(`create dataset: HTTP ${created.status} ${JSON.stringify(created.body)}`);
  const datasetId = created.body.id as string;
  const res = await rest('POST', `/v1/datasets/${datasetId}/document/create-by-text`, {
    name: 'corpus',
    text: docs.map(docText).join(SEPARATOR),
    indexing_technique: options.technique,
    process_rule: PROCESS_RULE,
  });
  if (res.status !== 200) throw new Error(`create corpus: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  const texts = docs.map((d) => ({ id: d.id, text: docText(d) }));
  const known = new Map<string, string>();
  // A segment is its entry's text, or a piece of it when the entry was longer than the segment limit.
  const idOf = (record: RetrievedRecord) => {
    const content = record.segment.content.trim();
    let id = known.get(content);
    if (id === undefined) {
      id = texts.find((t) => t.text.includes(content))?.id ?? `?${content.slice(0, 40)}`;
      known.set(content, id);
    }
    return id;
  };
  return { datasetId, idOf };
}

export interface RetrievedRecord {
  segment: { content: string; document: { name: string } };
}

/** One document per corpus entry, named by its id. */
export const byDocumentName = (record: RetrievedRecord) => record.segment.document.name;

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(runners);
}

/** Creates the dataset and one document per corpus entry (named by its id); answers the dataset id. */
export async function createCorpusDataset(
  rest: Rest,
  docs: readonly BeirDoc[],
  options: { name: string; technique: 'high_quality' | 'economy'; concurrency: number; onProgress?: (created: number) => void },
): Promise<string> {
  const created = await rest('POST', '/v1/datasets', { name: options.name, indexing_technique: options.technique });
  if (created.status !== 200) throw new Error(`create dataset: HTTP ${created.status} ${JSON.stringify(created.body)}`);
  const datasetId = created.body.id as string;
  let done = 0;
  await pool(docs, options.concurrency, async (doc) => {
    const create = () =>
      rest('POST', `/v1/datasets/${datasetId}/document/create-by-text`, {
        name: doc.id,
        text: docText(doc),
        indexing_technique: options.technique,
        process_rule: PROCESS_RULE,
      });
    const res = await create();
    if (res.status !== 200) throw new Error(`create ${doc.id}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    if (++done % 50 === 0) options.onProgress?.(done);
  });
  return datasetId;
}

/** Waits until `pending()` is 0, reporting progress; fails after `timeoutMs` without progress. */
export async function waitFor(pending: () => Promise<number>, options: { timeoutMs?: number; onProgress?: (left: number) => void } = {}) {
  let last = Number.POSITIVE_INFINITY;
  let since = Date.now();
  let reported = 0;
  for (;;) {
    const left = await pending();
    if (left === 0) return;
    if (left < last) {
      if (Date.now() - reported > 10_000) {
        reported = Date.now();
        options.onProgress?.(left);
      }
      last = left;
      since = Date.now();
    } else if (Date.now() - since > (options.timeoutMs ?? 120_000)) {
      throw new Error(`indexing made no progress for ${options.timeoutMs ?? 120_000} ms (${left} left)`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface MethodResult {
  name: string;
  ndcg10: number;
  recall100: number;
  mrr10: number;
  p50Ms: number;
  /** Queries whose first ten records (segments) differ between top_k 10 and top_k 100. */
  unstableTop10: number;
}

export interface EvaluateOptions {
  /** The corpus id of a record; default: its document's name. */
  idOf?: (record: RetrievedRecord) => string;
  /** Only top_k 100 (every metric from it), halving the requests; the top_k stability check is then skipped. */
  singleTopK?: boolean;
}

export async function evaluateMethod(
  rest: Rest,
  datasetId: string,
  collection: Collection,
  method: Method,
  options: EvaluateOptions = {},
): Promise<MethodResult> {
  const idOf = options.idOf ?? byDocumentName;
  const rankedDocs = (records: RetrievedRecord[]) => [...new Set(records.map(idOf))];
  const ndcg: number[] = [];
  const recall: number[] = [];
  const mrr: number[] = [];
  const latency: number[] = [];
  let unstable = 0;
  const search = async (query: string, topK: number) => {
    const started = performance.now();
    const res = await rest('POST', `/v1/datasets/${datasetId}/retrieve`, { query, retrieval_model: { ...method.model, top_k: topK } });
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`${method.name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    const records = res.body.records as Array<RetrievedRecord & { segment: { id: string } }>;
    return { ranked: rankedDocs(records), first10: records.slice(0, 10).map((r) => r.segment.id).join(), ms };
  };
  for (const query of collection.queries) {
    const judged = collection.qrels.get(query.id) ?? new Map<string, number>();
    const top100 = await search(query.text, 100);
    const top10 = options.singleTopK ? { ...top100, ranked: top100.ranked.slice(0, 10) } : await search(query.text, 10);
    latency.push(top10.ms);
    ndcg.push(ndcgAt(10, top10.ranked, judged));
    mrr.push(mrrAt(10, top10.ranked, judged));
    recall.push(recallAt(100, top100.ranked, judged));
    // The first ten records (segments) must be the same whatever top_k is.
    if (top10.first10 !== top100.first10) unstable++;
  }
  return { name: method.name, ndcg10: mean(ndcg), recall100: mean(recall), mrr10: mean(mrr), p50Ms: median(latency), unstableTop10: unstable };
}

/** The in-process reference's figures over the same documents and queries. */
export function evaluateRanking(collection: Collection, name: string, search: (query: string, k: number) => string[]): MethodResult {
  const latency: number[] = [];
  const rows = collection.queries.map((query) => {
    const judged = collection.qrels.get(query.id) ?? new Map<string, number>();
    const started = performance.now();
    const ranked = search(query.text, 100);
    latency.push(performance.now() - started);
    return { ndcg: ndcgAt(10, ranked, judged), recall: recallAt(100, ranked, judged), mrr: mrrAt(10, ranked, judged) };
  });
  return {
    name,
    ndcg10: mean(rows.map((r) => r.ndcg)),
    recall100: mean(rows.map((r) => r.recall)),
    mrr10: mean(rows.map((r) => r.mrr)),
    p50Ms: median(latency),
    unstableTop10: 0,
  };
}

export function formatTable(reference: MethodResult, results: readonly MethodResult[]): string {
  const ratio = (value: number, ref: number) => (ref === 0 ? '–' : `${(value / ref).toFixed(2)}×`);
  const lines = [
    '| method | nDCG@10 | Recall@100 | MRR@10 | p50 ms | top-10 records differ (k 10 vs 100) |',
    '|---|---|---|---|---|---|',
    `| BM25 reference (in-process) | ${reference.ndcg10.toFixed(3)} | ${reference.recall100.toFixed(3)} | ${reference.mrr10.toFixed(3)} | ${reference.p50Ms.toFixed(1)} | |`,
  ];
  for (const r of results) {
    lines.push(
      `| ${r.name} | ${r.ndcg10.toFixed(3)} (${ratio(r.ndcg10, reference.ndcg10)}) | ${r.recall100.toFixed(3)} (${ratio(r.recall100, reference.recall100)}) | ` +
        `${r.mrr10.toFixed(3)} (${ratio(r.mrr10, reference.mrr10)}) | ${r.p50Ms.toFixed(1)} | ${r.unstableTop10} |`,
    );
  }
  return lines.join('\n');
}

/**
 * A REST client over node:http with a fresh connection per request: the server closes idle keep-alive sockets after
 * 5 s, and a client reusing one at that moment gets ECONNRESET (seen here while PGlite keeps the event loop busy).
 */
export function restClient(baseUrl: string, key: string): Rest {
  return (method, path, body) =>
    new Promise((resolvePromise, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        new URL(path, baseUrl),
        {
          method,
          agent: false,
          headers: {
            Authorization: `Bearer ${key}`,
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolvePromise({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
            } catch (error) {
              reject(new Error(`${method} ${path}: HTTP ${res.statusCode}, not JSON: ${text.slice(0, 200)}`, { cause: error }));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}
