import { ProviderNotInitializedError } from '../domain/errors.ts';
import {
  createChildChunk,
  createSegments,
  deleteChildChunk,
  deleteSegment,
  updateChildChunk,
  updateSegment,
} from '../domain/segments/service.ts';
import { escapeLike } from '../domain/sql.ts';
import { builder } from './builder.ts';
import { SegmentStatus } from './enums.ts';
import { ChildChunkRef, DocumentRef, SegmentRef } from './documents.ts';
import { WRITE_ERRORS } from './errors.ts';
import { idArg } from './ids.ts';
import { keysetConnection, type Ordering, totalCountField } from './keyset-connection.ts';
import { pageArgs } from './page-args.ts';

const POSITION_ORDERING: Ordering = {
  name: 'position-asc',
  columns: [
    { field: 'position', direction: 'asc', kind: 'int' },
    { field: 'id', direction: 'asc', kind: 'string' },
  ],
};
import { deletedPayload } from './payloads.ts';

const DeletedSegmentRef = deletedPayload('Segment');
builder.objectFields(DeletedSegmentRef, (t) => ({
  document: t.field({
    type: DocumentRef,
    nullable: true,
    description: 'The document after the deletion (its segment count and word count changed).',
    resolve: (deleted, _a, ctx) => ctx.prisma.document.findUnique({ where: { id: deleted.parentId } }),
  }),
}));

const DeletedChildChunkRef = deletedPayload('ChildChunk');
builder.objectFields(DeletedChildChunkRef, (t) => ({
  segment: t.field({
    type: SegmentRef,
    nullable: true,
    description: 'The parent segment after the deletion.',
    resolve: (deleted, _a, ctx) => ctx.prisma.segment.findUnique({ where: { id: deleted.parentId } }),
  }),
}));


builder.prismaObjectFields(DocumentRef, (t) => ({
  segments: t.connection(
    {
      type: SegmentRef,
      description: 'Segments in position order.',
      args: {
        keyword: t.arg.string({ description: 'Case-insensitive part of the content.' }),
        status: t.arg({ type: [SegmentStatus], description: 'Only segments in one of these statuses.' }),
        ...pageArgs(t),
      },
      resolve: async (document, args, ctx, info) => {
        const where = {
          documentId: document.id,
          ...(args.keyword ? { content: { contains: escapeLike(args.keyword), mode: 'insensitive' as const } } : {}),
          ...(args.status?.length ? { status: { in: args.status } } : {}),
        };
        return keysetConnection(ctx, info, 'Segment', args, where, {
          connection: `Document.segments:${document.id}`,
          ordering: POSITION_ORDERING,
          count: () => ctx.prisma.segment.count({ where }),
          page: (query) => ctx.prisma.segment.findMany(query),
        });
      },
    },
    {
      name: 'SegmentConnection',
      description: 'A page of segments.',
      fields: (c) => ({ totalCount: c.int({ description: 'Segments matching the filters.', ...totalCountField }) }),
    },
  ),
  segment: t.prismaField({
    type: 'Segment',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, document, args, ctx) =>
      ctx.prisma.segment.findFirst({ ...query, where: { id: idArg(args.id, 'Segment'), documentId: document.id } }),
  }),
}));

builder.prismaObjectFields(SegmentRef, (t) => ({
  childChunks: t.connection(
    {
      type: ChildChunkRef,
      description: 'Child chunks (parent-child documents) in position order.',
      args: { keyword: t.arg.string({ description: 'Part of the content.' }), ...pageArgs(t) },
      resolve: async (segment, args, ctx, info) => {
        const where = {
          segmentId: segment.id,
          ...(args.keyword ? { content: { contains: escapeLike(args.keyword) } } : {}),
        };
        return keysetConnection(ctx, info, 'ChildChunk', args, where, {
          connection: `Segment.childChunks:${segment.id}`,
          ordering: POSITION_ORDERING,
          count: () => ctx.prisma.childChunk.count({ where }),
          page: (query) => ctx.prisma.childChunk.findMany(query),
        });
      },
    },
    {
      name: 'ChildChunkConnection',
      description: 'A page of child chunks.',
      fields: (c) => ({ totalCount: c.int({ description: 'Child chunks matching the filter.', ...totalCountField }) }),
    },
  ),
  childChunk: t.prismaField({
    description: 'A child chunk of this segment by global ID or UUID.',
    type: 'ChildChunk',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, segment, args, ctx) =>
      ctx.prisma.childChunk.findFirst({ ...query, where: { id: idArg(args.id, 'ChildChunk'), segmentId: segment.id } }),
  }),
}));

const NewSegmentInput = builder.inputType('NewSegmentInput', {
  description: 'A segment to add.',
  fields: (t) => ({
    content: t.string({ required: true }),
    answer: t.string({ description: 'The answer (qa_model documents only; required there).' }),
    keywords: t.stringList(),
  }),
});

