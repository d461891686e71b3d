import { ProviderNotInitializedError } from '../domain/errors.ts';
import { type RetrievedChildChunk, type RetrievedRecord, retrieve } from '../domain/retrieval/service.ts';
import { builder } from './builder.ts';
import { ComparisonOperator, LogicalOperator } from './enums.ts';
import { SegmentRef } from './documents.ts';
import { WRITE_ERRORS } from './errors.ts';
import { idArg } from './ids.ts';
import { RetrievalModelInput } from './retrieval-model.ts';

const RetrievedChildChunkRef = builder.objectRef<RetrievedChildChunk>('RetrievedChildChunk').implement({
  description: 'A child chunk that matched the query.',
  fields: (t) => ({
    id: t.globalID({ description: 'The global ID of the child chunk.', resolve: (c) => ({ type: 'ChildChunk', id: c.id }) }),
    uuid: t.exposeString('id', { description: 'The child chunk UUID, as the REST API shows it.' }),
    content: t.exposeString('content'),
    position: t.exposeInt('position'),
    score: t.exposeFloat('score'),
  }),
});

/** Whether a Prisma query for a segment asks for nothing beyond its scalar fields and its document's. */
function answeredBySegmentRow(query: { include?: unknown; select?: unknown }): boolean {
  if (query.select !== undefined) return false;
  return Object.entries(query.include ?? {}).every(([relation, wanted]) => relation === 'document' && wanted === true);
}

const RetrievalRecordRef = builder.objectRef<RetrievedRecord>('RetrievalRecord').implement({
  description: 'A segment retrieval found, with its score.',
  fields: (t) => ({
    // A selection of the segment's own fields and its document is answered from the row the search brought, or from
    // one statement for the whole answer; any other relation is loaded by Prisma with what the selection needs.
    segment: t.prismaField({
      type: SegmentRef,
      nullable: true,
      description: 'The segment; null when it was deleted between the search and this answer.',
      resolve: (query, record, _args, ctx) => {
        if (!answeredBySegmentRow(query)) return ctx.prisma.segment.findUnique({ ...query, where: { id: record.segmentId } });
        return record.row ?? ctx.loaders.segmentRows.load(record.segmentId);
      },
    }),
    score: t.exposeFloat('score', { description: 'Similarity, full-text, weighted or rerank score: higher is better.' }),
    childChunks: t.field({
      type: [RetrievedChildChunkRef],
      description: 'For parent-child documents: the matching children of the segment, best first.',
      resolve: (record) => record.childChunks,
    }),
  }),
});

const RetrievalResultRef = builder
  .objectRef<{ query: string; records: RetrievedRecord[] }>('RetrievalResult')
  .implement({
    description: 'What retrieve found.',
    fields: (t) => ({
      query: t.exposeString('query'),
      records: t.field({ type: [RetrievalRecordRef], resolve: (r) => r.records }),
    }),
  });

const MetadataConditionInput = builder.inputType('MetadataConditionInput', {
  description: 'A condition on a metadata field.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'A metadata field name, or a built-in field (document_name, uploader, upload_date, last_update_date, source).' }),
    comparisonOperator: t.field({ type: ComparisonOperator, required: true, description: 'How to compare.' }),
    value: t.field({ type: 'JSON', description: 'A string, a number (time fields: Unix seconds) or, for in/not in, a list.' }),
  }),
});

const MetadataFilterInput = builder.inputType('MetadataFilterInput', {
  description: 'Conditions on metadata that choose documents before ranking.',
  fields: (t) => ({
    logicalOperator: t.field({ type: LogicalOperator, description: 'How conditions combine (default AND).' }),
    conditions: t.field({ type: [MetadataConditionInput] }),
  }),
});

builder.queryField('retrieve', (t) =>
  t.field({
    type: RetrievalResultRef,
    description:
      "Searches a dataset (Dify's retrieve / hit-testing). Without retrievalModel, the dataset's own settings apply. " +
      'Metadata conditions choose the documents before ranking.',
    // A query keeps the wrapping success type (`QueryRetrieveSuccess { data }`); only mutations answer payloads directly.
    errors: { types: [...WRITE_ERRORS, ProviderNotInitializedError], directResult: false },
    args: {
      datasetId: t.arg.id({ required: true }),
      query: t.arg.string({ required: true, description: 'What to search for.' }),
      retrievalModel: t.arg({ type: RetrievalModelInput, description: "Overrides the dataset's retrieval settings." }),
      metadataFilter: t.arg({ type: MetadataFilterInput, description: 'Chooses the documents searched.' }),
    },
    resolve: (_root, args, ctx) =>
      retrieve(ctx, ctx.viewer, idArg(args.datasetId, 'Dataset'), {
        query: args.query,
        retrievalModel: args.retrievalModel,
        metadataFilter: args.metadataFilter,
      }),
  }),
);
