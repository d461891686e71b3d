// The indexing worker: claims jobs from the queue and runs the pipeline, `concurrency` documents at a time. It wakes
// when jobs are announced on the pub/sub and also polls, so a missed notification only delays work. While a job runs
// its lease is renewed in the background; if the process dies the lease runs out and another worker takes the job.
import { CHANNELS } from '../events/pubsub.ts';
import { type PipelineDeps, runIndexingJob } from './pipeline.ts';
import type { ClaimedJob } from './queue.ts';

export interface WorkerOptions {
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  /** Told which jobs are in hand, so that a supervisor knows what a worker that died was doing. */
  onJob?(event: 'started' | 'ended', job: ClaimedJob): void;
}

/** A worker that can be started and stopped, wherever it runs (this thread or a thread of its own). */
export interface IndexingWorkerHandle {
  start(): Promise<void>;
  /** Stops claiming work and waits for the documents in progress (up to `timeoutMs`; their jobs stay leased). */
  stop(timeoutMs?: number): Promise<void>;
}

export class IndexingWorker implements IndexingWorkerHandle {
  private running = false;
  private dispatcher: Promise<void> | null = null;
  /** Documents in progress. */
  private readonly active = new Set<Promise<void>>();
  private wake: (() => void)[] = [];
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly deps: PipelineDeps,
    private readonly options: WorkerOptions,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = await this.deps.pubsub.subscribe(CHANNELS.jobs, () => this.wakeAll());
    this.dispatcher = this.dispatch();
    this.deps.logger.info({ workerId: this.deps.queue.workerId, concurrency: this.options.concurrency }, 'indexing worker started');
  }

  /** Stops claiming work and waits for the documents in progress (up to `timeoutMs`; their jobs stay leased). */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.wakeAll();
    await Promise.race([
      this.dispatcher?.then(() => Promise.all(this.active)),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }

  private wakeAll() {
    const waiters = this.wake;
    this.wake = [];
    for (const resolve of waiters) resolve();
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake.push(done);
    });
  }

  /** Claims as many jobs as there are free slots, in one round trip, whenever a slot is free and work may be due. */
  private async dispatch(): Promise<void> {
    const { queue, logger } = this.deps;
    while (this.running) {
      const free = this.options.concurrency - this.active.size;
      if (free === 0) {
        await Promise.race(this.active);
        continue;
      }
      let jobs: ClaimedJob[];
      try {
        jobs = await queue.claim(free);
      } catch (error) {
        logger.error({ err: error }, 'could not claim an indexing job');
        await this.sleep(this.options.pollMs);
        continue;
      }
      for (const job of jobs) {
        const run = this.run(job).finally(() => {
          this.active.delete(run);
          this.wakeAll();
        });
        this.active.add(run);
      }
      // Nothing due: wait for a notification, a free slot or the poll interval. A full batch: claim again at once.
      if (jobs.length < free) await this.sleep(this.options.pollMs);
    }
  }

  private async run(job: ClaimedJob): Promise<void> {
    const { queue, logger } = this.deps;
    const heartbeat = setInterval(() => {
      queue.renew(job.id).catch((error) => logger.warn({ err: error, jobId: job.id }, 'lease renewal failed'));
    }, Math.max(250, Math.floor(this.options.leaseMs / 3)));
    this.options.onJob?.('started', job);
    try {
      await runIndexingJob(this.deps, job);
    } catch (error) {
      logger.error({ err: error, jobId: job.id }, 'indexing job crashed');
    } finally {
      clearInterval(heartbeat);
      this.options.onJob?.('ended', job);
    }
  }
}
