import { loadConfigOrExit } from './config.ts';
import { holdDatabase, runUntilSignal } from './lifecycle.ts';
import { createLogger } from './logger.ts';
import { openRuntime } from './runtime.ts';

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  await runUntilSignal(logger, config.shutdownTimeoutMs, async (onClose) => {
    // The database (on PGlite: its own thread) starts first, while this thread loads the application.
    const [{ db }, { createServices }, { listen }] = await Promise.all([
      openRuntime(config, logger),
      import('./services.ts'),
      import('./app.ts'),
    ]);
    holdDatabase(db, logger, onClose);
    const services = await createServices(config, db, logger, { workerThread: true });
    onClose(() => services.close());
    const running = await listen({ config, db, logger, services });
    onClose(() => running.close());
    if (config.indexing.worker === 'in-process') await services.worker.start();
    logger.info(
      { url: running.url, graphql: `${running.url}/graphql`, rest: `${running.url}/v1` },
      'knowledge-gateway listening',
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `knowledge-gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
