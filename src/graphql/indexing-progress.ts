import { Repeater } from 'graphql-yoga';
import { getDatasetForApi } from '../domain/datasets/service.ts';
import { type IndexingProgress, isFinished, loadProgress, progressFromEvent } from '../domain/documents/progress.ts';
import { NotFoundError } from '../domain/errors.ts';
import { CHANNELS } from '../events/pubsub.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { DatasetRef } from './datasets.ts';
import { toGraphQLError } from './errors.ts';
import { IndexingErrorCode, IndexingStatus } from './enums.ts';
import { idArg } from './ids.ts';

/** The stages in the order a document goes through them (ERROR and PAUSED can interrupt any of them). */
const STAGE_ORDER = ['waiting', 'parsing', 'cleaning', 'splitting', 'indexing', 'completed'] as const;

/** A progress record with the moment this server saw it (an event's, or the read's for a current state). */
type Observed = IndexingProgress & { observedAt?: Date };

/** The last stage reached: for ERROR and PAUSED, the one whose completion time is the latest set. */
function stageIndex(p: IndexingProgress): number {
  const index = STAGE_ORDER.indexOf(p.indexingStatus as (typeof STAGE_ORDER)[number]);
  if (index >= 0) return index;
  if (p.splittingCompletedAt) return 4;
  if (p.cleaningCompletedAt) return 3;
  if (p.parsingCompletedAt) return 2;
  return p.processingStartedAt ? 1 : 0;
}

/** Segments are known once the text is split (Dify reports 0 before). */
const segmentsKnown = (p: IndexingProgress) => stageIndex(p) >= 4 || p.splittingCompletedAt !== null;

// Stage weights for a single progress bar: the indexing stage (embedding) dominates the time a document takes.
const STAGE_PERCENT = [0, 5, 10, 15, 20, 100];

function percent(p: IndexingProgress): number {
  if (p.indexingStatus === 'completed') return 100;
  const index = stageIndex(p);
  if (index === 4 && p.totalSegments > 0) return Math.min(99.9, 20 + (80 * p.completedSegments) / p.totalSegments);
  return STAGE_PERCENT[index] ?? 0;
}

