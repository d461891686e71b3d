// The server's indexing worker in a worker thread of its own. The pipeline's JavaScript — building statements for
// thousands of segments, Prisma's query compilation, progress — would otherwise share the event loop with requests
// and show up as their latency. The thread opens its own connections to the same database (the embedded one through
// its socket), so nothing but start and stop crosses between the threads; progress still travels by NOTIFY.
import { Worker } from 'node:worker_threads';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { moduleUrl, TYPESCRIPT_WORKER } from '../threads/typescript-worker.ts';
import type { ClaimedJob } from './queue.ts';
import type { IndexingWorkerHandle } from './worker.ts';

export interface WorkerThreadOptions {
  config: Config;
  database: Pick<Database, 'kind' | 'url'>;
  logger: Logger;
  /** The thread died of itself (out of memory, a crash) while it had these jobs in hand. */
  onDied?(jobs: ClaimedJob[], reason: string): Promise<void>;
}

/** Messages between the threads. */
export type ToWorkerThread = { type: 'stop'; timeoutMs: number };
export type FromWorkerThread =
  | { type: 'started' }
  | { type: 'stopped' }
  | { type: 'failed'; message: string }
  | { type: 'job'; event: 'started' | 'ended'; job: ClaimedJob };

const RESTART_DELAY_MS = 1_000;

export class IndexingWorkerThread implements IndexingWorkerHandle {
  private thread: Worker | null = null;
  private wanted = false;

  constructor(private readonly options: WorkerThreadOptions) {}

  async start(): Promise<void> {
    if (this.wanted) return;
    this.wanted = true;
    await this.spawn();
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    this.wanted = false;
    const thread = this.thread;
    if (!thread) return;
    const stopped = new Promise<void>((resolve) => {
      thread.on('message', (message: FromWorkerThread) => message.type === 'stopped' && resolve());
      thread.once('exit', () => resolve());
    });
    thread.postMessage({ type: 'stop', timeoutMs } satisfies ToWorkerThread);
    // The thread waits up to `timeoutMs` for its documents; past that (and a margin to close) it is cut short.
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise((resolve) => (deadline = setTimeout(resolve, timeoutMs + 2_000)))]);
    clearTimeout(deadline);
    await thread.terminate();
  }

  async close(): Promise<void> {
    await this.stop();
  }

  private spawn(): Promise<void> {
    const { config, database, logger } = this.options;
    const thread = new Worker(TYPESCRIPT_WORKER, {
      workerData: { module: moduleUrl('./worker-thread-entry.ts', import.meta.url), config, database },
      name: 'indexing-worker',
      // Past this heap the thread alone dies (ERR_WORKER_OUT_OF_MEMORY), not the process that serves requests.
      resourceLimits: { maxOldGenerationSizeMb: config.indexing.threadMemoryMb },
    });
    this.thread = thread;
    const inHand = new Map<string, ClaimedJob>();
    let death = 'it stopped';
    return new Promise<void>((resolve, reject) => {
      let started = false;
      thread.on('message', (message: FromWorkerThread) => {
        if (message.type === 'job') {
          if (message.event === 'started') inHand.set(message.job.id, message.job);
          else inHand.delete(message.job.id);
        } else if (message.type === 'started') {
          started = true;
          resolve();
        } else if (message.type === 'failed' && !started) {
          reject(new Error(`the indexing worker thread did not start: ${message.message}`));
        }
      });
      thread.on('error', (error) => {
        death =
          (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `it needed more than ${config.indexing.threadMemoryMb} MB of memory, INDEXING_WORKER_MEMORY_MB`
            : `it crashed: ${error.message}`;
        logger.error({ err: error }, 'the indexing worker thread failed');
        if (!started) reject(error);
      });
      thread.on('exit', (code) => {
        if (this.thread === thread) this.thread = null;
        if (!started || !this.wanted) return;
        const jobs = [...inHand.values()];
        logger.error(
          { code, jobs: jobs.map((j) => j.documentId) },
          `the indexing worker thread stopped (${death}); starting a new one in ${RESTART_DELAY_MS} ms`,
        );
        this.options
          .onDied?.(jobs, death)
          .catch((error) => logger.error({ err: error }, 'could not fail the documents of the dead indexing thread'));
        setTimeout(() => {
          if (this.wanted && !this.thread) {
            this.spawn().catch((error) => logger.error({ err: error }, 'could not restart the indexing worker thread'));
          }
        }, RESTART_DELAY_MS).unref();
      });
    });
  }
}
