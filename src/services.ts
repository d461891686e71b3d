// Wires the parts that resolvers and the worker share: pub/sub, search indexes, embedding providers, the queue.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { FileLinkSigner } from './domain/files/signed-url.ts';
import { createModelRegistry, type ModelRegistry, providerName } from './domain/models/registry.ts';
import { createPostgresPubSub } from './events/postgres.ts';
import type { ContextDeps } from './graphql/context.ts';
import { CpuPool } from './indexing/cpu/cpu-pool.ts';
import { embedOffThread } from './indexing/cpu/off-thread-embedder.ts';
import { builtinProviders, embeddingProviders } from './indexing/embed/index.ts';
import { IndexingQueue } from './indexing/queue.ts';
import { SearchIndexes } from './indexing/search-indexes.ts';
import { IndexingWorker } from './indexing/worker.ts';
import type { Logger } from './logger.ts';
import { createFullTextIndex } from './search/fulltext/index.ts';
import { createHttpReranker, type Reranker } from './search/rerank/http-reranker.ts';
import { PgVectorStore } from './search/vector/pgvector-store.ts';

export interface Services extends ContextDeps {
  worker: IndexingWorker;
  close(): Promise<void>;
}

export async function createServices(config: Config, db: Database, logger: Logger): Promise<Services> {
  const embeddings = embeddingProviders(config.embedding);
  const cpu = new CpuPool(config.cpu);
  const builtinOffThread = new Map(builtinProviders.map((p) => [p, embedOffThread(p, cpu)]));
  const resolveEmbedding = (provider: string, model: string) => {
    const found = embeddings.resolve(provider, model);
    return (found && builtinOffThread.get(found)) ?? found;
  };
  const rerankers: Reranker[] = config.rerank ? [createHttpReranker(config.rerank)] : [];
  const models: ModelRegistry = createModelRegistry({
    embedding: embeddings.all
      .slice(1)
      .map((p) => ({ provider: p.provider, model: p.model, dimension: p.dimension })),
    rerank: rerankers,
  });
  const resolveReranker = (provider: string, model: string) =>
    rerankers.find((r) => r.model === model && providerName(r.provider) === providerName(provider));

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
  const indexes = await searchIndexes(db);
  // The worker's statements go through connections of their own, which give way to requests' on the embedded engine.
  const workerDb = db.forBackgroundWork();
  const queue = new IndexingQueue(workerDb.prisma, `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, config.indexing.leaseMs);
  const worker = new IndexingWorker(
    {
      prisma: workerDb.prisma,
      queue,
      indexes: await searchIndexes(workerDb),
      pubsub,
      cpu,
      logger: logger.child({ component: 'worker' }),
      chat: config.chat,
      batchSize: config.indexing.batchSize,
      maxSegments: config.indexing.maxSegments,
    },
    config.indexing,
  );
  logger.info(
    { fullText: indexes.fullText.engine, embedding: embeddings.all.map((p) => `${p.provider}/${p.model}`), pubsub: 'listen/notify' },
    'services ready',
  );
  return {
    prisma: db.prisma,
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
      await pubsub.close();
      await cpu.close();
      await workerDb.close();
    },
  };
}
