// Runs in the indexing worker thread (see worker-thread.ts): attaches to the database the server opened and runs the
// indexing worker until the server asks it to stop.
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config.ts';
import { attachDatabase, type Database } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { createWorkerServices } from '../services.ts';
import type { FromWorkerThread, ToWorkerThread } from './worker-thread.ts';

const { config, database } = workerData as { config: Config; database: Pick<Database, 'kind' | 'url'> };
const port = parentPort;
if (!port) throw new Error('worker-thread-entry.ts runs only in a worker thread');
const send = (message: FromWorkerThread) => port.postMessage(message);

// This thread keeps its normal priority: it holds the embedded database's session during its transactions, and a
// lowered priority would make requests wait for it longer (its parsing and embedding pool is lowered instead).
const logger = createLogger(config.logLevel).child({ thread: 'indexing' });
try {
  const db = attachDatabase(database);
  const services = await createWorkerServices(config, db, logger, (event, job) => send({ type: 'job', event, job }));
  port.on('message', async (message: ToWorkerThread) => {
    if (message.type !== 'stop') return;
    await services.close(message.timeoutMs);
    await db.close();
    send({ type: 'stopped' });
    port.close();
  });
  await services.worker.start();
  send({ type: 'started' });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  port.close();
}
