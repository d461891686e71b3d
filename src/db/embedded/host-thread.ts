// The thread that owns an embedded database: PGlite runs its WASM PostgreSQL here, off the thread that serves HTTP,
// and clients in this process and others reach it over a Unix socket (see wire-server.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { setStatements } from '../session-settings.ts';
import { WireServer } from './wire-server.ts';

export interface HostThreadData {
  module: string;
  dataDir: string;
  socketPath: string;
  idleInTransactionMs: number;
  slowTurnMs: number;
  /** One Float64: when the turn in progress started (ms since the epoch), 0 when the session is idle. */
  busy: SharedArrayBuffer;
}

export type HostThreadMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'warning'; context: string; message: string }
  | { type: 'slow'; ms: number; statement: string }
  | { type: 'closed' };

const port = parentPort;
if (!port) throw new Error('host-thread.ts runs in a worker thread');
const { dataDir, socketPath, idleInTransactionMs, slowTurnMs, busy } = workerData as HostThreadData;
const busySince = new Float64Array(busy);
const post = (message: HostThreadMessage) => port.postMessage(message);
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

try {
  const db = await PGlite.create(dataDir, { extensions: { vector } });
  await db.exec(setStatements());
  const server = new WireServer(db, {
    idleInTransactionMs,
    onError: (error, context) => post({ type: 'warning', context, message: describe(error) }),
    slowTurnMs,
    onSlowTurn: (ms, statement) => post({ type: 'slow', ms: Math.round(ms), statement }),
    onBusy: (since) => {
      busySince[0] = since;
    },
  });
  await server.listen(socketPath);
  port.on('message', async (message: { type: string; on?: boolean }) => {
    if (message.type === 'readOnly') {
      // Every client shares this one session: the setting holds for all of them.
      await server
        .runOnSession(`SET default_transaction_read_only = ${message.on ? 'on' : 'off'}`)
        .catch((error: unknown) => post({ type: 'warning', context: 'switching read-only mode', message: describe(error) }));
      return;
    }
    if (message.type !== 'close') return;
    await server.close().catch(() => {});
    await db.close().catch((error: unknown) => post({ type: 'warning', context: 'closing the database', message: describe(error) }));
    post({ type: 'closed' });
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', message: describe(error) });
}
