import type { Database, Prisma } from '../db/database.ts';
import type { Authenticate } from '../domain/api-keys/key-cache.ts';
import type { DatasetCache } from '../domain/datasets/dataset-cache.ts';
import type { ModelRegistry } from '../domain/models/registry.ts';
import type { Viewer } from '../domain/viewer.ts';
import type { FileLinkSigner } from '../domain/files/signed-url.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { CpuPool } from '../indexing/cpu/cpu-pool.ts';
import type { SearchIndexes } from '../indexing/search-indexes.ts';
import type { Logger } from '../logger.ts';
import type { Reranker } from '../search/rerank/http-reranker.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/** What every resolver gets, whichever surface the operation came from (HTTP, SSE, WebSocket, REST). */
export interface Context extends ContextDeps {
  viewer: Viewer;
  loaders: Loaders;
}

export interface ContextDeps {
  prisma: Prisma;
  /** Plain SQL for hot read paths (searches, per-page counts), without Prisma's runtime. */
  query: Database['query'];
  /** The viewer an API key stands for (null: unknown or revoked), remembered between requests. */
  authenticate: Authenticate;
  /** Datasets as searches read them, remembered between requests. */
  datasets: DatasetCache;
  models: ModelRegistry;
  logger: Logger;
  pubsub: PubSub;
  indexes: SearchIndexes;
  /** Threads for CPU-heavy work (parsing, splitting, the built-in embedder), off the request thread. */
  cpu: CpuPool;
  uploadFileSizeLimitBytes: number;
  chatConfigured: boolean;
  fileLinks: FileLinkSigner;
  resolveReranker: (provider: string, model: string) => Reranker | undefined;
}

export function createContext(deps: ContextDeps, viewer: Viewer, logger = deps.logger): Context {
  return { ...deps, viewer, logger, loaders: createLoaders(deps.prisma, deps.query) };
}
