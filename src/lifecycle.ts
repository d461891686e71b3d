// How the entry points start and stop: parts register how to close as they come up, and a signal at any moment —
// the server answers before its indexing thread has started — closes what is up, in reverse order, once the start
// has settled (so that an embedded data directory is always released).
import type { Database } from './db/database.ts';
import type { Logger } from './logger.ts';

export type OnClose = (close: () => Promise<void>) => void;

export async function runUntilSignal(
  logger: Logger,
  shutdownTimeoutMs: number,
  start: (onClose: OnClose) => Promise<void>,
): Promise<void> {
  const closers: Array<() => Promise<void>> = [];
  const startup = start((close) => closers.push(close));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, shutdownTimeoutMs);
    timer.unref();
    await startup.catch(() => {});
    for (const close of closers.reverse()) await close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await startup;
}

/** The database is closed last on a signal, and a database that goes away for good ends the process. */
export function holdDatabase(db: Database, logger: Logger, onClose: OnClose): void {
  onClose(() => db.close());
  db.onFailure((reason) => {
    logger.fatal({ reason }, 'the database is gone; exiting');
    process.exit(1);
  });
}
