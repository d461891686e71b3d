// `npm run bench`: seeds a dataset of 20,000 segments through the real pipeline and measures, in one run, each figure
// against a baseline taken in the same run (ratios, so the numbers travel between machines):
//   - ingestion: segments/s from create-by-text to `completed`, versus a bare multi-row INSERT of the same rows and vectors;
//   - REST /retrieve (semantic) p50/p95, versus the raw SQL HNSW query it issues;
//   - hybrid versus semantic; REST versus the same GraphQL operation.
// On PGlite by default; with DATABASE_URL, on a scratch database created (and dropped) on that PostgreSQL.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { print } from 'graphql';
import pg from 'pg';
import pgvector from 'pgvector';
import { listen } from '../src/app.ts';
import { type JsonClient, jsonClient } from './http-client.ts';
import type { LoadRequest } from './load-thread.ts';
import { printProfile } from './profile.ts';
import { mainThreadCpuMs } from './thread-cpu.ts';
import { scratchDatabase } from './scratch-database.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { startupOptions } from '../src/db/session-settings.ts';
import { migrate } from '../src/db/migrate.ts';
import { createApiKey } from '../src/domain/api-keys/service.ts';
import { RestRetrieveDocument } from '../src/generated/graphql.ts';
import { BUILTIN_EMBEDDING } from '../src/domain/models/registry.ts';
import { embedStemmed } from '../src/indexing/embed/builtin-stemmed.ts';
import { createLogger } from '../src/logger.ts';
import { createServices } from '../src/services.ts';
import { moduleUrl, TYPESCRIPT_WORKER } from '../src/threads/typescript-worker.ts';

const SEGMENTS = Number(process.env.BENCH_SEGMENTS ?? 20_000);
/** The built-in model new datasets get: the baselines use its vectors, so they go through the same HNSW index. */
const embed = embedStemmed;
const DIMENSION = BUILTIN_EMBEDDING.dimension;
/** When set (e.g. 100000), retrieval is measured again once the dataset holds this many segments. */
const GROWTH = Number(process.env.BENCH_GROWTH ?? 0);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
/** BENCH_INGESTION_ONLY=1: ingestion figures alone (with BENCH_SCALING=1, scaling too); no retrieval. */
const INGESTION_ONLY = process.env.BENCH_INGESTION_ONLY === '1';
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Deterministic pseudo-random words, so every run indexes the same corpus. */
function corpus() {
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const syllables = ['ka', 'lo', 'mi', 'ne', 'tu', 'ra', 'shi', 'po', 've', 'da', 'qu', 'zen', 'or', 'bel', 'fi', 'gra'];
  const words = Array.from({ length: 3000 }, () =>
    Array.from({ length: 2 + Math.floor(next() * 3) }, () => syllables[Math.floor(next() * syllables.length)]).join(''),
  );
  const pick = () => words[Math.floor(next() * words.length)] as string;
  const lines = Array.from({ length: SEGMENTS }, (_, i) => `Entry ${i}: ${Array.from({ length: 12 }, pick).join(' ')}.`);
  const queries = Array.from({ length: QUERIES }, () => Array.from({ length: 3 }, pick).join(' '));
  return { lines, queries };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};

async function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

