// `npm run bench`: seeds a dataset of 20,000 segments through the real pipeline and measures, in one run, each figure
// against a baseline taken in the same run (ratios, so the numbers travel between machines):
//   - ingestion: segments/s from create-by-text to `completed`, versus a bare multi-row INSERT of the same rows and vectors;
//   - REST /retrieve (semantic) p50/p95, versus the raw SQL HNSW query it issues;
//   - hybrid versus semantic; REST versus the same GraphQL operation.
// On PGlite by default; with DATABASE_URL, on a scratch database created (and dropped) on that PostgreSQL.
import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import pgvector from 'pgvector';
import { listen } from '../src/app.ts';
import { scratchDatabase } from './scratch-database.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createApiKey } from '../src/domain/api-keys/service.ts';
import { RestRetrieveDocument } from '../src/generated/graphql.ts';
import { embedLexical } from '../src/indexing/embed/builtin-lexical.ts';
import { createLogger } from '../src/logger.ts';
import { createServices } from '../src/services.ts';

const SEGMENTS = Number(process.env.BENCH_SEGMENTS ?? 20_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
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
  const rest = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return (await res.json()) as Record<string, unknown> & { data?: unknown };
  };

  try {
    const machine = `${process.platform} ${process.arch}, Node ${process.version}, ${db.kind}`;
    log(`database: ${db.kind}; ${SEGMENTS} segments, ${QUERIES} queries`);
    const { lines, queries } = corpus();
    const dataset = (await rest('POST', '/v1/datasets', { name: 'bench', indexing_technique: 'high_quality' })) as { id: string };

    // Ingestion through the API and the worker.
    const rule = { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\\n', max_tokens: 400 } } };
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
    const vectors = lines.map((l) => embedLexical(l).vector);
    const workspaceId = (await db.prisma.dataset.findUniqueOrThrow({ where: { id: dataset.id } })).workspaceId;
    const docId = randomUUID();
    await db.prisma.document.create({ data: { id: docId, workspaceId, datasetId: dataset.id, position: 2, batch: 'bench', name: 'bare', createdBy: randomUUID(), indexingStatus: 'completed', enabled: false } });
    const [bareMs] = await time(async () => {
      for (let start = 0; start < lines.length; start += 500) {
        const slice = lines.slice(start, start + 500);
        const ids = slice.map(() => randomUUID());
        await db.prisma.$executeRawUnsafe(
          `INSERT INTO segments (id, workspace_id, dataset_id, document_id, position, content, word_count, tokens, index_node_id, index_node_hash, status, enabled, created_by)
           SELECT id, $1::uuid, $2::uuid, $3::uuid, pos, content, length(content), 0, id::text, md5(content), 'completed', false, $1::uuid
             FROM unnest($4::uuid[], $5::int[], $6::text[]) AS t(id, pos, content)`,
          workspaceId, dataset.id, docId, ids, slice.map((_, i) => start + i + 1), slice,
        );
        await db.prisma.$executeRawUnsafe(
          `INSERT INTO embeddings (id, node_id, workspace_id, dataset_id, document_id, segment_id, model, dimension, embedding)
           SELECT gen_random_uuid(), id::text, $1::uuid, $2::uuid, $3::uuid, id, 'bare', 384, v::vector
             FROM unnest($4::uuid[], $5::text[]) AS t(id, v)`,
          workspaceId, dataset.id, docId, ids, vectors.slice(start, start + 500).map((v) => pgvector.toSql(v)),
        );
      }
    });
    log(`bare INSERT: ${lines.length} rows in ${(bareMs / 1000).toFixed(1)} s`);

    // Retrieval latencies.
    const semantic = { search_method: 'semantic_search', reranking_enable: false, top_k: 4, score_threshold_enabled: false };
    const hybrid = { ...semantic, search_method: 'hybrid_search', reranking_mode: 'weighted_score' };
    const graphqlBody = (query: string) => ({
      query: print(RestRetrieveDocument),
      variables: { datasetId: dataset.id, query, retrievalModel: { searchMethod: 'SEMANTIC_SEARCH', rerankingEnable: false, topK: 4, scoreThresholdEnabled: false } },
    });
    const sql = `SELECT e.node_id, e.segment_id, e.child_chunk_id, 1 - (e.embedding::vector(384) <=> $1::vector(384)) AS score
       FROM embeddings e JOIN segments s ON s.id = e.segment_id JOIN documents d ON d.id = e.document_id
      WHERE e.dimension = 384 AND e.dataset_id = $2::uuid AND s.enabled AND s.status = 'completed'
        AND d.enabled AND NOT d.archived AND d.indexing_status = 'completed' AND ($4::uuid[] IS NULL OR e.document_id = ANY($4::uuid[]))
      ORDER BY e.embedding::vector(384) <=> $1::vector(384) LIMIT $3`;
    const measures: Record<string, number[]> = { sql: [], rest: [], graphql: [], hybrid: [] };
    const run = async (name: string, work: () => Promise<unknown>) => {
      const [ms] = await time(work);
      measures[name]?.push(ms);
    };
    for (const [i, query] of queries.entries()) {
      const vector = pgvector.toSql(embedLexical(query).vector);
      const warmup = i < 10;
      const target = (name: string, work: () => Promise<unknown>) => (warmup ? work() : run(name, work));
      await target('sql', () =>
        db.prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(`SET LOCAL hnsw.iterative_scan = 'relaxed_order'`);
          await tx.$executeRawUnsafe('SET LOCAL hnsw.ef_search = 100');
          return tx.$queryRawUnsafe(sql, vector, dataset.id, 4, null);
        }),
      );
      await target('rest', () => rest('POST', `/v1/datasets/${dataset.id}/retrieve`, { query, retrieval_model: semantic }));
      await target('graphql', () => fetch(`${server.url}/graphql`, { method: 'POST', headers, body: JSON.stringify(graphqlBody(query)) }).then((r) => r.json()));
      await target('hybrid', () => rest('POST', `/v1/datasets/${dataset.id}/retrieve`, { query, retrieval_model: hybrid }));
    }
    const p = (name: string, q: number) => percentile(measures[name] as number[], q);
    const rows = [
      ['REST /retrieve semantic ÷ raw SQL HNSW query (p50)', p('rest', 50) / p('sql', 50), '≤ 1.5'],
      ['REST /retrieve semantic ÷ raw SQL HNSW query (p95)', p('rest', 95) / p('sql', 95), ''],
      ['hybrid ÷ semantic, REST (p50)', p('hybrid', 50) / p('rest', 50), ''],
      ['REST ÷ same GraphQL operation (p50)', p('rest', 50) / p('graphql', 50), '≤ 1.1'],
      ['ingestion: pipeline ÷ bare multi-row INSERT (segments/s)', segmentCount / ingestMs / (lines.length / bareMs), '≥ 0.5'],
    ] as const;
    process.stdout.write(`\nknowledge-gateway bench: ${machine}; ${segmentCount} segments, ${QUERIES - 10} measured queries\n\n`);
    process.stdout.write('| figure | ratio | target |\n|---|---|---|\n');
    for (const [name, ratio, target] of rows) process.stdout.write(`| ${name} | ${ratio.toFixed(2)} | ${target} |\n`);
    process.stdout.write(
      `\nabsolute (ms): raw SQL p50 ${p('sql', 50).toFixed(2)} p95 ${p('sql', 95).toFixed(2)}; REST semantic p50 ${p('rest', 50).toFixed(2)} p95 ${p('rest', 95).toFixed(2)}; ` +
        `GraphQL p50 ${p('graphql', 50).toFixed(2)}; hybrid p50 ${p('hybrid', 50).toFixed(2)}; ` +
        `pipeline ${((segmentCount / ingestMs) * 1000).toFixed(0)} segments/s; bare INSERT ${((lines.length / bareMs) * 1000).toFixed(0)} rows/s\n`,
    );
  } finally {
    await server.close();
    await services.close();
    await db.close();
    await dropDatabase();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