const UpdateSegmentInput = builder.inputType('UpdateSegmentInput', {
  description: 'What to change in a segment; fields not given stay.',
  fields: (t) => ({
    content: t.string(),
    answer: t.string(),
    keywords: t.stringList(),
    enabled: t.boolean({ description: 'false disables the segment (nothing else changes); true re-enables it.' }),
    regenerateChildChunks: t.boolean({ description: 'Parent-child documents: rebuild the child chunks from the content.' }),
  }),
});

const SEGMENT_ERRORS = [...WRITE_ERRORS, ProviderNotInitializedError] as const;

const ids = (args: { datasetId: string | number; documentId: string | number; segmentId?: string | number }) => ({
  datasetId: idArg(args.datasetId, 'Dataset'),
  documentId: idArg(args.documentId, 'Document'),
  segmentId: idArg(args.segmentId ?? '', 'Segment'),
});

builder.mutationFields((t) => ({
  createSegments: t.field({
    type: [SegmentRef],
    description: 'Adds segments to a completed document and indexes them before answering.',
    errors: { types: [...SEGMENT_ERRORS] },
    args: {
      datasetId: t.arg.id({ required: true }),
      documentId: t.arg.id({ required: true }),
      segments: t.arg({ type: [NewSegmentInput], required: true, description: 'The segments to add, in order.' }),
    },
    resolve: (_root, args, ctx) => {
      const { datasetId, documentId } = ids(args);
      return createSegments(ctx, ctx.viewer, datasetId, documentId, args.segments);
    },
  }),
  updateSegment: t.field({
    type: SegmentRef,
    description: 'Edits a segment; edited content is re-embedded and re-indexed before answering.',
    errors: { types: [...SEGMENT_ERRORS] },
    args: {
      datasetId: t.arg.id({ required: true }),
      documentId: t.arg.id({ required: true }),
      segmentId: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateSegmentInput, required: true }),
    },
    resolve: (_root, args, ctx) => {
      const { datasetId, documentId, segmentId } = ids(args);
      return updateSegment(ctx, ctx.viewer, datasetId, documentId, segmentId, args.input);
    },
  }),
  deleteSegment: t.field({
    type: DeletedSegmentRef,
    description: 'Deletes a segment with its child chunks and index entries.',
    errors: { types: [...SEGMENT_ERRORS] },
    args: { datasetId: t.arg.id({ required: true }), documentId: t.arg.id({ required: true }), segmentId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const { datasetId, documentId, segmentId } = ids(args);
      const segment = await deleteSegment(ctx, ctx.viewer, datasetId, documentId, segmentId);
      return { id: segment.id, parentId: segment.documentId };
    },
  }),
  createChildChunk: t.field({
    description: 'Adds a child chunk to a parent segment and indexes it.',
    type: ChildChunkRef,
    errors: { types: [...SEGMENT_ERRORS] },
    args: {
      datasetId: t.arg.id({ required: true }),
      documentId: t.arg.id({ required: true }),
      segmentId: t.arg.id({ required: true }),
      content: t.arg.string({ required: true, description: 'The text.' }),
    },
    resolve: (_root, args, ctx) => {
      const { datasetId, documentId, segmentId } = ids(args);
      return createChildChunk(ctx, ctx.viewer, datasetId, documentId, segmentId, args.content);
    },
  }),
  updateChildChunk: t.field({
    description: 'Replaces the content of a child chunk and re-indexes it.',
    type: ChildChunkRef,
    errors: { types: [...SEGMENT_ERRORS] },
    args: {
      datasetId: t.arg.id({ required: true }),
      documentId: t.arg.id({ required: true }),
      segmentId: t.arg.id({ required: true }),
      childChunkId: t.arg.id({ required: true }),
      content: t.arg.string({ required: true, description: 'The text.' }),
    },
    resolve: (_root, args, ctx) => {
      const { datasetId, documentId, segmentId } = ids(args);
      return updateChildChunk(ctx, ctx.viewer, datasetId, documentId, segmentId, idArg(args.childChunkId, 'ChildChunk'), args.content);
    },
  }),
  deleteChildChunk: t.field({
    type: DeletedChildChunkRef,
    description: 'Deletes a child chunk and its index entries.',
    errors: { types: [...SEGMENT_ERRORS] },
    args: {
      datasetId: t.arg.id({ required: true }),
      documentId: t.arg.id({ required: true }),
      segmentId: t.arg.id({ required: true }),
      childChunkId: t.arg.id({ required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const { datasetId, documentId, segmentId } = ids(args);
      const child = await deleteChildChunk(ctx, ctx.viewer, datasetId, documentId, segmentId, idArg(args.childChunkId, 'ChildChunk'));
      return { id: child.id, parentId: child.segmentId };
    },
  }),
}));
