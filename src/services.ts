// Wires the parts that resolvers and the worker share: pub/sub, search indexes, embedding providers, the queue.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { FileLinkSigner } from './domain/files/signed-url.ts';
import { createModelRegistry, type ModelRegistry } from './domain/models/registry.ts';
import { createInProcessPubSub } from './events/in-process.ts';
import { createPostgresPubSub } from './events/postgres.ts';
import type { ContextDeps } from './graphql/context.ts';
import { createEmbeddingProvider, type EmbeddingProvider } from './indexing/embed/index.ts';
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

/** Dify's plugin ids (`langgenius/openai/openai`) and bare names (`openai`) name the same provider. */
const providerName = (provider: string) => provider.split('/').at(-1) ?? provider;

export async function createServices(config: Config, db: Database, logger: Logger): Promise<Services> {
  const builtin = createEmbeddingProvider({});
  const providers: EmbeddingProvider[] = [builtin];
  if (config.embedding) {
    providers.push(
      createEmbeddingProvider({
        baseUrl: config.embedding.baseUrl,
        apiKey: config.embedding.apiKey,
        provider: config.embedding.provider,
        model: config.embedding.model,
        dimension: config.embedding.dimension,
        batchSize: config.embedding.batchSize,
        concurrency: config.embedding.concurrency,
      }),
    );
  }
  const rerankers: Reranker[] = config.rerank ? [createHttpReranker(config.rerank)] : [];
  const models: ModelRegistry = createModelRegistry({
    embedding: providers
      .slice(1)
      .map((p) => ({ provider: p.provider, model: p.model, dimension: p.dimension })),
    rerank: rerankers.map((r) => ({ provider: r.provider, model: r.model })),
  });
  const resolveReranker = (provider: string, model: string) =>
    rerankers.find((r) => r.model === model && providerName(r.provider) === providerName(provider));
  const resolveEmbedding = (provider: string, model: string) =>
    providers.find((p) => p.model === model && providerName(p.provider) === providerName(provider));

  const pubsub =
    db.kind === 'postgres' && config.databaseUrl
      ? await createPostgresPubSub(config.databaseUrl, logger)
      : createInProcessPubSub();
  const fullText = await createFullTextIndex(db, {
    meilisearchUrl: config.meilisearch?.url,
    meilisearchApiKey: config.meilisearch?.apiKey,
    indexName: config.meilisearch?.indexName,
  });
  const indexes = new SearchIndexes(new PgVectorStore(db), fullText, resolveEmbedding);
  const queue = new IndexingQueue(db.prisma, `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, config.indexing.leaseMs);
  const worker = new IndexingWorker(
    {
      prisma: db.prisma,
      queue,
      indexes,
      pubsub,
      logger: logger.child({ component: 'worker' }),
      chat: config.chat,
      batchSize: config.indexing.batchSize,
    },
    config.indexing,
  );
  logger.info(
    { fullText: fullText.engine, embedding: providers.map((p) => `${p.provider}/${p.model}`), pubsub: db.kind === 'postgres' ? 'postgres' : 'in-process' },
    'services ready',
  );
  return {
    prisma: db.prisma,
    models,
    logger,
    pubsub,
    indexes,
    uploadFileSizeLimitBytes: config.uploadFileSizeLimitBytes,
    chatConfigured: config.chat !== null,
    fileLinks: new FileLinkSigner(config.secretKey),
    resolveReranker,
    worker,
    close: async () => {
      await worker.stop(config.shutdownTimeoutMs);
      await pubsub.close();
    },
  };
}
