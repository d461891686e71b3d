import { loadConfigOrExit } from './config.ts';
import { createLogger } from './logger.ts';
import { openRuntime } from './runtime.ts';

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  // The database (on PGlite: its own thread) starts first, while this thread loads the application.
  const [{ db }, { createServices }, { listen }] = await Promise.all([
    openRuntime(config, logger),
    import('./services.ts'),
    import('./app.ts'),
  ]);
  db.onFailure((reason) => {
    logger.fatal({ reason }, 'the database is gone; exiting');
    process.exit(1);
  });
  const services = await createServices(config, db, logger, { workerThread: true });
  const running = await listen({ config, db, logger, services });
  if (config.indexing.worker === 'in-process') await services.worker.start();
  logger.info(
    { url: running.url, graphql: `${running.url}/graphql`, rest: `${running.url}/v1` },
    'knowledge-gateway listening',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    await running.close();
    await services.close();
    await db.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `knowledge-gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
