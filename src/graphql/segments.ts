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
import type { ChildChunk } from '../db/generated/prisma/client.ts';
import { builder } from './builder.ts';
import { SegmentStatus } from './enums.ts';
import { ChildChunkRef, DocumentRef, SegmentRef } from './documents.ts';
import { WRITE_ERRORS } from './errors.ts';
import { idArg } from './ids.ts';
import { keysetConnection, type Ordering, totalCountField } from './keyset-connection.ts';
import { pageArgs } from './page-args.ts';
import { type Deleted, deletedIdField, type InputFieldBuilder, type PayloadFieldBuilder } from './payloads.ts';

const POSITION_ORDERING: Ordering = {
  name: 'position-asc',
  columns: [
    { field: 'position', direction: 'asc', kind: 'int' },
    { field: 'id', direction: 'asc', kind: 'string' },
  ],
};

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

const SEGMENT_ERRORS = [...WRITE_ERRORS, ProviderNotInitializedError] as const;

const documentFields = (t: InputFieldBuilder) => ({ datasetId: t.id({ required: true }), documentId: t.id({ required: true }) });
const segmentFields = (t: InputFieldBuilder) => ({ ...documentFields(t), segmentId: t.id({ required: true }) });
const childChunkFields = (t: InputFieldBuilder) => ({ ...segmentFields(t), childChunkId: t.id({ required: true }) });

const ids = (input: { datasetId: string | number; documentId: string | number; segmentId?: string | number }) => ({
  datasetId: idArg(input.datasetId, 'Dataset'),
  documentId: idArg(input.documentId, 'Document'),
  segmentId: idArg(input.segmentId ?? '', 'Segment'),
});

const parentDocument = (t: PayloadFieldBuilder<{ parentId: string }>, description: string) =>
  t.field({
    type: DocumentRef,
    nullable: true,
    description,
    resolve: (p, _a, ctx) => ctx.prisma.document.findUnique({ where: { id: p.parentId } }),
  });
const parentSegment = (t: PayloadFieldBuilder<{ parentId: string }>, description: string) =>
  t.field({
    type: SegmentRef,
    nullable: true,
    description,
    resolve: (p, _a, ctx) => ctx.prisma.segment.findUnique({ where: { id: p.parentId } }),
  });

const writtenChildChunk = (t: PayloadFieldBuilder<{ childChunk: ChildChunk }>) =>
  t.field({ type: ChildChunkRef, nullable: true, description: 'The child chunk as the write left it.', resolve: (p) => p.childChunk });

builder.relayMutationField(
  'createSegments',
  {
    description: 'Segments to add to a document.',
    inputFields: (t) => ({
      ...documentFields(t),
      segments: t.field({ type: [NewSegmentInput], required: true, description: 'The segments to add, in order.' }),
    }),
  },
  {
    description: 'Adds segments to a completed document and indexes them before answering.',
    errors: { types: [...SEGMENT_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const { datasetId, documentId } = ids(input);
      return { parentId: documentId, segments: await createSegments(ctx, ctx.viewer, datasetId, documentId, input.segments) };
    },
  },
  {
    outputFields: (t) => ({
      segments: t.field({ type: [SegmentRef], nullable: true, description: 'The new segments, in order.', resolve: (p) => p.segments }),
      document: parentDocument(t, 'The document after the write (its segment and word counts changed).'),
    }),
  },
);

builder.relayMutationField(
  'updateSegment',
  {
    description: 'What to change in a segment; fields not given stay.',
    inputFields: (t) => ({
      ...segmentFields(t),
      content: t.string(),
      answer: t.string(),
      keywords: t.stringList(),
      enabled: t.boolean({ description: 'false disables the segment (nothing else changes); true re-enables it.' }),
      regenerateChildChunks: t.boolean({ description: 'Parent-child documents: rebuild the child chunks from the content.' }),
    }),
  },
  {
    description: 'Edits a segment; edited content is re-embedded and re-indexed before answering.',
    errors: { types: [...SEGMENT_ERRORS] },
    resolve: async (_root, { input: { datasetId, documentId, segmentId, ...changes } }, ctx) => {
      const parsed = ids({ datasetId, documentId, segmentId });
      return { segment: await updateSegment(ctx, ctx.viewer, parsed.datasetId, parsed.documentId, parsed.segmentId, changes) };
    },
  },
  {
    outputFields: (t) => ({
      segment: t.field({ type: SegmentRef, nullable: true, description: 'The segment as the write left it.', resolve: (p) => p.segment }),
    }),
  },
);

builder.relayMutationField(
  'deleteSegment',
  { description: 'The segment to delete.', inputFields: segmentFields },
  {
    description: 'Deletes a segment with its child chunks and index entries.',
    errors: { types: [...SEGMENT_ERRORS] },
    resolve: async (_root, { input }, ctx): Promise<Deleted> => {
      const { datasetId, documentId, segmentId } = ids(input);
      const segment = await deleteSegment(ctx, ctx.viewer, datasetId, documentId, segmentId);
      return { id: segment.id, parentId: segment.documentId };
    },
  },
  {
    outputFields: (t) => ({
      ...deletedIdField(t, 'Segment'),
      document: parentDocument(t, 'The document after the deletion (its segment count and word count changed).'),
    }),
  },
);

builder.relayMutationField(
  'createChildChunk',
  {
    description: 'A child chunk to add to a parent segment.',
    inputFields: (t) => ({ ...segmentFields(t), content: t.string({ required: true, description: 'The text.' }) }),
  },
  {
    description: 'Adds a child chunk to a parent segment and indexes it.',
    errors: { types: [...SEGMENT_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const { datasetId, documentId, segmentId } = ids(input);
      const childChunk = await createChildChunk(ctx, ctx.viewer, datasetId, documentId, segmentId, input.content);
      return { childChunk, parentId: childChunk.segmentId };
    },
  },
  {
    outputFields: (t) => ({
      childChunk: writtenChildChunk(t),
      segment: parentSegment(t, 'The parent segment after the write.'),
    }),
  },
);

builder.relayMutationField(
  'updateChildChunk',
  {
    description: 'A child chunk and its new content.',
    inputFields: (t) => ({ ...childChunkFields(t), content: t.string({ required: true, description: 'The text.' }) }),
  },
  {
    description: 'Replaces the content of a child chunk and re-indexes it.',
    errors: { types: [...SEGMENT_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const { datasetId, documentId, segmentId } = ids(input);
      return {
        childChunk: await updateChildChunk(ctx, ctx.viewer, datasetId, documentId, segmentId, idArg(input.childChunkId, 'ChildChunk'), input.content),
      };
    },
  },
  { outputFields: (t) => ({ childChunk: writtenChildChunk(t) }) },
);

builder.relayMutationField(
  'deleteChildChunk',
  { description: 'The child chunk to delete.', inputFields: childChunkFields },
  {
    description: 'Deletes a child chunk and its index entries.',
    errors: { types: [...SEGMENT_ERRORS] },
    resolve: async (_root, { input }, ctx): Promise<Deleted> => {
      const { datasetId, documentId, segmentId } = ids(input);
      const child = await deleteChildChunk(ctx, ctx.viewer, datasetId, documentId, segmentId, idArg(input.childChunkId, 'ChildChunk'));
      return { id: child.id, parentId: child.segmentId };
    },
  },
  {
    outputFields: (t) => ({
      ...deletedIdField(t, 'ChildChunk'),
      segment: parentSegment(t, 'The parent segment after the deletion.'),
    }),
  },
);
