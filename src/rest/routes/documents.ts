import { randomBytes } from 'node:crypto';
import { zipSync } from 'fflate';
import type { Context as HonoContext } from 'hono';
import {
  RestCreateDocumentByFileDocument,
  RestCreateDocumentByTextDocument,
  RestDeleteDocumentDocument,
  RestDownloadableFilesDocument,
  RestGetDocumentDocument,
  RestIndexingStatusDocument,
  RestListDocumentsDocument,
  RestRetryDocumentsDocument,
  RestUpdateDocumentDocument,
  RestUpdateDocumentsStatusDocument,
} from '../../generated/graphql.ts';
import { invalidParam, notFound, RestError } from '../errors.ts';
import { runOperation } from '../execute.ts';
import { dataField, readMultipart, singleFile } from '../multipart.ts';
import { requiredString } from '../fields.ts';
import { pageParams, readJsonObject } from '../request.ts';
import { offsetCursor, pathParam, payloadOf, type RestEnv, type RestRouter, UUID_PARAM, writeErrorToRest, written } from '../router.ts';
import { unixSeconds } from '../shapes/convert.ts';
import {
  createByFileInput,
  createByTextInput,
  METADATA_VIEWS,
  toDifyDocument,
  toDifyDocumentDetail,
  updateByFileInput,
  updateByTextInput,
} from '../shapes/document.ts';

type C = HonoContext<RestEnv>;

const DATASET = `/datasets/:dataset_id${UUID_PARAM}`;
const DOCUMENT = `${DATASET}/documents/:document_id${UUID_PARAM}`;

/** Both spellings Dify registers for a route: `create-by-text` and `create_by_text`. */
const spellings = (base: string, action: string) => [...new Set([action, action.replace(/-/g, '_')])].map((a) => `${base}/${a}`);

type DocumentWrite = { batch: string; document: Parameters<typeof toDifyDocument>[0] | null };

function answerWrite(c: C, result: { __typename: string }) {
  if (!result.__typename.endsWith('Payload')) throw writeErrorToRest(result as { __typename: string; message: string });
  const { document, batch } = result as unknown as DocumentWrite;
  return c.json({ document: toDifyDocument(written(document)), batch });
}

const ids = (body: Record<string, unknown>) => {
  const list = body.document_ids;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list) || !list.every((id) => typeof id === 'string')) {
    throw invalidParam('document_ids must be a list of document ids');
  }
  return list as string[];
};

async function createByText(c: C) {
  const body = await readJsonObject(c);
  requiredString(body, 'name');
  requiredString(body, 'text');
  const input = createByTextInput(body);
  const { createDocumentByText: result } = await runOperation(c.var.gql, RestCreateDocumentByTextDocument, {
    input: { ...input, datasetId: pathParam(c, 'dataset_id') },
  } as never);
  return answerWrite(c, result);
}

async function createByFile(c: C) {
  const body = await readMultipart(c, c.var.gql.uploadFileSizeLimitBytes);
  const file = singleFile(body, true);
  const input = createByFileInput(dataField(body));
  const { createDocumentByFile: result } = await runOperation(c.var.gql, RestCreateDocumentByFileDocument, {
    input: { ...input, datasetId: pathParam(c, 'dataset_id'), file },
  } as never);
  return answerWrite(c, result);
}

async function updateByText(c: C) {
  const input = updateByTextInput(await readJsonObject(c));
  const { updateDocument: result } = await runOperation(c.var.gql, RestUpdateDocumentDocument, {
    input: { ...input, datasetId: pathParam(c, 'dataset_id'), documentId: pathParam(c, 'document_id') },
  } as never);
  return answerWrite(c, result);
}

async function updateByFile(c: C) {
  const body = await readMultipart(c, c.var.gql.uploadFileSizeLimitBytes);
  const file = singleFile(body, false);
  const input = updateByFileInput(dataField(body));
  const { updateDocument: result } = await runOperation(c.var.gql, RestUpdateDocumentDocument, {
    input: { ...input, datasetId: pathParam(c, 'dataset_id'), documentId: pathParam(c, 'document_id'), file },
  } as never);
  return answerWrite(c, result);
}

async function getDocument(c: C) {
  const view = c.req.query('metadata') ?? 'all';
  if (!(METADATA_VIEWS as readonly string[]).includes(view)) {
    throw new RestError(400, 'invalid_metadata', `Invalid metadata value: ${view}`);
  }
  const data = await runOperation(c.var.gql, RestGetDocumentDocument, {
    datasetId: pathParam(c, 'dataset_id'),
    id: pathParam(c, 'document_id'),
  });
  if (!data.document) throw notFound('Document not found.');
  return c.json(toDifyDocumentDetail(data.document, data.document.dataset.latestProcessRule, view as 'all'));
}

/** The document's upload file, for the file routes. */
async function uploadFileOf(c: C) {
  const data = await runOperation(c.var.gql, RestGetDocumentDocument, {
    datasetId: pathParam(c, 'dataset_id'),
    id: pathParam(c, 'document_id'),
  });
  const document = data.document;
  if (!document) throw notFound('Document not found.');
  if (document.dataSourceType !== 'upload_file') {
    throw invalidParam(`Document data source type (${document.dataSourceType}) is not upload_file.`);
  }
  if (!document.uploadFile) throw notFound('UploadFile not found.');
  return document.uploadFile;
}

const origin = (c: C) => new URL(c.req.url).origin;

