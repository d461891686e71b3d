// The durable indexing queue: one `indexing_jobs` row per pending run of the pipeline over a document. A worker
// claims a job with a lease and renews it while it works; a worker that dies stops renewing, the lease runs out and
// another worker claims the job again. Claims are serialised by a transaction-scoped advisory lock so that two
// workers never run the same document at once, even when an update queued a second job for it.
import type { Prisma } from '../db/database.ts';
import type { Prisma as PrismaNamespace } from '../db/generated/prisma/client.ts';
import { publishProgress } from '../domain/documents/progress.ts';
import type { PubSub } from '../events/pubsub.ts';

const CLAIM_LOCK = 0x6b67_7100;

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
    /** The database runs one statement at a time for everyone (the embedded engine). */
    private readonly exclusiveStatements = false,
  ) {}

  /** The next due job whose document no live worker holds, leased to this worker; null when there is none. */
  async claim(): Promise<ClaimedJob | null> {
    // On the embedded engine statements run one at a time on its one session, so the claim is atomic as it is; an
    // interactive transaction there would hold that session while this thread works between its statements.
    if (this.exclusiveStatements) return this.claimWith(this.prisma);
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', CLAIM_LOCK);
      return this.claimWith(tx);
    });
  }

  private async claimWith(db: Prisma | Tx): Promise<ClaimedJob | null> {
    // Leases that ran out belong to dead workers: their jobs are due again, cancelled ones are simply dropped.
    await db.$executeRawUnsafe(`DELETE FROM indexing_jobs WHERE status = 'cancelled' AND lease_until < now()`);
    const rows = await db.$queryRawUnsafe<{ id: string; document_id: string; attempts: number }[]>(
      `UPDATE indexing_jobs SET status = 'running', locked_by = $1, attempts = attempts + 1,
              lease_until = now() + ($2::int * interval '1 millisecond'), updated_at = now()
        WHERE id = (
          SELECT j.id FROM indexing_jobs j
           WHERE ((j.status = 'queued' AND j.run_at <= now()) OR (j.status = 'running' AND j.lease_until < now()))
             AND NOT EXISTS (SELECT 1 FROM indexing_jobs r
                              WHERE r.document_id = j.document_id AND r.id <> j.id
                                AND r.status IN ('running', 'cancelled') AND r.lease_until >= now())
           ORDER BY j.run_at, j.created_at
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING id, document_id, attempts`,
      this.workerId,
      this.leaseMs,
    );
    const row = rows[0];
    return row ? { id: row.id, documentId: row.document_id, attempts: row.attempts } : null;
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
