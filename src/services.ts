// Wires the parts that resolvers and the worker share: pub/sub, search indexes, embedding providers, the queue.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { statisticsRefresher } from './db/statistics.ts';
import { cachedAuthentication } from './domain/api-keys/key-cache.ts';
import { authenticate } from './domain/api-keys/service.ts';
import { createDatasetCache } from './domain/datasets/dataset-cache.ts';
import { FileLinkSigner } from './domain/files/signed-url.ts';
import { createModelRegistry, type ModelRegistry, providerName } from './domain/models/registry.ts';
import { createPostgresPubSub } from './events/postgres.ts';
import type { ContextDeps } from './graphql/context.ts';
import { CpuPool } from './indexing/cpu/cpu-pool.ts';
import { embedOffThread } from './indexing/cpu/off-thread-embedder.ts';
import { builtinProviders, embeddingProviders } from './indexing/embed/index.ts';
import { failJobsOfDeadWorker, IndexingQueue } from './indexing/queue.ts';
import { SearchIndexes } from './indexing/search-indexes.ts';
import { IndexingWorker, type IndexingWorkerHandle, type WorkerOptions } from './indexing/worker.ts';
import { IndexingWorkerThread } from './indexing/worker-thread.ts';
import type { Logger } from './logger.ts';
import { createFullTextIndex } from './search/fulltext/index.ts';
import { createHttpReranker, type Reranker } from './search/rerank/http-reranker.ts';
import { PgVectorStore } from './search/vector/pgvector-store.ts';

export interface Services extends ContextDeps {
  worker: IndexingWorkerHandle;
  close(): Promise<void>;
}

export interface ServicesOptions {
  /**
   * Run the indexing worker in a worker thread of its own (the server does), so that its JavaScript never delays a
   * request; otherwise it runs on this thread (the standalone worker process, tests, tools).
   */
  workerThread?: boolean;
}

export async function createServices(
  config: Config,
  db: Database,
  logger: Logger,
  options: ServicesOptions = {},
): Promise<Services> {
  const parts = await createSharedParts(config, db, logger);
  const { embeddings, cpu, pubsub, searchIndexes } = parts;
  const rerankers: Reranker[] = config.rerank ? [createHttpReranker(config.rerank)] : [];
  const models: ModelRegistry = createModelRegistry({
    embedding: embeddings.all
      .slice(1)
      .map((p) => ({ provider: p.provider, model: p.model, dimension: p.dimension })),
    rerank: rerankers,
  });
  const resolveReranker = (provider: string, model: string) =>
    rerankers.find((r) => r.model === model && providerName(r.provider) === providerName(provider));
  const indexes = await searchIndexes(db);
  const worker: IndexingWorkerHandle & { close(): Promise<void> } = options.workerThread
    ? new IndexingWorkerThread({
        config,
        database: { kind: db.kind, url: db.url },
        logger,
        onDied: (jobs, reason) => failJobsOfDeadWorker({ prisma: db.prisma, pubsub }, jobs, reason),
      })
    : await createIndexingWorker(config, db, logger, parts);
  logger.info(
    {
      fullText: indexes.fullText.engine,
      embedding: embeddings.all.map((p) => `${p.provider}/${p.model}`),
      pubsub: 'listen/notify',
      worker: options.workerThread ? 'thread' : 'this thread',
    },
    'services ready',
  );
  return {
    prisma: db.prisma,
    query: db.query,
    authenticate: await cachedAuthentication((key) => authenticate(db.prisma, key), pubsub),
    datasets: await createDatasetCache(db.prisma, pubsub),
    models,
    logger,
    pubsub,
    indexes,
    cpu,
    uploadFileSizeLimitBytes: config.uploadFileSizeLimitBytes,
    chatConfigured: config.chat !== null,
    fileLinks: new FileLinkSigner(config.secretKey),
    resolveReranker,
    worker,
    close: async () => {
      await worker.stop(config.shutdownTimeoutMs);
      await worker.close();
      await pubsub.close();
      await cpu.close();
    },
  };
}

/** What an indexing worker needs and nothing more: the entry point of the worker thread. */
export async function createWorkerServices(
  config: Config,
  db: Database,
  logger: Logger,
  onJob?: WorkerOptions['onJob'],
) {
  const parts = await createSharedParts(config, db, logger, { background: true });
  const worker = await createIndexingWorker(config, db, logger, parts, onJob);
  return {
    worker,
    close: async (timeoutMs = config.shutdownTimeoutMs) => {
      await worker.stop(timeoutMs);
      await worker.close();
      await parts.pubsub.close();
      await parts.cpu.close();
    },
  };
}

type SharedParts = Awaited<ReturnType<typeof createSharedParts>>;

async function createSharedParts(config: Config, db: Database, logger: Logger, options: { background?: boolean } = {}) {
  const embeddings = embeddingProviders(config.embedding);
  const cpu = new CpuPool({ ...config.cpu, background: options.background });
  const builtinOffThread = new Map(builtinProviders.map((p) => [p, embedOffThread(p, cpu)]));
  const resolveEmbedding = (provider: string, model: string) => {
    const found = embeddings.resolve(provider, model);
    return (found && builtinOffThread.get(found)) ?? found;
  };
  const pubsub = await createPostgresPubSub(db.url, logger);
  const searchIndexes = async (on: Database) =>
    new SearchIndexes(
      new PgVectorStore(on),
      await createFullTextIndex(on, {
        meilisearchUrl: config.meilisearch?.url,
        meilisearchApiKey: config.meilisearch?.apiKey,
        indexName: config.meilisearch?.indexName,
      }),
      resolveEmbedding,
    );
  return { embeddings, cpu, pubsub, searchIndexes };
}

async function createIndexingWorker(
  config: Config,
  db: Database,
  logger: Logger,
  parts: SharedParts,
  onJob?: WorkerOptions['onJob'],
) {
  // The worker's statements go through connections of their own, which give way to requests' on the embedded engine.
  const workerDb = db.forBackgroundWork();
  const queue = new IndexingQueue(
    workerDb.prisma,
    `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    config.indexing.leaseMs,
  );
  const worker = new IndexingWorker(
    {
      prisma: workerDb.prisma,
      queue,
      indexes: await parts.searchIndexes(workerDb),
      pubsub: parts.pubsub,
      cpu: parts.cpu,
      logger: logger.child({ component: 'worker' }),
      chat: config.chat,
      batchSize: config.indexing.batchSize,
      maxSegments: config.indexing.maxSegments,
      maxExpansion: config.indexing.maxExpansion,
      statistics: statisticsRefresher(workerDb, {
        onRefresh: (ms) => logger.info({ ms: Math.round(ms) }, 'planner statistics of the search tables refreshed'),
      }),
    },
    { ...config.indexing, onJob },
  );
  return Object.assign(worker, { close: () => workerDb.close() });
}
