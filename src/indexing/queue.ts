// The durable indexing queue: one `indexing_jobs` row per pending run of the pipeline over a document. A worker
// claims a job with a lease and renews it while it works; a worker that dies stops renewing, the lease runs out and
// another worker claims the job again. Claims are serialised by a transaction-scoped advisory lock (inside the claim
// function, see its migration) so that two workers never run the same document at once, even when an update queued a
// second job for it.
import type { Prisma } from '../db/database.ts';
import type { Prisma as PrismaNamespace } from '../db/generated/prisma/client.ts';
import { publishProgress } from '../domain/documents/progress.ts';
import type { PubSub } from '../events/pubsub.ts';

export interface ClaimedJob {
  id: string;
  documentId: string;
  attempts: number;
}

type Tx = PrismaNamespace.TransactionClient;

/**
 * Queues a run of the pipeline for each document (call inside the transaction that changed them). `created`: the
 * documents are new, so there is no earlier run to stop.
 */
export async function enqueueIndexing(tx: Tx, documentIds: string[], options: { created?: boolean } = {}): Promise<void> {
  if (documentIds.length === 0) return;
  if (options.created) {
    await tx.indexingJob.createMany({ data: documentIds.map((documentId) => ({ documentId })) });
    return;
  }
  // A run in progress for the document is now stale: it stops at its next checkpoint.
  await tx.indexingJob.updateMany({
    where: { documentId: { in: documentIds }, status: 'running' },
    data: { status: 'cancelled' },
  });
  await tx.indexingJob.deleteMany({ where: { documentId: { in: documentIds }, status: 'queued' } });
  await tx.indexingJob.createMany({ data: documentIds.map((documentId) => ({ documentId })) });
}

/** Stops any queued or running work for the documents (pause, delete). */
export async function cancelIndexing(tx: Tx, documentIds: string[]): Promise<void> {
  if (documentIds.length === 0) return;
  await tx.indexingJob.deleteMany({ where: { documentId: { in: documentIds }, status: 'queued' } });
  await tx.indexingJob.updateMany({
    where: { documentId: { in: documentIds }, status: 'running' },
    data: { status: 'cancelled' },
  });
}

/** Whether a worker currently holds a live lease on the document. */
export async function isIndexing(prisma: Prisma | Tx, documentId: string): Promise<boolean> {
  const running = await prisma.indexingJob.count({
    where: { documentId, status: 'running', leaseUntil: { gt: new Date() } },
  });
  return running > 0;
}

/**
 * The jobs a worker had in hand when it died of them (it ran out of memory or crashed, rather than being stopped from
 * outside): their documents fail now instead of being claimed again, so that one document cannot take workers down
 * over and over.
 */
export async function failJobsOfDeadWorker(
  deps: { prisma: Prisma; pubsub: PubSub },
  jobs: ClaimedJob[],
  reason: string,
): Promise<void> {
  if (jobs.length === 0) return;
  const message = `Indexing this document stopped the indexing worker (${reason}); the document was failed so that it cannot do so again. Retry it once its file or process rule is changed.`;
  const failed = await deps.prisma.$transaction(async (tx) => {
    const held = await tx.indexingJob.findMany({
      where: { id: { in: jobs.map((j) => j.id) }, status: 'running' },
      select: { documentId: true },
    });
    const documentIds = held.map((j) => j.documentId);
    await tx.document.updateMany({
      where: { id: { in: documentIds } },
      data: { indexingStatus: 'error', error: message, stoppedAt: new Date() },
    });
    await tx.indexingJob.deleteMany({ where: { id: { in: jobs.map((j) => j.id) } } });
    return documentIds;
  });
  for (const documentId of failed) await publishProgress(deps.prisma, deps.pubsub, documentId);
}

export class IndexingQueue {
  constructor(
    private readonly prisma: Prisma,
    readonly workerId: string,
    private readonly leaseMs: number,
  ) {}

  /**
   * Up to `max` due jobs whose documents no live worker holds, leased to this worker, in one round trip: the claim
   * runs in a database function (`claim_indexing_jobs`) that takes the claim lock and then claims, one statement on
   * every engine, so no transaction holds the embedded engine's one session between statements of this thread.
   */
  async claim(max = 1): Promise<ClaimedJob[]> {
    if (max < 1) return [];
    const rows = await this.prisma.$queryRawUnsafe<{ job_id: string; job_document_id: string; job_attempts: number }[]>(
      'SELECT job_id, job_document_id, job_attempts FROM claim_indexing_jobs($1, $2::int, $3::int)',
      this.workerId,
      this.leaseMs,
      Math.floor(max),
    );
    return rows.map((row) => ({ id: row.job_id, documentId: row.job_document_id, attempts: row.job_attempts }));
  }

  /**
   * Renews the lease. False when the job is no longer this worker's to run (the document was updated, paused or
   * deleted, or the lease ran out and another worker took it): the caller must stop without writing.
   */
  async renew(jobId: string): Promise<boolean> {
    const updated = await this.prisma.$executeRawUnsafe(
      `UPDATE indexing_jobs SET lease_until = now() + ($3::int * interval '1 millisecond'), updated_at = now()
        WHERE id = $1::uuid AND locked_by = $2 AND status = 'running'`,
      jobId,
      this.workerId,
      this.leaseMs,
    );
    return updated > 0;
  }

  /**
   * Renews the lease and, in the same statement, runs `writes`: data-modifying CTEs (`name AS (…)`, comma-separated)
   * whose parameters start at $4 and which guard themselves with `EXISTS (SELECT 1 FROM lease)`. False, and nothing
   * written, when the job is no longer this worker's: the caller must stop.
   */
  async renewAnd(jobId: string, writes: string, params: unknown[]): Promise<boolean> {
    const [row] = await this.prisma.$queryRawUnsafe<{ held: number }[]>(
      `WITH lease AS (
         UPDATE indexing_jobs SET lease_until = now() + ($3::int * interval '1 millisecond'), updated_at = now()
          WHERE id = $1::uuid AND locked_by = $2 AND status = 'running' RETURNING id
       ),
       ${writes}
       SELECT count(*)::int AS held FROM lease`,
      jobId,
      this.workerId,
      this.leaseMs,
      ...params,
    );
    return (row?.held ?? 0) > 0;
  }

  /** The job is over (done, failed for good, or stale): its row goes. */
  async finish(jobId: string): Promise<void> {
    await this.prisma.indexingJob.deleteMany({ where: { id: jobId, lockedBy: this.workerId } });
  }

  /** Gives a job back after a transient failure, to run again after `delayMs`. */
  async release(jobId: string, error: string, delayMs: number): Promise<void> {
    await this.prisma.indexingJob.updateMany({
      where: { id: jobId, lockedBy: this.workerId, status: 'running' },
      data: { status: 'queued', lockedBy: null, leaseUntil: null, lastError: error, runAt: new Date(Date.now() + delayMs) },
    });
  }
}
