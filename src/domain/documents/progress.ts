// A document's indexing progress as Dify's indexing-status endpoint reports it (spec §4.9), shared by that route, the
// GraphQL query and the `indexingProgress` subscription.
import type { Prisma } from '../../db/database.ts';
import type { Document } from '../../db/generated/prisma/client.ts';
import { CHANNELS, type PubSub } from '../../events/pubsub.ts';

export interface IndexingProgress {
  documentId: string;
  datasetId: string;
  batch: string;
  /** `paused` whenever the document is paused, else the stored status. */
  indexingStatus: string;
  processingStartedAt: Date | null;
  parsingCompletedAt: Date | null;
  cleaningCompletedAt: Date | null;
  splittingCompletedAt: Date | null;
  completedAt: Date | null;
  pausedAt: Date | null;
  error: string | null;
  stoppedAt: Date | null;
  completedSegments: number;
  totalSegments: number;
  /** When this state was read: for events, the moment they were published. */
  publishedAt: Date;
}

export const isFinished = (p: Pick<IndexingProgress, 'indexingStatus'>) =>
  p.indexingStatus === 'completed' || p.indexingStatus === 'error';

/** Segment counts the caller already knows (the indexing pipeline), which spare the count over the segments. */
export interface KnownSegmentCounts {
  completed: number;
  total: number;
}

export async function loadProgress(
  prisma: Prisma,
  where: { datasetId: string; workspaceId: string; batch?: string | null; ids?: string[] },
  known?: KnownSegmentCounts,
): Promise<IndexingProgress[]> {
  const documents = await prisma.document.findMany({
    where: {
      datasetId: where.datasetId,
      workspaceId: where.workspaceId,
      ...(where.batch != null ? { batch: where.batch } : {}),
      ...(where.ids ? { id: { in: where.ids } } : {}),
    },
    orderBy: [{ position: 'asc' }],
  });
  if (documents.length === 0) return [];
  const counts =
    known && documents.length === 1
      ? [{ document_id: (documents[0] as { id: string }).id, total: known.total, completed: known.completed }]
      : await prisma.$queryRawUnsafe<{ document_id: string; total: bigint; completed: bigint }[]>(
          `SELECT document_id, count(*) AS total, count(*) FILTER (WHERE completed_at IS NOT NULL) AS completed
             FROM segments WHERE document_id = ANY($1::uuid[]) AND status <> 're_segment' GROUP BY document_id`,
          documents.map((d) => d.id),
        );
  const byId = new Map(counts.map((c) => [c.document_id, c]));
  return documents.map((d) =>
    progressOf(d, { completed: Number(byId.get(d.id)?.completed ?? 0), total: Number(byId.get(d.id)?.total ?? 0) }),
  );
}

/** The columns of a document that its progress shows. */
export type ProgressDocument = Pick<
  Document,
  | 'id'
  | 'datasetId'
  | 'batch'
  | 'isPaused'
  | 'indexingStatus'
  | 'processingStartedAt'
  | 'parsingCompletedAt'
  | 'cleaningCompletedAt'
  | 'splittingCompletedAt'
  | 'completedAt'
  | 'pausedAt'
  | 'error'
  | 'stoppedAt'
>;

/** The progress of a document row whose segment counts are known. */
export function progressOf(d: ProgressDocument, segments: KnownSegmentCounts): IndexingProgress {
  return {
    documentId: d.id,
    datasetId: d.datasetId,
    batch: d.batch,
    indexingStatus: d.isPaused ? 'paused' : d.indexingStatus,
    processingStartedAt: d.processingStartedAt,
    parsingCompletedAt: d.parsingCompletedAt,
    cleaningCompletedAt: d.cleaningCompletedAt,
    splittingCompletedAt: d.splittingCompletedAt,
    completedAt: d.completedAt,
    pausedAt: d.pausedAt,
    error: d.error,
    stoppedAt: d.stoppedAt,
    completedSegments: segments.completed,
    totalSegments: segments.total,
    publishedAt: new Date(),
  };
}

/**
 * Publishes a document's current progress; subscribers receive this snapshot, so no state change is lost. The
 * indexing pipeline passes what it knows (the document's dataset and workspace, its segment counts) to save queries.
 */
export async function publishProgress(
  prisma: Prisma,
  pubsub: PubSub,
  documentId: string,
  known?: { datasetId: string; workspaceId: string; segments?: KnownSegmentCounts },
): Promise<void> {
  const document =
    known ?? (await prisma.document.findUnique({ where: { id: documentId }, select: { datasetId: true, workspaceId: true } }));
  if (!document) return;
  const [progress] = await loadProgress(prisma, { datasetId: document.datasetId, workspaceId: document.workspaceId, ids: [documentId] }, known?.segments);
  if (progress) await sendProgress(pubsub, progress);
}

/** Publishes a progress snapshot the caller built (from a row it just wrote). */
export async function sendProgress(pubsub: PubSub, progress: IndexingProgress): Promise<void> {
  // NOTIFY payloads are limited to 8000 bytes: keep long error messages short in the event.
  const error = progress.error && progress.error.length > 2000 ? `${progress.error.slice(0, 2000)}…` : progress.error;
  await pubsub.publish(CHANNELS.progress, { ...progress, error });
}

const DATE_FIELDS = [
  'processingStartedAt',
  'parsingCompletedAt',
  'cleaningCompletedAt',
  'splittingCompletedAt',
  'completedAt',
  'pausedAt',
  'stoppedAt',
  'publishedAt',
] as const;

/** A published snapshot back into an IndexingProgress (dates travel as ISO strings). */
export function progressFromEvent(payload: unknown): IndexingProgress {
  const event = payload as Record<string, unknown>;
  const out = { ...event } as Record<string, unknown>;
  for (const field of DATE_FIELDS) out[field] = typeof event[field] === 'string' ? new Date(event[field] as string) : null;
  out.publishedAt ??= new Date();
  return out as unknown as IndexingProgress;
}
