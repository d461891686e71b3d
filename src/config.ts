import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  PORT: port.default(5001),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
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
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(0),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
});

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    logLevel: c.LOG_LEVEL,
    seedApiKey: c.KNOWLEDGE_API_KEY,
    graphql: {
      maxDepth: c.GRAPHQL_MAX_DEPTH,
      maxCost: c.GRAPHQL_MAX_COST,
      maxAliases: c.GRAPHQL_MAX_ALIASES,
      maxTokens: c.GRAPHQL_MAX_TOKENS,
      graphiql: c.GRAPHIQL,
    },
    rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
  };
}
