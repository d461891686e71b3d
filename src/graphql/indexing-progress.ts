import { Repeater } from 'graphql-yoga';
import { getDatasetForApi } from '../domain/datasets/service.ts';
import { type IndexingProgress, isFinished, loadProgress, progressFromEvent } from '../domain/documents/progress.ts';
import { NotFoundError } from '../domain/errors.ts';
import { CHANNELS } from '../events/pubsub.ts';
import { builder } from './builder.ts';
import { DatasetRef } from './datasets.ts';
import { toGraphQLError } from './errors.ts';
import { idArg } from './ids.ts';

export const IndexingProgressRef = builder.objectRef<IndexingProgress>('IndexingProgress').implement({
  description: "A document's indexing state: Dify's indexing-status record.",
  fields: (t) => ({
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
    indexingStatus: t.exposeString('indexingStatus', {
      description: 'waiting, parsing, splitting, indexing, completed, error, or paused when the document is paused.',
    }),
    processingStartedAt: t.expose('processingStartedAt', { type: 'DateTime', nullable: true }),
    parsingCompletedAt: t.expose('parsingCompletedAt', { type: 'DateTime', nullable: true }),
    cleaningCompletedAt: t.expose('cleaningCompletedAt', { type: 'DateTime', nullable: true }),
    splittingCompletedAt: t.expose('splittingCompletedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    pausedAt: t.expose('pausedAt', { type: 'DateTime', nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    stoppedAt: t.expose('stoppedAt', { type: 'DateTime', nullable: true }),
    completedSegments: t.exposeInt('completedSegments'),
    totalSegments: t.exposeInt('totalSegments'),
  }),
});

builder.prismaObjectField(DatasetRef, 'indexingStatus', (t) =>
  t.field({
    type: [IndexingProgressRef],
    description: 'Indexing state of the documents created by one request (their batch).',
    args: { batch: t.arg.string({ required: true }) },
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
      'Streams indexing progress of a batch or a document (or every document of the dataset in progress): first the ' +
      'current state of each, then one event per stage change and per batch of completed segments. Ends when all ' +
      'of them are completed or failed.',
    args: {
      datasetId: t.arg.id({ required: true }),
      batch: t.arg.string(),
      documentId: t.arg.id(),
    },
    subscribe: async (_root, args, ctx) => {
      const datasetId = idArg(args.datasetId, 'Dataset');
      try {
        await getDatasetForApi(ctx.prisma, ctx.viewer, datasetId);
      } catch (error) {
        throw toGraphQLError(error);
      }
      const scope = {
        datasetId,
        workspaceId: ctx.viewer.workspaceId,
        batch: args.batch ?? null,
        ids: args.documentId ? [idArg(args.documentId, 'Document')] : undefined,
      };
      const initial = await loadProgress(ctx.prisma, scope);
      if (initial.length === 0) throw toGraphQLError(new NotFoundError('Documents', 'Documents not found.'));
      const watched = new Set(initial.map((p) => p.documentId));

      return new Repeater<IndexingProgress>(async (push, stop) => {
        const open = new Set(initial.filter((p) => !isFinished(p)).map((p) => p.documentId));
        const last = new Map<string, string>();
        let initialSent = false;
        const emit = async (progress: IndexingProgress) => {
          const key = JSON.stringify(progress);
          const previous = last.get(progress.documentId);
          // A notification may arrive after the state it describes was already sent (late delivery): skip it.
          if (previous === key || (previous && isOlder(progress, JSON.parse(previous) as IndexingProgress))) return;
          last.set(progress.documentId, key);
          await push(progress);
          if (isFinished(progress)) open.delete(progress.documentId);
          if (initialSent && open.size === 0) stop();
        };
        // Events are handled one after another so that each document's states arrive in order.
        let chain: Promise<void> = Promise.resolve();
        const unsubscribe = await ctx.pubsub.subscribe(CHANNELS.progress, (payload) => {
          const progress = progressFromEvent(payload);
          if (progress.datasetId !== datasetId || !watched.has(progress.documentId)) return;
          chain = chain.then(() => emit(progress)).catch((error) => stop(error));
        });
        // The current state first (after subscribing, so nothing falls between the two).
        chain = chain.then(async () => {
          for (const progress of await loadProgress(ctx.prisma, scope)) await emit(progress);
          initialSent = true;
          if (open.size === 0) stop();
        });
        await stop;
        unsubscribe();
      });
    },
    resolve: (progress) => progress,
  }),
);
