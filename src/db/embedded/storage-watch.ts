// Disk space under an embedded data directory. PostgreSQL that cannot write its WAL does not fail: PGlite spins in
// XLogFlush for ever. So the owner refuses to start without room, turns the database read-only while space is short
// (reads go on; writes fail with SQLSTATE 25006), and stops a session that is stuck while the disk is full.
import { statfs } from 'node:fs/promises';

export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

export const freeBytes = async (directory: string) => {
  const stats = await statfs(directory);
  return stats.bavail * stats.bsize;
};

const megabytes = (bytes: number) => `${Math.floor(bytes / (1024 * 1024))} MB`;

export async function requireFreeSpace(directory: string, minBytes: number): Promise<void> {
  const free = await freeBytes(directory);
  if (free < minBytes) {
    throw new StorageFullError(
      `DATA_DIR ${directory} has ${megabytes(free)} free, less than the ${megabytes(minBytes)} the database needs to ` +
        'start (DATA_DIR_MIN_FREE_MB). Free some space, then start again.',
    );
  }
}

export interface StorageWatchOptions {
  directory: string;
  minBytes: number;
  intervalMs: number;
  /** A statement still running after this long while the disk is full means the session is stuck. */
  stuckMs: number;
  /** When the turn in progress started (ms since the epoch), 0 when idle. */
  busySince: () => number;
  setReadOnly(on: boolean): void;
  onStuck(reason: string): void;
  onChange(state: 'full' | 'ok', freeBytes: number): void;
}

/** Polls free space; returns a function that stops watching. */
export function watchStorage(options: StorageWatchOptions): () => void {
  let full = false;
  const check = async () => {
    const free = await freeBytes(options.directory).catch(() => Number.POSITIVE_INFINITY);
    if (!full && free < options.minBytes) {
      full = true;
      options.setReadOnly(true);
      options.onChange('full', free);
    } else if (full && free >= options.minBytes * 1.5) {
      full = false;
      options.setReadOnly(false);
      options.onChange('ok', free);
    }
    const since = options.busySince();
    if (full && since > 0 && Date.now() - since > options.stuckMs) {
      options.onStuck(`DATA_DIR ${options.directory} is full (${megabytes(free)} free) and the database has been stuck writing for ${Math.round((Date.now() - since) / 1000)} s`);
    }
  };
  const timer = setInterval(() => void check(), options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
