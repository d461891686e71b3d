import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .optional()
  .or(z.literal('').transform(() => undefined));

const EnvSchema = z.object({
  PORT: port.default(5001),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATA_DIR_WAIT_MS: z.coerce.number().int().min(0).default(30_000),
  SLOW_STATEMENT_MS: z.coerce.number().int().min(0).default(250),
  DATA_DIR_MIN_FREE_MB: z.coerce.number().int().min(0).default(64),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KNOWLEDGE_API_KEY: z
    .string()
    .regex(/^dataset-[A-Za-z0-9]{24}$/, "must look like a Dify dataset key: 'dataset-' and 24 letters or digits")
    .optional()
    .or(z.literal('').transform(() => undefined)),
  GRAPHQL_MAX_DEPTH: positiveInt.default(12),
  GRAPHQL_MAX_COST: positiveInt.default(5000),
  GRAPHQL_MAX_ALIASES: positiveInt.default(30),
  GRAPHQL_MAX_TOKENS: positiveInt.default(5000),
  GRAPHIQL: flag.default(true),
  GRAPHQL_PERSISTED_ONLY: flag.default(false),
  GRAPHQL_PERSISTED_OPERATIONS: z.string().optional().or(z.literal('').transform(() => undefined)),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(0),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  UPLOAD_FILE_SIZE_LIMIT: positiveInt.max(1024).default(15),
  INDEXING_WORKER: z.enum(['in-process', 'off']).default('in-process'),
  INDEXING_CONCURRENCY: positiveInt.max(32).default(2),
  INDEXING_LEASE_MS: positiveInt.min(1000).default(30_000),
  INDEXING_POLL_MS: positiveInt.min(50).default(2_000),
  INDEXING_BATCH_SIZE: positiveInt.max(1000).default(100),
  INDEXING_PARSE_TIMEOUT_MS: positiveInt.min(100).default(120_000),
  INDEXING_MAX_SEGMENTS: positiveInt.max(10_000_000).default(100_000),
  INDEXING_SPLIT_TIMEOUT_MS: positiveInt.min(100).default(30_000),
  INDEXING_THREAD_MEMORY_MB: positiveInt.min(64).max(16_384).default(1024),
  INDEXING_MAX_EXPANSION: positiveInt.max(1000).default(5),
  INDEXING_WORKER_MEMORY_MB: positiveInt.min(64).max(65_536).default(2048),
  EMBEDDING_BASE_URL: optionalUrl,
  EMBEDDING_API_KEY: z.string().optional(),
  EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  EMBEDDING_PROVIDER: z.string().min(1).default('openai'),
  EMBEDDING_DIMENSION: positiveInt.max(2000).optional(),
  EMBEDDING_BATCH_SIZE: positiveInt.max(2048).default(64),
  EMBEDDING_CONCURRENCY: positiveInt.max(64).default(4),
  MEILISEARCH_URL: optionalUrl,
  MEILISEARCH_API_KEY: z.string().optional(),
  MEILISEARCH_INDEX: z.string().regex(/^[A-Za-z0-9_-]{1,400}$/).default('knowledge_gateway_segments'),
  SECRET_KEY: z.string().min(16, 'must have at least 16 characters').optional().or(z.literal('').transform(() => undefined)),
  RERANK_BASE_URL: optionalUrl,
  RERANK_API_KEY: z.string().optional(),
  RERANK_PROVIDER: z.string().min(1).default('cohere'),
  RERANK_MODEL: z.string().min(1).default('rerank-multilingual-v3.0'),
  CHAT_BASE_URL: optionalUrl,
  CHAT_API_KEY: z.string().optional(),
  CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
});

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = EnvSchema.refine((c) => !c.DATABASE_URL || c.SECRET_KEY, {
    path: ['SECRET_KEY'],
    message: 'is required with DATABASE_URL: every server and worker on that database must sign file links alike',
  }).safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.DATA_DIR),
    dataDirWaitMs: c.DATA_DIR_WAIT_MS,
    slowStatementMs: c.SLOW_STATEMENT_MS,
    minFreeBytes: c.DATA_DIR_MIN_FREE_MB * 1024 * 1024,
    databaseUrl: c.DATABASE_URL,
    logLevel: c.LOG_LEVEL,
    seedApiKey: c.KNOWLEDGE_API_KEY,
    graphql: {
      maxDepth: c.GRAPHQL_MAX_DEPTH,
      maxCost: c.GRAPHQL_MAX_COST,
      maxAliases: c.GRAPHQL_MAX_ALIASES,
      maxTokens: c.GRAPHQL_MAX_TOKENS,
      graphiql: c.GRAPHIQL,
      persistedOnly: c.GRAPHQL_PERSISTED_ONLY,
      persistedOperationsFile: c.GRAPHQL_PERSISTED_OPERATIONS,
    },
    rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    secretKey: c.SECRET_KEY,
    uploadFileSizeLimitBytes: c.UPLOAD_FILE_SIZE_LIMIT * 1024 * 1024,
    indexing: {
      worker: c.INDEXING_WORKER,
      concurrency: c.INDEXING_CONCURRENCY,
      leaseMs: c.INDEXING_LEASE_MS,
      pollMs: c.INDEXING_POLL_MS,
      batchSize: c.INDEXING_BATCH_SIZE,
      maxSegments: c.INDEXING_MAX_SEGMENTS,
      threadMemoryMb: c.INDEXING_WORKER_MEMORY_MB,
      maxExpansion: c.INDEXING_MAX_EXPANSION,
    },
    cpu: {
      threads: c.INDEXING_CONCURRENCY,
      extractTimeoutMs: c.INDEXING_PARSE_TIMEOUT_MS,
      splitTimeoutMs: c.INDEXING_SPLIT_TIMEOUT_MS,
      maxHeapMb: c.INDEXING_THREAD_MEMORY_MB,
    },
    embedding: c.EMBEDDING_BASE_URL
      ? {
          baseUrl: c.EMBEDDING_BASE_URL,
          apiKey: c.EMBEDDING_API_KEY,
          provider: c.EMBEDDING_PROVIDER,
          model: c.EMBEDDING_MODEL,
          dimension: c.EMBEDDING_DIMENSION,
          batchSize: c.EMBEDDING_BATCH_SIZE,
          concurrency: c.EMBEDDING_CONCURRENCY,
        }
      : null,
    meilisearch: c.MEILISEARCH_URL
      ? { url: c.MEILISEARCH_URL, apiKey: c.MEILISEARCH_API_KEY, indexName: c.MEILISEARCH_INDEX }
      : null,
    rerank: c.RERANK_BASE_URL
      ? { baseUrl: c.RERANK_BASE_URL, apiKey: c.RERANK_API_KEY, provider: c.RERANK_PROVIDER, model: c.RERANK_MODEL }
      : null,
    chat: c.CHAT_BASE_URL ? { baseUrl: c.CHAT_BASE_URL, apiKey: c.CHAT_API_KEY, model: c.CHAT_MODEL } : null,
  };
}

/** For entry points: the configuration, or exit code 2 with the message naming every bad variable. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