async function main() {
  const adminUrl = process.env.DATABASE_URL;
  const scratch = adminUrl ? await scratchDatabase(adminUrl) : null;
  const databaseUrl = scratch?.url;
  const dropDatabase = async () => scratch?.drop();
  const db = await openDatabase(databaseUrl ? { databaseUrl, dataDir: '' } : { dataDir: 'memory://' });
  await migrate(db);
  const config = loadConfig({ LOG_LEVEL: 'silent', INDEXING_POLL_MS: '50', INDEXING_BATCH_SIZE: '500', ...(databaseUrl ? { DATABASE_URL: databaseUrl, SECRET_KEY: 'bench-secret-key-one-process' } : {}) });
  const logger = createLogger('silent');
  const services = await createServices(config, db, logger);
  await services.worker.start();
  const server = await listen({ config, db, logger, services }, 0, '127.0.0.1');
  const { key } = await createApiKey(db.prisma, { workspace: 'bench' });
  const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
  const client = jsonClient(server.url, headers);
  const rest = async (method: string, path: string, body?: unknown) =>
    (await client.request(method, path, body)) as Record<string, unknown> & { data?: unknown };

  try {
    const machine = `${process.platform} ${process.arch}, Node ${process.version}, ${db.kind}`;
    log(`database: ${db.kind}; ${SEGMENTS} segments, ${QUERIES} queries`);
    const { lines, queries } = corpus();
    const dataset = (await rest('POST', '/v1/datasets', { name: 'bench', indexing_technique: 'high_quality' })) as { id: string };

    // Ingestion through the API and the worker.
    const rule = { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\\n', max_tokens: 400 } } };
    /** Segments/s of INDEXING_CONCURRENCY 4 ÷ 1: the same eight documents through a worker of each setting. */
    const measureScaling = async () => {
      await services.worker.stop();
      const rates: number[] = [];
      for (const concurrency of [1, 4]) {
        const scaled = await createServices({ ...config, indexing: { ...config.indexing, concurrency }, cpu: { ...config.cpu, threads: concurrency } }, db, logger);
        await scaled.worker.start();
        const { id } = (await rest('POST', '/v1/datasets', { name: `bench-scaling-${concurrency}`, indexing_technique: 'high_quality' })) as { id: string };
        const [ms] = await time(async () => {
          for (let d = 0; d < 8; d++) {
            await rest('POST', `/v1/datasets/${id}/document/create-by-text`, {
              name: `scaling-${d}.txt`,
              text: lines.slice(d * 250, d * 250 + 250).join('\n'),
              process_rule: rule,
            });
          }
          for (;;) {
            const list = (await rest('GET', `/v1/datasets/${id}/documents?limit=100`)) as { data: { indexing_status: string }[] };
            if (list.data.length === 8 && list.data.every((doc) => doc.indexing_status === 'completed')) break;
            await new Promise((r) => setTimeout(r, 100));
          }
        });
        rates.push((8 * 250) / ms);
        await scaled.close();
      }
      log(`scaling: concurrency 1 ${((rates[0] as number) * 1000).toFixed(0)} segments/s, 4 ${((rates[1] as number) * 1000).toFixed(0)} segments/s`);
      return (rates[1] as number) / (rates[0] as number);
    };
    const [ingestMs] = await time(async () => {
      const created = (await rest('POST', `/v1/datasets/${dataset.id}/document/create-by-text`, { name: 'corpus', text: lines.join('\n'), process_rule: rule })) as { batch: string };
      for (;;) {
        const status = (await rest('GET', `/v1/datasets/${dataset.id}/documents/${created.batch}/indexing-status`)) as { data: Array<{ indexing_status: string; completed_segments: number; error: string | null }> };
        const [doc] = status.data;
        if (doc?.indexing_status === 'completed') break;
        if (doc?.indexing_status === 'error') throw new Error(`indexing failed: ${doc.error}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    const segmentCount = await db.prisma.segment.count({ where: { datasetId: dataset.id } });
    log(`pipeline: ${segmentCount} segments in ${(ingestMs / 1000).toFixed(1)} s`);

    // Baseline: the same rows and vectors (computed beforehand) in bare multi-row INSERTs, into the same tables.
    const vectors = lines.map((l) => embed(l).vector);
    const workspaceId = (await db.prisma.dataset.findUniqueOrThrow({ where: { id: dataset.id } })).workspaceId;
    const docId = randomUUID();
    await db.prisma.document.create({ data: { id: docId, workspaceId, datasetId: dataset.id, position: 2, batch: 'bench', name: 'bare', createdBy: randomUUID(), indexingStatus: 'completed', enabled: false } });
    const [bareMs] = await time(() => bulkInsert(db, workspaceId, dataset.id, lines.length, false, lines, vectors, docId));
    log(`bare INSERT: ${lines.length} rows in ${(bareMs / 1000).toFixed(1)} s`);
    if (INGESTION_ONLY) {
      const scalingOnly = process.env.BENCH_SCALING === '1' ? await measureScaling() : null;
      process.stdout.write(
        `\nknowledge-gateway bench (ingestion only): ${machine}; pipeline ${((segmentCount / ingestMs) * 1000).toFixed(0)} segments/s, ` +
          `bare INSERT ${((lines.length / bareMs) * 1000).toFixed(0)} rows/s, ratio ${(segmentCount / ingestMs / (lines.length / bareMs)).toFixed(2)}` +
          `${scalingOnly === null ? '' : `; INDEXING_CONCURRENCY 4 ÷ 1 ${scalingOnly.toFixed(2)}`}\n`,
      );
      return;
    }
    // Queries are measured on fresh statistics, as autovacuum leaves them on a server after a bulk load. (PGlite has
    // no autovacuum: without this its planner, with default estimates, may rank a large dataset by exact distance.)
    await analyze(db);

    // Retrieval latencies.
    const semantic = { search_method: 'semantic_search', reranking_enable: false, top_k: 4, score_threshold_enabled: false };
    const hybrid = { ...semantic, search_method: 'hybrid_search', reranking_mode: 'weighted_score' };
    const graphqlBody = (query: string) => ({
      query: print(RestRetrieveDocument),
      variables: { datasetId: dataset.id, query, retrievalModel: { searchMethod: 'SEMANTIC_SEARCH', rerankingEnable: false, topK: 4, scoreThresholdEnabled: false } },
    });
    const sql = `SELECT e.node_id, e.segment_id, e.child_chunk_id, 1 - (e.embedding::vector(${DIMENSION}) <=> $1::vector(${DIMENSION})) AS score
       FROM embeddings e JOIN segments s ON s.id = e.segment_id JOIN documents d ON d.id = e.document_id
      WHERE e.dimension = ${DIMENSION} AND e.dataset_id = $2::uuid AND s.enabled AND s.status = 'completed'
        AND d.enabled AND NOT d.archived AND d.indexing_status = 'completed' AND ($4::uuid[] IS NULL OR e.document_id = ANY($4::uuid[]))
      ORDER BY e.embedding::vector(${DIMENSION}) <=> $1::vector(${DIMENSION}) LIMIT $3`;
    // The baseline is the query alone, straight through node-postgres, on connections with the gateway's session
    // settings (start-up options on PostgreSQL; the embedded engine's one session has them already).
    const raw = new pg.Pool({ connectionString: db.url, max: 8, options: db.kind === 'postgres' ? startupOptions() : undefined });
    const rawRetrieve = (vector: string) => raw.query(sql, [vector, dataset.id, 4, null]);
    const measures: Record<string, number[]> = { sql: [], rest: [], graphql: [], hybrid: [] };
    const run = async (name: string, work: () => Promise<unknown>) => {
      const [ms] = await time(work);
      measures[name]?.push(ms);
    };
    for (const [i, query] of queries.entries()) {
      const vector = pgvector.toSql(embed(query).vector);
      const warmup = i < 10;
      const target = (name: string, work: () => Promise<unknown>) => (warmup ? work() : run(name, work));
      await target('sql', () => rawRetrieve(vector));
      await target('rest', () => rest('POST', `/v1/datasets/${dataset.id}/retrieve`, { query, retrieval_model: semantic }));
      await target('graphql', () => client.request('POST', '/graphql', graphqlBody(query)));
      await target('hybrid', () => rest('POST', `/v1/datasets/${dataset.id}/retrieve`, { query, retrieval_model: hybrid }));
    }
    const p = (name: string, q: number) => percentile(measures[name] as number[], q);

    // Throughput at concurrency 8, and CPU time of this process (client and server) per request.
    const vectors8 = queries.map((q) => pgvector.toSql(embed(q).vector));
    const rawRate = await throughput(queries.length, (i) => rawRetrieve(vectors8[i] as string));
    const restRate = await throughput(queries.length, (i) =>
      rest('POST', `/v1/datasets/${dataset.id}/retrieve`, { query: queries[i], retrieval_model: semantic }),
    );
    log(`throughput c=8: raw ${rawRate.perSecond.toFixed(0)}/s, REST ${restRate.perSecond.toFixed(0)}/s`);
    // The server's request thread alone: the same requests sent from another thread.
    const serverCpu = await serverThreadCpu(server.url, headers, queries.map((query) => ({
      method: 'POST',
      path: `/v1/datasets/${dataset.id}/retrieve`,
      body: { query, retrieval_model: semantic },
    })));

    // Lists: GraphQL pages of 20 versus one SQL statement returning what they show.
    const lists = await listThroughput(rest, client, db, raw, dataset.id);

    // Growth: the same queries once the dataset holds BENCH_GROWTH segments (bulk-inserted, as the baseline above).
    let grown: { segments: number; p50: number } | null = null;
    if (GROWTH > segmentCount + lines.length) {
      const extra = GROWTH - segmentCount - lines.length;
      log(`growth: inserting ${extra} more segments`);
      await bulkInsert(db, workspaceId, dataset.id, extra, true);
      await analyze(db);
      const latencies: number[] = [];
      for (const [i, query] of queries.entries()) {
        const [ms] = await time(() => rest('POST', `/v1/datasets/${dataset.id}/retrieve`, { query, retrieval_model: semantic }));
        if (i >= 10) latencies.push(ms);
      }
      grown = { segments: GROWTH, p50: percentile(latencies, 50) };
    }
    // INDEXING_CONCURRENCY 4 against 1: the same eight documents through a worker of each setting (BENCH_SCALING=1).
    const scaling = process.env.BENCH_SCALING === '1' ? await measureScaling() : null;

    const rows = [
      ['REST /retrieve semantic ÷ raw SQL HNSW query (p50)', p('rest', 50) / p('sql', 50), '≤ 1.5'],
      ['REST /retrieve semantic ÷ raw SQL HNSW query (p95)', p('rest', 95) / p('sql', 95), ''],
      ['REST ÷ same GraphQL operation (p50)', p('rest', 50) / p('graphql', 50), '≤ 1.1'],
      ['throughput at concurrency 8: REST ÷ raw SQL (requests/s)', restRate.perSecond / rawRate.perSecond, '≥ 0.5'],
      ...(serverCpu !== null ? ([['CPU of the server\'s request thread per REST retrieve (ms; client in another thread)', serverCpu, '≤ 2']] as const) : []),
      ['GraphQL documents(first: 20) ÷ raw SQL (requests/s, c=8)', lists.documents, '≥ 0.3'],
      ['GraphQL datasets(first: 20) ÷ raw SQL (requests/s, c=8)', lists.datasets, '≥ 0.3'],
      ['hybrid ÷ semantic, REST (p50) ', p('hybrid', 50) / p('rest', 50), '≤ 1.5'],
      ['ingestion: pipeline ÷ bare multi-row INSERT (segments/s)', segmentCount / ingestMs / (lines.length / bareMs), '≥ 0.7'],
      ...(scaling !== null ? ([['ingestion: INDEXING_CONCURRENCY 4 ÷ 1 (segments/s, 8 documents)', scaling, '≥ 1.7']] as const) : []),
      ...(grown ? ([[`REST semantic p50 at ${grown.segments} ÷ at ${segmentCount + lines.length} segments`, grown.p50 / p('rest', 50), '≤ 1.3']] as const) : []),
    ] as const;
    process.stdout.write(`\nknowledge-gateway bench: ${machine}; ${segmentCount} segments, ${QUERIES - 10} measured queries\n\n`);
    process.stdout.write('| figure | ratio | target |\n|---|---|---|\n');
    for (const [name, ratio, target] of rows) process.stdout.write(`| ${name} | ${ratio.toFixed(2)} | ${target} |\n`);
    if (process.argv.includes('--profile')) {
      // In this process: the client's side of each request is in the figures too (fetch, JSON). The worker stops
      // first, so that its polling is not counted.
      await services.worker.stop();
      await printProfile('REST /retrieve (semantic)', (i) =>
        rest('POST', `/v1/datasets/${dataset.id}/retrieve`, { query: queries[i % queries.length], retrieval_model: semantic }),
      );
      await printProfile('raw SQL HNSW query', (i) => rawRetrieve(vectors8[i % vectors8.length] as string));
    }
    await raw.end();
    process.stdout.write(
      `\nabsolute (ms): raw SQL p50 ${p('sql', 50).toFixed(2)} p95 ${p('sql', 95).toFixed(2)}; REST semantic p50 ${p('rest', 50).toFixed(2)} p95 ${p('rest', 95).toFixed(2)}; ` +
        `GraphQL p50 ${p('graphql', 50).toFixed(2)}; hybrid p50 ${p('hybrid', 50).toFixed(2)}; ` +
        `pipeline ${((segmentCount / ingestMs) * 1000).toFixed(0)} segments/s; bare INSERT ${((lines.length / bareMs) * 1000).toFixed(0)} rows/s; ` +
        `c=8: raw ${rawRate.perSecond.toFixed(0)}/s, REST ${restRate.perSecond.toFixed(0)}/s, CPU of this process per REST retrieve ${restRate.cpuMs.toFixed(2)} ms (raw ${rawRate.cpuMs.toFixed(2)} ms)\n`,
    );
  } finally {
    client.close();
    await server.close();
    await services.close();
    await db.close();
    await dropDatabase();
  }
}


const analyze = (db: Database) => db.exec('ANALYZE embeddings, segments, documents, fulltext_entries, fulltext_postings');

/**
 * CPU milliseconds of this process's main thread (the server: HTTP, GraphQL, Prisma, node-postgres) per request, the
 * requests sent 8 at a time from a worker thread; null where the kernel does not report a thread's CPU time.
 */
async function serverThreadCpu(url: string, headers: Record<string, string>, requests: LoadRequest[], concurrency = 8) {
  const load = new Worker(TYPESCRIPT_WORKER, {
    workerData: { module: moduleUrl('./load-thread.ts', import.meta.url), url, headers, requests, concurrency },
  });
  try {
    await once(load, 'message');
    const before = mainThreadCpuMs();
    load.postMessage('go');
    await once(load, 'message');
    const after = mainThreadCpuMs();
    return before === null || after === null ? null : (after - before) / requests.length;
  } finally {
    await load.terminate();
  }
}

/** Requests per second and this process's CPU milliseconds per request, `count` requests 8 at a time. */
async function throughput(count: number, work: (i: number) => Promise<unknown>, concurrency = 8) {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { perSecond: count / (elapsed / 1000), cpuMs: (used.user + used.system) / 1000 / count };
}

/**
 * Segments with vectors in multi-row INSERTs of 500 (the ingestion baseline, and the growth step). `usable` rows go
 * into an enabled, completed document, so that retrieval has to rank them.
 */
async function bulkInsert(
  db: Database,
  workspaceId: string,
  datasetId: string,
  count: number,
  usable: boolean,
  texts?: string[],
  vectors?: number[][],
  documentId?: string,
) {
  const docId = documentId ?? randomUUID();
  if (!documentId) {
    await db.prisma.document.create({
      data: { id: docId, workspaceId, datasetId, position: 3, batch: 'bench', name: 'bulk', createdBy: randomUUID(), indexingStatus: 'completed', enabled: usable },
    });
  }
  for (let start = 0; start < count; start += 500) {
    const size = Math.min(500, count - start);
    const slice = texts?.slice(start, start + size) ?? Array.from({ length: size }, (_, i) => `Bulk entry ${start + i}: filler text.`);
    const vectorSlice = vectors?.slice(start, start + size) ?? slice.map((t) => embed(t).vector);
    const ids = slice.map(() => randomUUID());
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO segments (id, workspace_id, dataset_id, document_id, position, content, word_count, tokens, index_node_id, index_node_hash, status, enabled, created_by)
       SELECT id, $1::uuid, $2::uuid, $3::uuid, pos, content, length(content), 0, id::text, md5(content), 'completed', $7, $1::uuid
         FROM unnest($4::uuid[], $5::int[], $6::text[]) AS t(id, pos, content)`,
      workspaceId, datasetId, docId, ids, slice.map((_, i) => start + i + 1), slice, usable,
    );
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO embeddings (id, node_id, workspace_id, dataset_id, document_id, segment_id, model, dimension, embedding)
       SELECT gen_random_uuid(), id::text, $1::uuid, $2::uuid, $3::uuid, id, 'bare', ${DIMENSION}, v::vector
         FROM unnest($4::uuid[], $5::text[]) AS t(id, v)`,
      workspaceId, datasetId, docId, ids, vectorSlice.map((v) => pgvector.toSql(v)),
    );
  }
}

/** GraphQL `documents(first: 20)` and `datasets(first: 20)` against SQL returning the same fields, 8 at a time. */
async function listThroughput(
  rest: (method: string, path: string, body?: unknown) => Promise<unknown>,
  client: JsonClient,
  db: Database,
  raw: pg.Pool,
  benchDatasetId: string,
) {
  const { id: listDataset } = (await rest('POST', '/v1/datasets', { name: 'bench-lists', indexing_technique: 'economy' })) as { id: string };
  for (let i = 0; i < 20; i++) {
    await rest('POST', `/v1/datasets/${listDataset}/document/create-by-text`, {
      name: `list-${i}.txt`,
      text: `List document ${i}.`,
      process_rule: { mode: 'automatic' },
    });
    await rest('POST', '/v1/datasets', { name: `bench-list-${i}`, indexing_technique: 'economy' });
  }
  const workspaceId = (await db.prisma.dataset.findUniqueOrThrow({ where: { id: benchDatasetId } })).workspaceId;
  const gql = (query: string, variables: Record<string, unknown>) => () => client.request('POST', '/graphql', { query, variables });
  const documentsQuery = gql(
    `query ($id: ID!) { dataset(id: $id) { ... on Dataset { documents(first: 20) { edges { node {
       id name indexingStatus wordCount segmentCount hitCount createdAt } } } } } }`,
    { id: listDataset },
  );
  const datasetsQuery = gql('{ datasets(first: 20) { edges { node { id name documentCount wordCount createdAt } } } }', {});
  const documentsSql = () =>
    raw.query(
      `SELECT d.id, d.name, d.indexing_status, d.word_count, d.created_at,
              (SELECT count(*) FROM segments s WHERE s.document_id = d.id) AS segments,
              (SELECT coalesce(sum(hit_count), 0) FROM segments s WHERE s.document_id = d.id) AS hits
         FROM documents d WHERE d.dataset_id = $1 ORDER BY d.position DESC, d.id LIMIT 20`,
      [listDataset],
    );
  const datasetsSql = () =>
    raw.query(
      `SELECT ds.id, ds.name, ds.created_at, count(d.id) AS documents, coalesce(sum(d.word_count), 0) AS words
         FROM datasets ds LEFT JOIN documents d ON d.dataset_id = ds.id
        WHERE ds.workspace_id = $1 GROUP BY ds.id ORDER BY ds.created_at DESC, ds.id LIMIT 20`,
      [workspaceId],
    );
  const ratio = async (graphql: () => Promise<unknown>, sqlWork: () => Promise<unknown>) => {
    await throughput(20, graphql);
    await throughput(20, sqlWork);
    const g = await throughput(200, graphql);
    const s = await throughput(200, sqlWork);
    return g.perSecond / s.perSecond;
  };
  return { documents: await ratio(documentsQuery, documentsSql), datasets: await ratio(datasetsQuery, datasetsSql) };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