export const IndexingProgressRef = builder.objectRef<Observed>('IndexingProgress').implement({
  description: "A document's indexing state (Dify's indexing-status record), with what a progress bar needs.",
  fields: (t) => ({
    stageIndex: t.int({
      description: 'The stage reached, 0 (WAITING) to 5 (COMPLETED) in IndexingStatus order; ERROR and PAUSED keep it.',
      resolve: stageIndex,
    }),
    percent: t.float({
      description: 'Overall progress, 0 to 100: stages up to splitting count 20, indexing the segments the other 80.',
      resolve: percent,
    }),
    errorCode: t.field({
      type: IndexingErrorCode,
      nullable: true,
      description: 'INDEXING_FAILED when indexing ended in an error (see `error` for the reason); null otherwise.',
      resolve: (p) => (p.indexingStatus === 'error' ? 'INDEXING_FAILED' : null),
    }),
    observedAt: t.field({
      type: 'DateTime',
      description: 'When this server saw this state: the event for a change, the read for a current state.',
      resolve: (p) => p.observedAt ?? new Date(),
    }),
    documentId: t.globalID({
      description: 'The global ID of the document.',
      resolve: (p) => ({ type: 'Document', id: p.documentId }),
    }),
    documentUuid: t.exposeString('documentId', { description: 'The document UUID, as the REST API shows it.' }),
    document: t.prismaField({
      type: 'Document',
      nullable: true,
      resolve: (query, p, _a, ctx) => ctx.prisma.document.findUnique({ ...query, where: { id: p.documentId } }),
    }),
    batch: t.exposeString('batch'),
    indexingStatus: t.field({
      type: IndexingStatus,
      description: 'Where indexing is; PAUSED when the document is paused.',
      resolve: (p) => p.indexingStatus as never,
    }),
    processingStartedAt: t.expose('processingStartedAt', { type: 'DateTime', nullable: true }),
    parsingCompletedAt: t.expose('parsingCompletedAt', { type: 'DateTime', nullable: true }),
    cleaningCompletedAt: t.expose('cleaningCompletedAt', { type: 'DateTime', nullable: true }),
    splittingCompletedAt: t.expose('splittingCompletedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    pausedAt: t.expose('pausedAt', { type: 'DateTime', nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    stoppedAt: t.expose('stoppedAt', { type: 'DateTime', nullable: true }),
    completedSegments: t.exposeInt('completedSegments', { description: 'Segments indexed so far.' }),
    totalSegments: t.int({
      nullable: true,
      description: 'Segments of the document; null until its text is split.',
      resolve: (p) => (segmentsKnown(p) ? p.totalSegments : null),
    }),
    segmentCount: t.exposeInt('totalSegments', { description: "Segments that exist now (0 before splitting, as Dify's total_segments)." }),
    publishedAt: t.expose('publishedAt', {
      type: 'DateTime',
      description:
        'When the process doing the work published this state (for the first event of a subscription: when it was read); `observedAt` minus this is the delivery delay.',
    }),
  }),
});

/** The documents of a dataset that are not finished: a dataset-wide subscription starts with their state. */
async function documentsInProgress(prisma: Context['prisma'], datasetId: string) {
  const rows = await prisma.document.findMany({
    where: { datasetId, indexingStatus: { notIn: ['completed', 'error'] } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

builder.prismaObjectField(DatasetRef, 'indexingStatus', (t) =>
  t.field({
    type: [IndexingProgressRef],
    description: 'Indexing state of the documents created by one request (their batch).',
    args: { batch: t.arg.string({ required: true, description: 'The batch a create request answered.' }) },
    resolve: (dataset, args, ctx) =>
      loadProgress(ctx.prisma, { datasetId: dataset.id, workspaceId: dataset.workspaceId, batch: args.batch }),
  }),
);

const STAGES = ['waiting', 'parsing', 'cleaning', 'splitting', 'indexing', 'paused', 'completed', 'error'];

const isOlder = (next: IndexingProgress, previous: IndexingProgress) => {
  const a = STAGES.indexOf(next.indexingStatus);
  const b = STAGES.indexOf(previous.indexingStatus);
  return a < b || (a === b && next.completedSegments < previous.completedSegments);
};

builder.subscriptionField('indexingProgress', (t) =>
  t.field({
    type: IndexingProgressRef,
    description:
      'Streams indexing progress: first the current state of each document followed, then one event per stage change ' +
      'and per batch of completed segments. With a batch or a document, ends when all of them are completed or ' +
      'failed. With neither, follows the whole dataset (documents in progress, and those created later) until the ' +
      'client unsubscribes.',
    args: {
      datasetId: t.arg.id({ required: true, description: 'The dataset (global ID or UUID).' }),
      batch: t.arg.string({ description: 'Only the documents of this batch (one create request).' }),
      documentId: t.arg.id({ description: 'Only this document (global ID or UUID).' }),
    },
    subscribe: async (_root, args, ctx) => {
      const datasetId = idArg(args.datasetId, 'Dataset');
      try {
        await getDatasetForApi(ctx.prisma, ctx.viewer, datasetId);
      } catch (error) {
        throw toGraphQLError(error);
      }
      const datasetWide = !args.batch && !args.documentId;
      const scope = {
        datasetId,
        workspaceId: ctx.viewer.workspaceId,
        batch: args.batch ?? null,
        ids: args.documentId
          ? [idArg(args.documentId, 'Document')]
          : datasetWide
            ? await documentsInProgress(ctx.prisma, datasetId)
            : undefined,
      };
      const initial = await loadProgress(ctx.prisma, scope);
      if (initial.length === 0 && !datasetWide) throw toGraphQLError(new NotFoundError('Documents', 'Documents not found.'));
      const watched = new Set(initial.map((p) => p.documentId));
      const follows = (documentId: string) => datasetWide || watched.has(documentId);

      return new Repeater<Observed>(async (push, stop) => {
        const open = new Set(initial.filter((p) => !isFinished(p)).map((p) => p.documentId));
        const last = new Map<string, string>();
        let initialSent = false;
        const emit = async (progress: Observed) => {
          const key = JSON.stringify({ ...progress, observedAt: undefined, publishedAt: undefined });
          const previous = last.get(progress.documentId);
          // A notification may arrive after the state it describes was already sent (late delivery): skip it.
          if (previous === key || (previous && isOlder(progress, JSON.parse(previous) as IndexingProgress))) return;
          last.set(progress.documentId, key);
          await push(progress);
          if (isFinished(progress)) open.delete(progress.documentId);
          if (initialSent && open.size === 0 && !datasetWide) stop();
        };
        // Events are handled one after another so that each document's states arrive in order.
        let chain: Promise<void> = Promise.resolve();
        const unsubscribe = await ctx.pubsub.subscribe(CHANNELS.progress, (payload) => {
          const progress = { ...progressFromEvent(payload), observedAt: new Date() };
          if (progress.datasetId !== datasetId || !follows(progress.documentId)) return;
          chain = chain.then(() => emit(progress)).catch((error) => stop(error));
        });
        // The current state first (after subscribing, so nothing falls between the two).
        chain = chain.then(async () => {
          for (const progress of await loadProgress(ctx.prisma, scope)) await emit({ ...progress, observedAt: new Date() });
          initialSent = true;
          if (open.size === 0 && !datasetWide) stop();
        });
        await stop;
        unsubscribe();
      });
    },
    resolve: (progress) => progress,
  }),
);
