// An embedded data directory has one owner: the first process to open it runs PGlite in a thread of its own and
// serves it on a Unix socket; every other process (CLI, `npm run worker`, a second server) connects to that socket as
// to any PostgreSQL server. A lock file names the owner, so that two processes can never open the files at once.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { moduleUrl, TYPESCRIPT_WORKER } from '../../threads/typescript-worker.ts';
import type { HostThreadData, HostThreadMessage } from './host-thread.ts';
import { requireFreeSpace, watchStorage } from './storage-watch.ts';

export interface EmbeddedDatabase {
  /** node-postgres connection string of the socket. */
  url: string;
  /** `owner`: this process runs the database; `client`: another process does. */
  role: 'owner' | 'client';
  /** The process that runs it. */
  ownerPid: number;
  /** Called with a reason when the database thread stops unexpectedly (owner only). */
  onFailure(listener: (reason: string) => void): void;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** How long a process waits for an owner that is still starting before giving up. */
  ownerStartTimeoutMs?: number;
  idleInTransactionMs?: number;
  onWarning?(context: string, message: string): void;
  /** Statements that held the embedded database at least `slowStatementMs` (default 250). */
  onSlowStatement?(ms: number, statement: string): void;
  slowStatementMs?: number;
  /** Below this much free space the owner will not start, and a running database turns read-only. */
  minFreeBytes?: number;
  onStorage?(state: 'full' | 'ok', freeBytes: number): void;
}

/** The data directory is held by a process that does not answer. */
export class DataDirectoryBusyError extends Error {
  override name = 'DataDirectoryBusyError';
}

interface LockFile {
  pid: number;
  socketDir: string;
  startedAt: string;
}

const LOCK_FILE = 'knowledge-gateway.lock';
const DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024;
const SOCKET_FILE = '.s.PGSQL.5432';
/** Unix socket paths are limited to ~107 bytes; longer data directory paths get their socket in the temp dir. */
const MAX_SOCKET_PATH = 100;

export const socketUrl = (socketDir: string) =>
  `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;

export async function openEmbeddedDatabase(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  if (dataDir.startsWith('memory://')) {
    const socketDir = await mkdtemp(path.join(tmpdir(), 'kg-mem-'));
    const host = await startHostThread(dataDir, socketDir, options);
    return { ...host, role: 'owner', close: async () => {
      await host.close();
      await rm(socketDir, { recursive: true, force: true });
    } };
  }
  const directory = path.resolve(dataDir);
  await mkdir(directory, { recursive: true });
  const lockPath = path.join(directory, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    const lock = await readLock(lockPath);
    if (lock && lock.pid !== process.pid && isAlive(lock.pid)) {
      if (!(await waitForOwner(directory, lock, options.ownerStartTimeoutMs ?? 30_000))) continue;
      return {
        url: socketUrl(lock.socketDir),
        role: 'client',
        ownerPid: lock.pid,
        onFailure: () => {},
        close: async () => {},
      };
    }
    if (lock) await unlink(lockPath).catch(() => {});
    await requireFreeSpace(directory, options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES);
    const socketDir = await socketDirectoryFor(directory);
    const mine: LockFile = { pid: process.pid, socketDir, startedAt: new Date().toISOString() };
    try {
      await writeFile(lockPath, JSON.stringify(mine), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue; // another process got there first
      throw error;
    }
    const releaseLock = () => {
      try {
        unlinkSync(lockPath);
      } catch {
        // already gone
      }
    };
    process.once('exit', releaseLock);
    try {
      await rm(path.join(socketDir, SOCKET_FILE), { force: true });
      const host = await startHostThread(directory, socketDir, options);
      return {
        ...host,
        role: 'owner',
        close: async () => {
          await host.close();
          process.off('exit', releaseLock);
          releaseLock();
        },
      };
    } catch (error) {
      process.off('exit', releaseLock);
      releaseLock();
      throw error;
    }
  }
  throw new DataDirectoryBusyError(`Could not take or attach to DATA_DIR ${directory}: its lock file keeps changing.`);
}

async function startHostThread(
  dataDir: string,
  socketDir: string,
  options: EmbeddedOptions,
): Promise<Omit<EmbeddedDatabase, 'role'>> {
  const data: HostThreadData = {
    module: moduleUrl('./host-thread.ts', import.meta.url),
    dataDir,
    socketPath: path.join(socketDir, SOCKET_FILE),
    idleInTransactionMs: options.idleInTransactionMs ?? 60_000,
    slowTurnMs: options.slowStatementMs ?? 250,
    busy: new SharedArrayBuffer(8),
  };
  const busySince = new Float64Array(data.busy);
  const worker = new Worker(TYPESCRIPT_WORKER, { workerData: data });
  const failureListeners: ((reason: string) => void)[] = [];
  let closing = false;
  let closed: (() => void) | null = null;
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: HostThreadMessage) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'failed') reject(new Error(`Cannot open the embedded database in ${dataDir}: ${message.message}`));
      else if (message.type === 'warning') options.onWarning?.(message.context, message.message);
      else if (message.type === 'slow') options.onSlowStatement?.(message.ms, message.statement);
      else if (message.type === 'closed') closed?.();
    });
    worker.on('error', (error) => {
      reject(error);
      for (const listener of failureListeners) listener(`embedded database thread failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      reject(new Error(`the embedded database thread exited (${code}) before it was ready`));
      if (!closing) for (const listener of failureListeners) listener(`embedded database thread exited (${code})`);
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  const stopWatching = dataDir.startsWith('memory://')
    ? () => {}
    : watchStorage({
        directory: dataDir,
        minBytes: options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES,
        intervalMs: 2_000,
        stuckMs: 30_000,
        busySince: () => busySince[0] ?? 0,
        setReadOnly: (on) => worker.postMessage({ type: 'readOnly', on }),
        onChange: (state, free) => options.onStorage?.(state, free),
        onStuck: (reason) => {
          for (const listener of failureListeners) listener(reason);
          void worker.terminate();
        },
      });
  return {
    url: socketUrl(socketDir),
    ownerPid: process.pid,
    onFailure: (listener) => void failureListeners.push(listener),
    close: async () => {
      if (closing) return;
      closing = true;
      stopWatching();
      const done = new Promise<void>((resolve) => {
        closed = resolve;
      });
      worker.postMessage({ type: 'close' });
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
      await worker.terminate();
    },
  };
}

async function socketDirectoryFor(directory: string): Promise<string> {
  if (path.join(directory, SOCKET_FILE).length <= MAX_SOCKET_PATH) return directory;
  const hash = createHash('sha256').update(directory).digest('hex').slice(0, 16);
  const socketDir = path.join(tmpdir(), `kg-${hash}`);
  await mkdir(socketDir, { recursive: true, mode: 0o700 });
  return socketDir;
}

async function readLock(lockPath: string): Promise<LockFile | null> {
  try {
    const lock = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockFile>;
    return typeof lock.pid === 'number' && typeof lock.socketDir === 'string' ? (lock as LockFile) : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until the owner answers on its socket (it may still be starting); false if it died meanwhile. */
async function waitForOwner(directory: string, lock: LockFile, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let reason = '';
  while (Date.now() < deadline && isAlive(lock.pid)) {
    const client = new pg.Client({ connectionString: socketUrl(lock.socketDir), connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!isAlive(lock.pid)) return false;
  throw new DataDirectoryBusyError(
    `DATA_DIR ${directory} is held by process ${lock.pid}, which does not answer on ${path.join(lock.socketDir, SOCKET_FILE)}` +
      `${reason ? ` (${reason})` : ''}. Stop that process, or wait until it has started.`,
  );
}
