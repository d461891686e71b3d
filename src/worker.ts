// A standalone indexing worker for production: `npm run worker` next to servers started with INDEXING_WORKER=off
// (or alongside in-process workers), all on one PostgreSQL. Jobs are leased, so workers can be added, removed or
// killed at any time.
import { loadConfigOrExit } from './config.ts';
import { holdDatabase, runUntilSignal } from './lifecycle.ts';
import { createLogger } from './logger.ts';
import { openRuntime } from './runtime.ts';
import { createServices } from './services.ts';

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  await runUntilSignal(logger, config.shutdownTimeoutMs, async (onClose) => {
    const { db } = await openRuntime(config, logger);
    holdDatabase(db, logger, onClose);
    // The worker runs in a thread of its own here too: a document that kills it (out of memory) fails instead of
    // taking the process down and being claimed again.
    const services = await createServices(config, db, logger, { workerThread: true });
    onClose(() => services.close());
    await services.worker.start();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`knowledge-gateway worker failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
