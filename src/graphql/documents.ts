import { displayStatus } from '../domain/documents/display-status.ts';
import { builder } from './builder.ts';
import type { PayloadFieldBuilder } from './payloads.ts';
import { ChildChunkType, DataSourceType, DocForm, DocumentCreatedFrom, DocumentDisplayStatus, IndexingStatus, ProcessRuleMode, SegmentStatus } from './enums.ts';

builder.prismaNode('UploadFile', {
  id: { field: 'id' },
  nullable: true,
  description: 'An uploaded file a document was made from.',
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.viewer.workspaceId }),
  fields: (t) => ({
    uuid: t.exposeString('id', { description: 'The plain UUID, as the REST API shows it.' }),
    name: t.exposeString('name', { description: 'The file name as uploaded.' }),
    size: t.exposeInt('size', { description: 'Bytes.' }),
    extension: t.exposeString('extension', { description: 'The extension, lower case, without the dot.' }),
    mimeType: t.exposeString('mimeType', { description: 'The media type the uploader sent.' }),
    createdBy: t.exposeString('createdBy', { description: 'The uploading account (UUID).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was uploaded.' }),
  }),
});

builder.prismaNode('ProcessRule', {
  id: { field: 'id' },
  nullable: true,
  description: 'How a document was cleaned and split.',
  findUnique: (id, ctx) => ({ id, dataset: { workspaceId: ctx.viewer.workspaceId } }),
  fields: (t) => ({
    uuid: t.exposeString('id', { description: 'The plain UUID, as the REST API shows it.' }),
    dataset: t.relation('dataset', { description: 'The dataset the rule belongs to.' }),
    mode: t.field({ type: ProcessRuleMode, description: 'How documents are cleaned and split.', resolve: (r) => r.mode as never }),
    rules: t.expose('rules', { type: 'JSON', nullable: true, description: "Dify's rule JSON (snake_case keys)." }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the rule was made.' }),
  }),
});

const scoped = (ctx: { viewer: { workspaceId: string; datasetScope: readonly string[] | null } }) => ({
  workspaceId: ctx.viewer.workspaceId,
  ...(ctx.viewer.datasetScope ? { AND: [{ datasetId: { in: [...ctx.viewer.datasetScope] } }] } : {}),
});

export const DocumentRef = builder.prismaNode('Document', {
  description: 'A document of a dataset: a text or a file, split into segments.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, ...scoped(ctx) }),
  fields: (t) => ({
    uuid: t.exposeString('id'),
    dataset: t.relation('dataset'),
    position: t.exposeInt('position'),
    name: t.exposeString('name'),
    dataSourceType: t.field({ type: DataSourceType, description: 'Where the document came from.', resolve: (d) => d.dataSourceType as never }),
    dataSourceInfo: t.expose('dataSourceInfo', { type: 'JSON', nullable: true, description: "Dify's data source details." }),
    batch: t.exposeString('batch'),
    createdFrom: t.field({ type: DocumentCreatedFrom, description: 'Where it was created.', resolve: (d) => d.createdFrom as never }),
    createdBy: t.exposeString('createdBy'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    indexingStatus: t.field({ type: IndexingStatus, description: 'Where indexing is.', resolve: (d) => d.indexingStatus as never }),
    displayStatus: t.field({
      type: DocumentDisplayStatus,
      nullable: true,
      description: "The state Dify's UI shows.",
      resolve: (d) => displayStatus(d) as never,
    }),
    processingStartedAt: t.expose('processingStartedAt', { type: 'DateTime', nullable: true }),
    parsingCompletedAt: t.expose('parsingCompletedAt', { type: 'DateTime', nullable: true }),
    cleaningCompletedAt: t.expose('cleaningCompletedAt', { type: 'DateTime', nullable: true }),
    splittingCompletedAt: t.expose('splittingCompletedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    indexingLatency: t.exposeFloat('indexingLatency', { nullable: true, description: 'Seconds indexing took.' }),
    error: t.exposeString('error', { nullable: true }),
    stoppedAt: t.expose('stoppedAt', { type: 'DateTime', nullable: true }),
    isPaused: t.exposeBoolean('isPaused', { description: 'Whether indexing is paused.' }),
    pausedAt: t.expose('pausedAt', { type: 'DateTime', nullable: true }),
    enabled: t.exposeBoolean('enabled'),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    disabledBy: t.exposeString('disabledBy', { nullable: true }),
    archived: t.exposeBoolean('archived', { description: 'Archived: hidden from retrieval and read-only.' }),
    archivedReason: t.exposeString('archivedReason', { nullable: true, description: 'Why it was archived.' }),
    archivedAt: t.expose('archivedAt', { type: 'DateTime', nullable: true, description: 'When it was archived.' }),
    archivedBy: t.exposeString('archivedBy', { nullable: true, description: 'The account that archived it (UUID).' }),
    wordCount: t.exposeInt('wordCount', { nullable: true }),
    tokens: t.exposeInt('tokens', { nullable: true }),
    docType: t.exposeString('docType', { nullable: true, description: "Dify's document type, when set." }),
    docMetadata: t.expose('docMetadata', { type: 'JSON', nullable: true, description: 'Metadata values by field name (see `metadata`).' }),
    docForm: t.field({ type: DocForm, description: 'How the document is chunked.', resolve: (d) => d.docForm as never }),
    docLanguage: t.exposeString('docLanguage', { nullable: true }),
    segmentCount: t.int({
      description: 'Segments of the document.',
      resolve: async (d, _a, ctx) => (await ctx.loaders.documentStats.load(d.id)).segmentCount,
    }),
    hitCount: t.int({
      description: 'Sum of the hit counts of its segments.',
      resolve: async (d, _a, ctx) => (await ctx.loaders.documentStats.load(d.id)).hitCount,
    }),
    averageSegmentLength: t.int({
      description: 'Characters per segment on average.',
      resolve: async (d, _a, ctx) => {
        const { segmentCount } = await ctx.loaders.documentStats.load(d.id);
        return segmentCount === 0 ? 0 : Math.floor((d.wordCount ?? 0) / segmentCount);
      },
    }),
    needSummary: t.exposeBoolean('needSummary', { description: 'Whether a summary is wanted (stored for Dify clients).' }),
    uploadFile: t.relation('uploadFile', { nullable: true, description: 'The uploaded file, for documents made from one.' }),
    processRule: t.relation('processRule', { nullable: true, description: "The document's own process rule." }),
  }),
});

export const SegmentRef = builder.prismaNode('Segment', {
  description: 'A chunk of a document, the unit retrieval returns.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, ...scoped(ctx) }),
  fields: (t) => ({
    uuid: t.exposeString('id'),
    documentId: t.globalID({ description: 'The global ID of its document.', resolve: (s) => ({ type: 'Document', id: s.documentId }) }),
    document: t.relation('document'),
    updatedBy: t.exposeString('updatedBy', { nullable: true }),
    position: t.exposeInt('position'),
    content: t.exposeString('content'),
    answer: t.exposeString('answer', { nullable: true }),
    wordCount: t.exposeInt('wordCount'),
    tokens: t.exposeInt('tokens'),
    keywords: t.stringList({
      resolve: (s) => (Array.isArray(s.keywords) ? s.keywords.filter((k): k is string => typeof k === 'string') : []),
    }),
    indexNodeId: t.exposeString('indexNodeId', { nullable: true, description: 'Its entry in the vector index.' }),
    indexNodeHash: t.exposeString('indexNodeHash', { nullable: true, description: 'Hash of the indexed content.' }),
    hitCount: t.exposeInt('hitCount'),
    enabled: t.exposeBoolean('enabled'),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    disabledBy: t.exposeString('disabledBy', { nullable: true }),
    status: t.field({ type: SegmentStatus, description: 'Where the segment is in indexing.', resolve: (s) => s.status as never }),
    createdBy: t.exposeString('createdBy'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    indexingAt: t.expose('indexingAt', { type: 'DateTime', nullable: true, description: 'When indexing of the segment started.' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    stoppedAt: t.expose('stoppedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const ChildChunkRef = builder.prismaNode('ChildChunk', {
  description: 'A smaller chunk of a parent segment (parent-child documents), matched by retrieval.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, ...scoped(ctx) }),
  fields: (t) => ({
    uuid: t.exposeString('id'),
    segmentId: t.globalID({ description: 'The global ID of its parent segment.', resolve: (c) => ({ type: 'Segment', id: c.segmentId }) }),
    segment: t.relation('segment'),
    position: t.exposeInt('position'),
    content: t.exposeString('content'),
    wordCount: t.exposeInt('wordCount'),
    type: t.field({ type: ChildChunkType, resolve: (chunk) => chunk.type as never }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/** A payload's documents, re-read with what the selection needs, in the order the write named them. */
export const writtenDocuments = (t: PayloadFieldBuilder<{ documentIds: readonly string[] }>) =>
  t.prismaField({
    type: ['Document'],
    nullable: true,
    description: 'The documents as the write left them, in the order given.',
    resolve: async (query, payload, _a, ctx) => {
      const documents = await ctx.prisma.document.findMany({ ...query, where: { id: { in: [...payload.documentIds] } } });
      return payload.documentIds.flatMap((id) => documents.filter((d) => d.id === id));
    },
  });