export function documentRoutes(router: RestRouter) {
  for (const path of spellings(`${DATASET}/document`, 'create-by-text')) router.route(path, { POST: createByText });
  for (const path of spellings(`${DATASET}/document`, 'create-by-file')) router.route(path, { POST: createByFile });
  for (const path of spellings(DOCUMENT, 'update-by-text')) router.route(path, { POST: updateByText });
  for (const path of spellings(DOCUMENT, 'update-by-file')) router.route(path, { POST: updateByFile });
  // Seed 001 documents update-by-file under this path.
  router.route(`${DATASET}/document/:document_id${UUID_PARAM}/create_by_file`, { POST: updateByFile });

  router.route(`${DATASET}/documents`, {
    GET: async (c) => {
      const { page, limit, offset } = pageParams(c);
      const data = await runOperation(c.var.gql, RestListDocumentsDocument, {
        datasetId: pathParam(c, 'dataset_id'),
        first: limit,
        after: offsetCursor(offset),
        keyword: c.req.query('keyword') || null,
        status: c.req.query('status') || null,
      });
      if (!data.dataset) throw notFound('Dataset not found.');
      const total = data.dataset.documents.totalCount;
      return c.json({
        data: data.dataset.documents.edges.map((edge) => toDifyDocument(edge.node)),
        has_more: page * limit < total,
        limit,
        total,
        page,
      });
    },
  });

  router.route(DOCUMENT, {
    GET: getDocument,
    PATCH: updateByFile,
    DELETE: async (c) => {
      const { deleteDocument: result } = await runOperation(c.var.gql, RestDeleteDocumentDocument, {
        datasetId: pathParam(c, 'dataset_id'),
        documentId: pathParam(c, 'document_id'),
      });
      payloadOf(result, 'DeleteDocumentPayload');
      return c.json({ result: 'success' });
    },
  });

  router.route(`${DATASET}/documents/status/:action`, {
    PATCH: async (c) => {
      const body = await readJsonObject(c);
      const { updateDocumentsStatus: result } = await runOperation(c.var.gql, RestUpdateDocumentsStatusDocument, {
        datasetId: pathParam(c, 'dataset_id'),
        action: pathParam(c, 'action'),
        documentIds: ids(body),
      });
      payloadOf(result, 'UpdateDocumentsStatusPayload');
      return c.json({ result: 'success' });
    },
  });

  router.route(`${DATASET}/documents/download-zip`, {
    POST: async (c) => {
      const data = await runOperation(c.var.gql, RestDownloadableFilesDocument, {
        datasetId: pathParam(c, 'dataset_id'),
        documentIds: ids(await readJsonObject(c)),
      });
      if (!data.dataset) throw notFound('Dataset not found.');
      const listed = data.dataset.downloadableFiles;
      const rows = await c.var.gql.prisma.uploadFile.findMany({ where: { id: { in: listed.map((f) => f.fileId) } }, select: { id: true, data: true } });
      const bytes = new Map(rows.map((r) => [r.id, r.data]));
      const archive = zipSync(Object.fromEntries(listed.map((f) => [f.name, new Uint8Array(bytes.get(f.fileId) ?? new Uint8Array())])));
      return new Response(Buffer.from(archive), {
        headers: {
          'Content-Type': 'application/zip',
          'Content-Disposition': `attachment; filename="${randomBytes(16).toString('hex')}.zip"`,
        },
      });
    },
  });

  router.route(`${DATASET}/documents/retry`, {
    POST: async (c) => {
      const { retryDocuments: result } = await runOperation(c.var.gql, RestRetryDocumentsDocument, {
        datasetId: pathParam(c, 'dataset_id'),
        documentIds: ids(await readJsonObject(c)),
      });
      payloadOf(result, 'RetryDocumentsPayload');
      return c.body(null, 204);
    },
  });

  router.route(`${DATASET}/documents/:batch/indexing-status`, {
    GET: async (c) => {
      const data = await runOperation(c.var.gql, RestIndexingStatusDocument, {
        datasetId: pathParam(c, 'dataset_id'),
        batch: pathParam(c, 'batch'),
      });
      if (!data.dataset) throw notFound('Dataset not found.');
      if (data.dataset.indexingStatus.length === 0) throw notFound('Documents not found.');
      return c.json({
        data: data.dataset.indexingStatus.map((p) => ({
          id: p.documentId,
          indexing_status: p.indexingStatus,
          processing_started_at: unixSeconds(p.processingStartedAt),
          parsing_completed_at: unixSeconds(p.parsingCompletedAt),
          cleaning_completed_at: unixSeconds(p.cleaningCompletedAt),
          splitting_completed_at: unixSeconds(p.splittingCompletedAt),
          completed_at: unixSeconds(p.completedAt),
          paused_at: unixSeconds(p.pausedAt),
          error: p.error,
          stopped_at: unixSeconds(p.stoppedAt),
          completed_segments: p.completedSegments,
          total_segments: p.totalSegments,
        })),
      });
    },
  });

  router.route(`${DOCUMENT}/upload-file`, {
    GET: async (c) => {
      const file = await uploadFileOf(c);
      const url = c.var.gql.fileLinks.previewUrl(origin(c), file.id);
      return c.json({
        id: file.id,
        name: file.name,
        size: file.size,
        extension: file.extension,
        url,
        download_url: `${url}&as_attachment=true`,
        mime_type: file.mimeType,
        created_by: file.createdBy,
        created_at: new Date(file.createdAt).getTime() / 1000,
      });
    },
  });

  router.route(`${DOCUMENT}/download`, {
    GET: async (c) => {
      const file = await uploadFileOf(c).catch((error: unknown) => {
        if (error instanceof RestError && error.status === 400) {
          throw notFound('Document does not have an uploaded file to download.');
        }
        throw error;
      });
      return c.json({ url: `${c.var.gql.fileLinks.previewUrl(origin(c), file.id)}&as_attachment=true` });
    },
  });
}
