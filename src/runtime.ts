import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { seedApiKey } from './domain/api-keys/service.ts';
import { DEFAULT_WORKSPACE } from './domain/workspaces/service.ts';
import type { Logger } from './logger.ts';

/** Opens the configured database, brings its schema up to date and seeds KNOWLEDGE_API_KEY. */
export async function openRuntime(config: Config, logger: Logger, dataDir = config.dataDir) {
  const started = performance.now();
  const db: Database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir,
    ownerWaitMs: config.dataDirWaitMs,
    onWarning: (context, message) => logger.warn({ context }, `embedded database: ${message}`),
    slowStatementMs: config.slowStatementMs,
    minFreeBytes: config.minFreeBytes,
    onStorage: (state, freeBytes) => {
      const freeMb = Math.floor(freeBytes / (1024 * 1024));
      if (state === 'full') logger.error({ freeMb, dataDir }, 'DATA_DIR is almost full: the database is read-only until space is freed');
      else logger.info({ freeMb, dataDir }, 'DATA_DIR has room again: the database accepts writes');
    },
    onSlowStatement: (ms, statement) => logger.debug({ ms, statement }, 'slow statement on the embedded database'),
  });
  const openedMs = Math.round(performance.now() - started);
  const applied = await migrate(db);
  const migratedMs = Math.round(performance.now() - started) - openedMs;
  logger.info(
    { database: db.kind, applied, openedMs, migratedMs },
    applied.length ? 'migrations applied' : 'database schema up to date',
  );
  if (config.seedApiKey) {
    await seedApiKey(db.prisma, config.seedApiKey, DEFAULT_WORKSPACE);
    logger.info({ workspace: DEFAULT_WORKSPACE }, 'KNOWLEDGE_API_KEY registered');
  }
  return { db };
}
