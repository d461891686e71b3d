// `npm run eval [-- --limit N] [--collection DIR] [--concurrency N] [--economy] [--write-readme]`
// Indexes a BEIR collection (default ../shared/eval/scifact) through the public REST API of an in-process server (PGlite
// in memory by default; with DATABASE_URL, a scratch database on that PostgreSQL; MEILISEARCH_URL switches full-text to
// Meilisearch), runs every search method through POST /v1/datasets/{id}/retrieve at top_k 10 and 100, and prints
// nDCG@10, Recall@100, MRR@10 and median latency next to an in-process BM25 computed over the same texts in this run.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { listen } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createApiKey } from '../src/domain/api-keys/service.ts';
import { createLogger } from '../src/logger.ts';
import { createServices } from '../src/services.ts';
import { type Collection, defaultCollection, docText, loadCollection, subset } from './eval/beir.ts';
import { Bm25 } from './eval/bm25.ts';
import { tune } from './eval/tune.ts';
import { createCorpusDataset, evaluateMethod, evaluateRanking, formatTable, METHODS, type MethodResult, restClient, waitFor } from './eval/harness.ts';

const log = (message: string) => process.stderr.write(`[eval] ${message}\n`);

const { values: args } = parseArgs({
  options: {
    collection: { type: 'string' },
    limit: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    economy: { type: 'boolean', default: false },
    'write-readme': { type: 'boolean', default: false },
    methods: { type: 'string' },
    tune: { type: 'boolean', default: false },
  },
});

async function scratchDatabase(adminUrl: string | undefined) {
  if (!adminUrl) return { url: undefined, drop: async () => {} };
  const name = `kg_eval_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function main() {
  const folder = args.collection ?? defaultCollection(resolve(import.meta.dirname, '..'));
  if (!folder) throw new Error('no collection: pass --collection DIR or set EVAL_COLLECTION');
  const full = loadCollection(folder);
  const collection = args.limit ? subset(full, Number(args.limit)) : full;
  log(`${folder}: ${collection.docs.length} documents, ${collection.queries.length} queries`);

  const reference = new Bm25();
  for (const doc of collection.docs) reference.add(doc.id, docText(doc));
  const bm25 = evaluateRanking(collection, 'BM25', (q, k) => reference.search(q, k));

  const scratch = await scratchDatabase(process.env.DATABASE_URL);
  try {
    await evaluate(collection, bm25, scratch.url);
  } finally {
    await scratch.drop();
  }
}

async function evaluate(collection: Collection, bm25: MethodResult, scratchUrl: string | undefined) {
  const db = await openDatabase(scratchUrl ? { databaseUrl: scratchUrl, dataDir: '' } : { dataDir: 'memory://' });
  await migrate(db);
  // EVAL_LOG_LEVEL (e.g. `error`) shows the server's log on stdout, to see why a request failed.
  const logLevel = process.env.EVAL_LOG_LEVEL ?? 'silent';
  const config = loadConfig({
    LOG_LEVEL: logLevel,
    INDEXING_POLL_MS: '50',
    ...(scratchUrl ? { DATABASE_URL: scratchUrl, SECRET_KEY: randomBytes(16).toString('hex') } : {}),
    ...(process.env.MEILISEARCH_URL ? { MEILISEARCH_URL: process.env.MEILISEARCH_URL, MEILISEARCH_INDEX: `kg_eval_${randomBytes(4).toString('hex')}` } : {}),
    ...(process.env.MEILISEARCH_API_KEY ? { MEILISEARCH_API_KEY: process.env.MEILISEARCH_API_KEY } : {}),
    ...(process.env.INDEXING_CONCURRENCY ? { INDEXING_CONCURRENCY: process.env.INDEXING_CONCURRENCY } : {}),
  });
  const logger = createLogger(logLevel);
  // As the server runs it: the indexing worker in a thread of its own.
  const services = await createServices(config, db, logger, { workerThread: true });
  await services.worker.start();
  const server = await listen({ config, db, logger, services }, 0, '127.0.0.1');
  const { key } = await createApiKey(db.prisma, { workspace: 'eval' });
  const rest = restClient(server.url, key);
  const where = `${db.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, full-text ${config.meilisearch?.url ? 'Meilisearch' : 'embedded'}`;
  log(`database: ${where}; Meilisearch: ${process.env.MEILISEARCH_URL ? 'on' : 'skipped (MEILISEARCH_URL not set)'}`);

  try {
    const ingest = async (technique: 'high_quality' | 'economy') => {
      const started = performance.now();
      const datasetId = await createCorpusDataset(rest, collection.docs, {
        name: `eval-${technique}`,
        technique,
        concurrency: Number(args.concurrency),
        onProgress: (n) => log(`${technique}: ${n} documents created`),
      });
      await waitFor(
        async () =>
          db.prisma.document.count({ where: { datasetId, indexingStatus: { notIn: ['completed', 'error'] } } }),
        { onProgress: (left) => log(`${technique}: ${left} documents left to index`) },
      );
      const failed = await db.prisma.document.count({ where: { datasetId, indexingStatus: 'error' } });
      if (failed > 0) throw new Error(`${failed} documents failed to index`);
      const seconds = (performance.now() - started) / 1000;
      log(`${technique}: ${collection.docs.length} documents indexed in ${seconds.toFixed(1)} s (${(collection.docs.length / seconds).toFixed(1)} docs/s)`);
      return { datasetId, docsPerSecond: collection.docs.length / seconds };
    };
    const wanted = args.methods ? new Set(args.methods.split(',')) : null;
    const methods = METHODS.filter((m) => !wanted || wanted.has(m.name));
    const highQuality = await ingest('high_quality');
    if (args.tune) process.stdout.write(`\n${await tune(rest, highQuality.datasetId, collection)}\n`);
    const results: MethodResult[] = [];
    for (const method of methods) {
      const result = await evaluateMethod(rest, highQuality.datasetId, collection, method);
      log(`${method.name}: nDCG@10 ${result.ndcg10.toFixed(3)}`);
      results.push(result);
    }
    if (args.economy) {
      const economy = await ingest('economy');
      for (const method of METHODS.filter((m) => m.name === 'keyword_search')) {
        results.push({ ...(await evaluateMethod(rest, economy.datasetId, collection, method)), name: `${method.name} (economy dataset)` });
      }
    }
    const table = formatTable(bm25, results);
    const heading =
      `${where}; ${collection.docs.length} documents, ${collection.queries.length} queries; ` +
      `ingestion ${highQuality.docsPerSecond.toFixed(1)} documents/s; Node ${process.version}`;
    process.stdout.write(`\n${heading}\n\n${table}\n`);
    if (args['write-readme']) writeReadme(db.kind === 'postgres' ? 'postgres' : 'pglite', `${heading}\n\n${table}`);
  } finally {
    await server.close();
    await services.close();
    await db.close();
  }
}

/** Replaces the text between the markers for this database in README.md. */
function writeReadme(kind: 'pglite' | 'postgres', content: string) {
  const path = resolve(import.meta.dirname, '../README.md');
  const readme = readFileSync(path, 'utf8');
  const start = `<!-- eval:${kind}:start -->`;
  const end = `<!-- eval:${kind}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} markers`);
  writeFileSync(path, `${readme.slice(0, from + start.length)}\n${content}\n${readme.slice(to)}`);
  log(`README.md updated (${kind})`);
}

main().catch((error: unknown) => {
  process.stderr.write(`eval failed: ${error instanceof Error ? error.stack : String(error)} ${String((error as { cause?: unknown })?.cause ?? '')}\n`);
  process.exit(1);
});
