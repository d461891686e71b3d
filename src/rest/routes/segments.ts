import type { Context as HonoContext } from 'hono';
import {
  RestCreateChildChunkDocument,
  RestCreateSegmentsDocument,
  RestDeleteChildChunkDocument,
  RestDeleteSegmentDocument,
  RestGetSegmentDocument,
  RestListChildChunksDocument,
  RestListSegmentsDocument,
  RestUpdateChildChunkDocument,
  RestUpdateSegmentDocument,
} from '../../generated/graphql.ts';
import { invalidParam, notFound } from '../errors.ts';
import { runOperation } from '../execute.ts';
import { requiredString } from '../fields.ts';
import { pageParams, readJsonObject } from '../request.ts';
import { offsetCursor, pathParam, payloadOf, type RestEnv, type RestRouter, UUID_PARAM, written } from '../router.ts';
import { pick } from '../shapes/convert.ts';
import { toDifyChildChunk, toDifySegment } from '../shapes/segment.ts';

type C = HonoContext<RestEnv>;

const DOCUMENT = `/datasets/:dataset_id${UUID_PARAM}/documents/:document_id${UUID_PARAM}`;
const SEGMENT = `${DOCUMENT}/segments/:segment_id${UUID_PARAM}`;
const CHILD = `${SEGMENT}/child_chunks/:child_chunk_id${UUID_PARAM}`;

const ids = (c: C) => ({ datasetId: pathParam(c, 'dataset_id'), documentId: pathParam(c, 'document_id') });
const segmentIds = (c: C) => ({ ...ids(c), segmentId: pathParam(c, 'segment_id') });

/** Dify validates this body with pydantic and answers schema failures as a bare `{"error": …}`. */
const schemaError = (message: string) =>
  new Response(JSON.stringify({ error: message }), { status: 400, headers: { 'Content-Type': 'application/json' } });

function newSegments(body: Record<string, unknown>): Array<Record<string, unknown>> | Response {
  const segments = body.segments;
  if (!Array.isArray(segments) || segments.length === 0) return schemaError('Segments is required');
  for (const [i, item] of segments.entries()) {
    if (item === null || typeof item !== 'object') return schemaError(`segments.${i}: Input should be a valid dictionary`);
    const content = (item as Record<string, unknown>).content;
    if (content === undefined || content === null) return schemaError(`segments.${i}.content: Field required`);
    if (typeof content !== 'string') return schemaError(`segments.${i}.content: Input should be a valid string`);
    if (content.trim() === '') return schemaError(`segments.${i}.content: Value error, Content cannot be empty or whitespace only`);
    const keywords = (item as Record<string, unknown>).keywords;
    if (keywords != null && (!Array.isArray(keywords) || !keywords.every((k) => typeof k === 'string'))) {
      return schemaError(`segments.${i}.keywords: Input should be a valid list of strings`);
    }
  }
  return segments.map((item) => pick(item, { content: ['content'], answer: ['answer'], keywords: ['keywords'] }) as Record<string, unknown>);
}

async function createSegmentsRoute(c: C) {
  const segments = newSegments(await readJsonObject(c));
  if (segments instanceof Response) return segments;
  const { createSegments: result } = await runOperation(c.var.gql, RestCreateSegmentsDocument, { ...ids(c), segments } as never);
  const created = payloadOf(result, 'CreateSegmentsPayload');
  return c.json({ data: written(created.segments).map(toDifySegment), doc_form: written(created.document).docForm });
}

function contentOf(body: Record<string, unknown>) {
  return requiredString(body, 'content');
}

