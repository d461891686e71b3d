// A document's stage written by the indexing run that holds its job, in one statement with the check that the job is
// still that run's (running, leased to this worker) and the document not paused. Plain SQL rather than Prisma's
// updateManyAndReturn: a run writes three stages per document, and Prisma's query building for the relation filter
// cost more CPU than the statement did; the row comes back with only what a progress event needs.
import type { Prisma } from '../db/database.ts';
import type { ProgressDocument } from '../domain/documents/progress.ts';

/** What a run writes on the document. */
export interface StageChange {
  indexingStatus: string;
  processingStartedAt?: Date;
  parsingCompletedAt?: Date;
  cleaningCompletedAt?: Date;
  splittingCompletedAt?: Date;
  completedAt?: Date;
  stoppedAt?: Date | null;
  error?: string | null;
  wordCount?: number;
  tokens?: number;
  indexingLatency?: number;
}

const COLUMNS: Record<keyof StageChange, [column: string, type: string]> = {
  indexingStatus: ['indexing_status', 'text'],
  processingStartedAt: ['processing_started_at', 'timestamptz'],
  parsingCompletedAt: ['parsing_completed_at', 'timestamptz'],
  cleaningCompletedAt: ['cleaning_completed_at', 'timestamptz'],
  splittingCompletedAt: ['splitting_completed_at', 'timestamptz'],
  completedAt: ['completed_at', 'timestamptz'],
  stoppedAt: ['stopped_at', 'timestamptz'],
  error: ['error', 'text'],
  wordCount: ['word_count', 'int'],
  tokens: ['tokens', 'int'],
  indexingLatency: ['indexing_latency', 'float8'],
};

const RETURNING = `d.id, d.dataset_id AS "datasetId", d.batch, d.is_paused AS "isPaused", d.indexing_status AS "indexingStatus",
  d.processing_started_at AS "processingStartedAt", d.parsing_completed_at AS "parsingCompletedAt",
  d.cleaning_completed_at AS "cleaningCompletedAt", d.splitting_completed_at AS "splittingCompletedAt",
  d.completed_at AS "completedAt", d.paused_at AS "pausedAt", d.error, d.stopped_at AS "stoppedAt"`;

/**
 * Writes `change` on the job's document; null when the job is no longer this worker's or the document is paused
 * (nothing written). `finishJob`: the job's row goes in the same statement (the run is over).
 */
export async function writeStage(
  prisma: Prisma,
  job: { id: string; documentId: string; workerId: string },
  change: StageChange,
  options: { finishJob?: boolean } = {},
): Promise<ProgressDocument | null> {
  const params: unknown[] = [job.id, job.workerId, job.documentId];
  const sets = ['updated_at = now()'];
  for (const [field, value] of Object.entries(change) as [keyof StageChange, unknown][]) {
    if (value === undefined) continue;
    const [column, type] = COLUMNS[field];
    params.push(value);
    sets.push(`${column} = $${params.length}::${type}`);
  }
  const jobs = options.finishJob
    ? `DELETE FROM indexing_jobs WHERE id = $1::uuid AND document_id = $3::uuid AND locked_by = $2 AND status = 'running' RETURNING id`
    : `SELECT id FROM indexing_jobs WHERE id = $1::uuid AND document_id = $3::uuid AND locked_by = $2 AND status = 'running'`;
  const [row] = await prisma.$queryRawUnsafe<ProgressDocument[]>(
    `WITH job AS (${jobs})
     UPDATE documents d SET ${sets.join(', ')}
      WHERE d.id = $3::uuid AND NOT d.is_paused AND EXISTS (SELECT 1 FROM job)
     RETURNING ${RETURNING}`,
    ...params,
  );
  return row ?? null;
}