export function segmentRoutes(router: RestRouter) {
  const collection = {
    GET: async (c: C) => {
      const { page, limit, offset } = pageParams(c);
      const status = c.req.queries('status')?.filter(Boolean);
      const data = await runOperation(c.var.gql, RestListSegmentsDocument, {
        ...ids(c),
        first: limit,
        after: offsetCursor(offset),
        keyword: c.req.query('keyword') || null,
        status: status?.length ? status : null,
      });
      if (!data.document) throw notFound('Document not found.');
      const total = data.document.segments.totalCount;
      return c.json({
        data: data.document.segments.edges.map((e) => toDifySegment(e.node)),
        doc_form: data.document.docForm,
        total,
        has_more: page * limit < total,
        limit,
        page,
      });
    },
    POST: createSegmentsRoute,
  };
  router.route(`${DOCUMENT}/segments`, collection);
  // Seed 000 documents segment creation under the singular path.
  router.route(`${DOCUMENT}/segment`, { POST: createSegmentsRoute });

  router.route(SEGMENT, {
    GET: async (c) => {
      const data = await runOperation(c.var.gql, RestGetSegmentDocument, segmentIds(c));
      if (!data.document) throw notFound('Document not found.');
      if (!data.document.segment) throw notFound('Segment not found.');
      return c.json({ data: toDifySegment(data.document.segment), doc_form: data.document.docForm });
    },
    POST: async (c) => {
      const body = await readJsonObject(c);
      const segment = body.segment;
      if (segment === null || typeof segment !== 'object' || Array.isArray(segment)) throw invalidParam('segment: Field required');
      const input = pick(segment, {
        content: ['content'],
        answer: ['answer'],
        keywords: ['keywords'],
        enabled: ['enabled'],
        regenerate_child_chunks: ['regenerateChildChunks'],
      });
      const { updateSegment: result } = await runOperation(c.var.gql, RestUpdateSegmentDocument, {
        input: { ...(input as object), ...segmentIds(c) },
      } as never);
      const updated = written(payloadOf(result, 'UpdateSegmentPayload').segment);
      return c.json({ data: toDifySegment(updated), doc_form: updated.document.docForm });
    },
    DELETE: async (c) => {
      const { deleteSegment: result } = await runOperation(c.var.gql, RestDeleteSegmentDocument, segmentIds(c));
      payloadOf(result, 'DeleteSegmentPayload');
      return c.json({ result: 'success' });
    },
  });

  router.route(`${SEGMENT}/child_chunks`, {
    GET: async (c) => {
      const { page, limit, offset } = pageParams(c);
      const data = await runOperation(c.var.gql, RestListChildChunksDocument, {
        ...segmentIds(c),
        first: limit,
        after: offsetCursor(offset),
        keyword: c.req.query('keyword') || null,
      });
      if (!data.document) throw notFound('Document not found.');
      if (!data.document.segment) throw notFound('Segment not found.');
      const total = data.document.segment.childChunks.totalCount;
      return c.json({
        data: data.document.segment.childChunks.edges.map((e) => toDifyChildChunk(e.node)),
        total,
        total_pages: Math.ceil(total / limit),
        page,
        limit,
      });
    },
    POST: async (c) => {
      const content = contentOf(await readJsonObject(c));
      const { createChildChunk: result } = await runOperation(c.var.gql, RestCreateChildChunkDocument, { ...segmentIds(c), content });
      return c.json({ data: toDifyChildChunk(written(payloadOf(result, 'CreateChildChunkPayload').childChunk)) });
    },
  });

  router.route(CHILD, {
    PATCH: async (c) => {
      const content = contentOf(await readJsonObject(c));
      const { updateChildChunk: result } = await runOperation(c.var.gql, RestUpdateChildChunkDocument, {
        ...segmentIds(c),
        childChunkId: pathParam(c, 'child_chunk_id'),
        content,
      });
      return c.json({ data: toDifyChildChunk(written(payloadOf(result, 'UpdateChildChunkPayload').childChunk)) });
    },
    DELETE: async (c) => {
      const { deleteChildChunk: result } = await runOperation(c.var.gql, RestDeleteChildChunkDocument, {
        ...segmentIds(c),
        childChunkId: pathParam(c, 'child_chunk_id'),
      });
      payloadOf(result, 'DeleteChildChunkPayload');
      return c.body(null, 204);
    },
  });
}

