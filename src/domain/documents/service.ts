// Documents: creation (text or file), updates, deletion, status changes, retry, pause and resume, with Dify's
// semantics (spec §2.2, §4). Every change that needs indexing queues a job in the same transaction, so a document is
// never left waiting without work queued for it.
import { randomInt } from 'node:crypto';
import type { Prisma } from '../../db/database.ts';
import type { Document as PrismaDocument, Prisma as PrismaNamespace } from '../../db/generated/prisma/client.ts';
import { CHANNELS, type PubSub } from '../../events/pubsub.ts';
import { cancelIndexing, enqueueIndexing, isIndexing } from '../../indexing/queue.ts';
import { insertDocument, nextDocumentPosition } from './create-statement.ts';
import { progressOf, publishProgress, sendProgress } from './progress.ts';
import { parseInput } from '../datasets/input.ts';
import type { DatasetCache } from '../datasets/dataset-cache.ts';
import { getDatasetForApi } from '../datasets/service.ts';
import { RetrievalModelSchema, type RetrievalModel } from '../datasets/retrieval-model.ts';
import {
  ArchivedDocumentError,
  DocumentIndexingError,
  InvalidActionError,
  ModelNotAvailableError,
  NotFoundError,
  ProviderNotInitializedError,
  ValidationError,
} from '../errors.ts';
import { checkDocumentFile, deleteOrphanFiles, documentFile, type FileInput, storeUploadFile, textFile } from '../files/upload.ts';
import { uniqueEntryNames } from '../files/archive-name.ts';
import { applyMetadataOnCreate } from '../metadata/service.ts';
import { isUuid } from '../sql.ts';
import { rejectNul } from '../text.ts';
import { findEmbeddingModel, type ModelRegistry } from '../models/registry.ts';
import type { Viewer } from '../viewer.ts';
import { type ProcessRuleInput, validateProcessRule, AUTOMATIC_RULES } from './process-rule.ts';

export const DOC_FORMS = ['text_model', 'hierarchical_model', 'qa_model'] as const;
export type DocForm = (typeof DOC_FORMS)[number];
export const DOCUMENT_NAME_MAX = 255;
export const DOCUMENT_TEXT_MAX = 10_000_000;

export interface IndexCleaner {
  /** Removes a document's entries from the search indexes that do not follow row deletion by themselves. */
  removeDocuments(documentIds: string[]): Promise<void>;
}

export interface DocumentServiceDeps {
  prisma: Prisma;
  models: ModelRegistry;
  pubsub: PubSub;
  indexes: IndexCleaner;
  uploadFileSizeLimitBytes: number;
  /** Whether an LLM is configured (needed by qa_model documents). */
  chatConfigured: boolean;
  /** Told when the first document sets its dataset's technique (see DatasetServiceDeps). */
  datasets?: Pick<DatasetCache, 'forget'>;
}

const NO_LLM =
  'No default LLM model is configured, which qa_model documents need to generate questions and answers. Set CHAT_BASE_URL (an OpenAI-compatible chat completions endpoint).';
const NO_EMBEDDING_MODEL =
  'No Embedding Model available. Please configure a valid provider in the Settings -> Model Provider.';

/** Dify's batch id: local time as YYYYMMDDHHMMSS and six random digits. */
export function newBatch(now = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${stamp}${randomInt(100000, 1000000)}`;
}

export interface CreateDocumentInput {
  /** Text documents: the name and the text. File documents: `file`. */
  name?: string | null;
  text?: string | null;
  file?: FileInput | null;
  indexingTechnique?: string | null;
  docForm?: string | null;
  docLanguage?: string | null;
  processRule?: ProcessRuleInput | null;
  retrievalModel?: RetrievalModel | null;
  embeddingModel?: string | null;
  embeddingModelProvider?: string | null;
  /** Replace an enabled document of the same name instead of adding one (Dify's default: true). */
  duplicate?: boolean | null;
  /** Metadata values to set: a list of {id|name, value} or an object {name: value}. */
  docMetadata?: unknown;
  originalDocumentId?: string | null;
}

export interface UpdateDocumentInput {
  name?: string | null;
  text?: string | null;
  file?: FileInput | null;
  docForm?: string | null;
  docLanguage?: string | null;
  processRule?: ProcessRuleInput | null;
}

const codePoints = (s: string) => [...s].length;

function checkName(name: string | null | undefined, field = 'name'): string | undefined {
  if (name == null) return undefined;
  rejectNul(name, [field]);
  if (name.trim() === '') throw new ValidationError(`${field} must not be empty`, [{ path: [field], message: 'must not be empty' }]);
  if (codePoints(name) > DOCUMENT_NAME_MAX) {
    const message = `${field} must have at most ${DOCUMENT_NAME_MAX} characters`;
    throw new ValidationError(message, [{ path: [field], message }]);
  }
  return name;
}

function checkText(text: string) {
  rejectNul(text, ['text']);
  if (codePoints(text) > DOCUMENT_TEXT_MAX) {
    const message = `text must have at most ${DOCUMENT_TEXT_MAX} characters`;
    throw new ValidationError(message, [{ path: ['text'], message }]);
  }
}

function checkDocForm(docForm: string | null | undefined): DocForm | undefined {
  if (docForm == null) return undefined;
  if (!(DOC_FORMS as readonly string[]).includes(docForm)) throw new ValidationError('Invalid doc_form.');
  return docForm as DocForm;
}

/** The doc_form a dataset is committed to: its chunk structure, else its documents'. */
async function datasetDocForm(prisma: Prisma | PrismaNamespace.TransactionClient, dataset: { id: string; chunkStructure: string | null }) {
  if (dataset.chunkStructure) return dataset.chunkStructure;
  const first = await prisma.document.findFirst({
    where: { datasetId: dataset.id },
    orderBy: { position: 'asc' },
    select: { docForm: true },
  });
  return first?.docForm ?? null;
}

async function notifyIndexing(prisma: Prisma, pubsub: PubSub, documentIds: string[]) {
  await pubsub.publish(CHANNELS.jobs, {});
  for (const documentId of documentIds) await publishProgress(prisma, pubsub, documentId);
}

/** Creates a document from text or a file and queues its indexing; answers the document and the batch. */
export async function createDocument(deps: DocumentServiceDeps, viewer: Viewer, datasetId: string, input: CreateDocumentInput) {
  const { prisma, models } = deps;
  const dataset = await getDatasetForApi(prisma, viewer, datasetId);
  if (dataset.provider === 'external') throw new ValidationError('External datasets are not supported.');

  if (input.originalDocumentId) {
    return updateDocument(deps, viewer, datasetId, input.originalDocumentId, input);
  }

  let stored: ReturnType<typeof textFile>;
  if (input.file) {
    rejectNul(input.file.filename, ['file', 'filename']);
    checkDocumentFile(input.file, deps.uploadFileSizeLimitBytes);
    stored = documentFile(input.file);
  } else {
    const name = checkName(input.name);
    if (name === undefined) throw new ValidationError('name is required', [{ path: ['name'], message: 'required' }]);
    if (input.text == null) throw new ValidationError('text is required', [{ path: ['text'], message: 'required' }]);
    checkText(input.text);
    stored = textFile(name, input.text);
  }

  const isTechnique = (value: string) => value === 'high_quality' || value === 'economy';
  // A value the dataset will not use is still checked, as Dify's request model does.
  if (input.indexingTechnique != null && !isTechnique(input.indexingTechnique)) {
    throw new ValidationError('indexing_technique is invalid.', [{ path: ['indexingTechnique'], message: 'indexing_technique is invalid.' }]);
  }
  const technique = dataset.indexingTechnique ?? input.indexingTechnique;
  if (!technique) throw new ValidationError('indexing_technique is required.');
  if (!isTechnique(technique)) throw new ValidationError('indexing_technique is invalid.');
  const currentForm = await datasetDocForm(prisma, dataset);
  const docForm = checkDocForm(input.docForm) ?? (input.file ? (currentForm as DocForm | null) : null) ?? 'text_model';
  if (currentForm && currentForm !== docForm) throw new ValidationError('doc_form is different from the dataset doc_form.');
  if (docForm === 'qa_model' && !deps.chatConfigured) throw new ProviderNotInitializedError(NO_LLM);

  let retrievalModel: RetrievalModel | undefined;
  if (input.retrievalModel) retrievalModel = parseInput(RetrievalModelSchema, input.retrievalModel);
  const initialising = !dataset.indexingTechnique;
  let embedding: { model: string; provider: string } | null = null;
  if (initialising && technique === 'high_quality') {
    if (input.embeddingModel && input.embeddingModelProvider) {
      if (!findEmbeddingModel(models, input.embeddingModelProvider, input.embeddingModel)) {
        throw new ModelNotAvailableError(NO_EMBEDDING_MODEL);
      }
      embedding = { model: input.embeddingModel, provider: input.embeddingModelProvider };
    } else {
      embedding = { model: models.defaultEmbedding.model, provider: models.defaultEmbedding.provider };
    }
  }
  rejectNul(input.docLanguage, ['docLanguage']);
  rejectNul(input.docMetadata, ['docMetadata']);
  const rule = input.processRule ? validateProcessRule(input.processRule) : null;

  const batch = newBatch();
  const createdBy = input.file ? dataset.createdBy : viewer.accountId;
  // Reads first, outside any transaction: the rule a document without one follows, and the document this one
  // replaces (Dify replaces an enabled document of the same name unless `duplicate` is false).
  const latestRule = rule
    ? null
    : await prisma.processRule.findFirst({ where: { datasetId: dataset.id }, orderBy: { createdAt: 'desc' }, select: { id: true } });
  if (!rule && !latestRule && input.file) throw new ValidationError('process_rule is required.');
  const duplicate =
    input.duplicate === false
      ? null
      : await prisma.document.findFirst({
          where: { datasetId: dataset.id, dataSourceType: 'upload_file', enabled: true, archived: false, name: stored.name },
          orderBy: { position: 'asc' },
        });

  if (initialising) {
    // The first document sets the dataset's technique and models: one statement, and only once when several
    // first documents arrive together (the others find it set and follow it).
    await prisma.dataset.updateMany({
      where: { id: dataset.id, indexingTechnique: null },
      data: {
        indexingTechnique: technique,
        ...(embedding ? { embeddingModel: embedding.model, embeddingModelProvider: embedding.provider } : {}),
        ...(dataset.retrievalModel
          ? {}
          : {
              retrievalModel: retrievalModel ?? {
                searchMethod: 'semantic_search',
                rerankingEnable: false,
                rerankingModel: { rerankingProviderName: '', rerankingModelName: '' },
                topK: 4,
                scoreThresholdEnabled: false,
              },
            }),
      },
    });
    deps.datasets?.forget(dataset.id);
  }

  if (!duplicate && input.docMetadata == null) {
    const documentId = await insertDocument(prisma, viewer, {
      datasetId: dataset.id,
      name: stored.name,
      createdBy,
      batch,
      docForm,
      docLanguage: input.docLanguage ?? 'English',
      docMetadata: dataset.builtInFieldEnabled ? builtInMetadata(stored.name, createdBy) : null,
      file: stored,
      processRule: rule ? { mode: rule.mode, rules: rule.rules as object } : latestRule ?? { mode: 'automatic', rules: AUTOMATIC_RULES as object },
    });
    return announceCreated(deps, await prisma.document.findUniqueOrThrow({ where: { id: documentId } }), batch);
  }

  const result = await prisma.$transaction(async (tx) => {
    if (!dataset.dataSourceType) {
      await tx.dataset.update({ where: { id: dataset.id }, data: { dataSourceType: 'upload_file' } });
    }

    const processRuleId =
      latestRule?.id ??
      (
        await tx.processRule.create({
          data: { datasetId: dataset.id, mode: rule?.mode ?? 'automatic', rules: (rule?.rules ?? AUTOMATIC_RULES) as object, createdBy: viewer.accountId },
        })
      ).id;

    const file = await storeUploadFile(tx, viewer, stored);
    const common = {
      dataSourceType: 'upload_file',
      dataSourceInfo: { upload_file_id: file.id },
      fileId: file.id,
      processRuleId,
      docForm,
      docLanguage: input.docLanguage ?? 'English',
      createdFrom: 'api',
      batch,
      indexingStatus: 'waiting',
      error: null,
      stoppedAt: null,
      isPaused: false,
      pausedAt: null,
      pausedBy: null,
      ...RESET_PROGRESS,
    };

    let document;
    const created = !duplicate;
    if (duplicate) {
      await tx.segment.updateMany({ where: { documentId: duplicate.id }, data: { status: 're_segment' } });
      document = await tx.document.update({ where: { id: duplicate.id }, data: { ...common, updatedAt: new Date() } });
      await deleteOrphanFiles(tx, [duplicate.fileId]);
    } else {
      document = await tx.document.create({
        data: {
          ...common,
          workspaceId: viewer.workspaceId,
          datasetId: dataset.id,
          position: await nextDocumentPosition(tx, dataset.id),
          name: stored.name,
          createdBy,
          docMetadata: dataset.builtInFieldEnabled ? builtInMetadata(stored.name, createdBy) : undefined,
        },
      });
    }
    if (input.docMetadata != null) {
      await applyMetadataOnCreate(tx, viewer, dataset.id, document, input.docMetadata);
      document = await tx.document.findUniqueOrThrow({ where: { id: document.id } });
    }
    await enqueueIndexing(tx, [document.id], { created });
    return document;
  });
  return announceCreated(deps, result, batch);
}

/** Tells the workers and the document's subscribers about a created (or replaced) document. */
async function announceCreated(deps: DocumentServiceDeps, document: PrismaDocument, batch: string) {
  // Its progress is known without reading it back: waiting, and no segments counted (a replaced document's old
  // segments are marked re_segment, which progress leaves out).
  await deps.pubsub.publish(CHANNELS.jobs, {});
  await sendProgress(deps.pubsub, progressOf(document, { completed: 0, total: 0 }));
  return { document, batch };
}

const RESET_PROGRESS = {
  completedAt: null,
  processingStartedAt: null,
  parsingCompletedAt: null,
  cleaningCompletedAt: null,
  splittingCompletedAt: null,
  wordCount: null,
  tokens: null,
  indexingLatency: null,
};

function builtInMetadata(name: string, uploader: string) {
  const now = Math.floor(Date.now() / 1000);
  return { document_name: name, uploader, upload_date: now, last_update_date: now, source: 'file_upload' };
}

export async function getDocumentForApi(prisma: Prisma, viewer: Viewer, datasetId: string, documentId: string, message = 'Document not found.') {
  await getDatasetForApi(prisma, viewer, datasetId);
  const document = await prisma.document.findFirst({ where: { id: documentId, datasetId, workspaceId: viewer.workspaceId } });
  if (!document) throw new NotFoundError('Document', message);
  return document;
}

/** Replaces a document's text, file, name or process rule and re-indexes it; the batch stays the original one. */
export async function updateDocument(deps: DocumentServiceDeps, viewer: Viewer, datasetId: string, documentId: string, input: UpdateDocumentInput) {
  const { prisma } = deps;
  const dataset = await getDatasetForApi(prisma, viewer, datasetId);
  if (dataset.provider === 'external') throw new ValidationError('External datasets are not supported.');
  const document = await getDocumentForApi(prisma, viewer, datasetId, documentId);
  if (document.archived) throw new ArchivedDocumentError();

  const name = checkName(input.name);
  if (input.text != null && name === undefined) throw new ValidationError('name is required when text is provided');
  let stored: ReturnType<typeof textFile> | null = null;
  if (input.file) {
    rejectNul(input.file.filename, ['file', 'filename']);
    checkDocumentFile(input.file, deps.uploadFileSizeLimitBytes);
    stored = documentFile(input.file);
  } else if (input.text != null) {
    checkText(input.text);
    stored = textFile(name as string, input.text);
  }
  if (!stored && !input.processRule) throw new ValidationError('Data source or Process rule is required');
  const currentForm = (await datasetDocForm(prisma, dataset)) ?? 'text_model';
  const docForm = checkDocForm(input.docForm) ?? (input.file ? currentForm : 'text_model');
  if (docForm !== currentForm) throw new ValidationError('doc_form is different from the dataset doc_form.');
  if (document.indexingStatus !== 'completed' || !document.enabled) throw new ValidationError('Document is not available');
  const rule = input.processRule ? validateProcessRule(input.processRule) : null;

  const updated = await prisma.$transaction(async (tx) => {
    const data: PrismaNamespace.DocumentUncheckedUpdateInput = {
      ...RESET_PROGRESS,
      indexingStatus: 'waiting',
      error: null,
      stoppedAt: null,
      createdFrom: 'api',
      docForm,
      updatedAt: new Date(),
    };
    if (input.docLanguage) data.docLanguage = input.docLanguage;
    if (rule) {
      data.processRuleId = (
        await tx.processRule.create({ data: { datasetId, mode: rule.mode, rules: rule.rules as object, createdBy: viewer.accountId } })
      ).id;
    }
    if (stored) {
      const file = await storeUploadFile(tx, viewer, stored);
      data.fileId = file.id;
      data.dataSourceType = 'upload_file';
      data.dataSourceInfo = { upload_file_id: file.id };
      data.name = name ?? stored.name;
    } else if (name !== undefined) {
      data.name = name;
    }
    await tx.segment.updateMany({ where: { documentId }, data: { status: 're_segment' } });
    const doc = await tx.document.update({ where: { id: documentId }, data });
    if (stored) await deleteOrphanFiles(tx, [document.fileId]);
    await enqueueIndexing(tx, [documentId]);
    return doc;
  });
  await notifyIndexing(deps.prisma, deps.pubsub, [documentId]);
  return { document: updated, batch: updated.batch };
}

export async function deleteDocument(deps: DocumentServiceDeps, viewer: Viewer, datasetId: string, documentId: string) {
  const { prisma } = deps;
  const document = await getDocumentForApi(prisma, viewer, datasetId, documentId, 'Document Not Exists.');
  if (document.archived) throw new ArchivedDocumentError();
  if (await isIndexing(prisma, documentId)) throw new DocumentIndexingError();
  await prisma.$transaction(async (tx) => {
    await cancelIndexing(tx, [documentId]);
    await tx.document.delete({ where: { id: documentId } });
    await deleteOrphanFiles(tx, [document.fileId]);
  });
  await deps.indexes.removeDocuments([documentId]);
  return document;
}

export const STATUS_ACTIONS = ['enable', 'disable', 'archive', 'un_archive'] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

/** Dify's batch enable/disable/archive/un_archive: all documents are checked first, then changed in one transaction. */
export async function setDocumentsStatus(deps: DocumentServiceDeps, viewer: Viewer, datasetId: string, action: string, documentIds: readonly string[]) {
  const { prisma, models } = deps;
  const dataset = await getDatasetForApi(prisma, viewer, datasetId);
  if (!(STATUS_ACTIONS as readonly string[]).includes(action)) {
    throw new InvalidActionError(`Invalid action: ${action}. Must be one of ['enable', 'disable', 'archive', 'un_archive']`);
  }
  if (dataset.indexingTechnique === 'high_quality' && dataset.embeddingModel && dataset.embeddingModelProvider) {
    if (!findEmbeddingModel(models, dataset.embeddingModelProvider, dataset.embeddingModel)) {
      throw new ValidationError(NO_EMBEDDING_MODEL);
    }
  }
  const uuids = documentIds.filter((id) => isUuid(id));
  const documents = await prisma.document.findMany({ where: { id: { in: uuids }, datasetId, workspaceId: viewer.workspaceId } });
  const now = new Date();
  const changes: Array<{ id: string; data: PrismaNamespace.DocumentUncheckedUpdateInput }> = [];
  for (const doc of documents) {
    switch (action as StatusAction) {
      case 'enable':
        if (!doc.enabled) changes.push({ id: doc.id, data: { enabled: true, disabledAt: null, disabledBy: null, updatedAt: now } });
        break;
      case 'disable':
        if (!doc.completedAt || doc.indexingStatus !== 'completed') throw new InvalidActionError(`Document: ${doc.name} is not completed.`);
        if (doc.enabled) changes.push({ id: doc.id, data: { enabled: false, disabledAt: now, disabledBy: viewer.accountId, updatedAt: now } });
        break;
      case 'archive':
        if (!doc.archived) changes.push({ id: doc.id, data: { archived: true, archivedAt: now, archivedBy: viewer.accountId, archivedReason: 'rule_modified', updatedAt: now } });
        break;
      case 'un_archive':
        if (doc.archived) changes.push({ id: doc.id, data: { archived: false, archivedAt: null, archivedBy: null, archivedReason: null, updatedAt: now } });
        break;
    }
  }
  await prisma.$transaction(changes.map(({ id, data }) => prisma.document.update({ where: { id }, data })));
  return documents.map((d) => d.id);
}


async function documentsForBatchAction(prisma: Prisma, viewer: Viewer, datasetId: string, documentIds: readonly string[]) {
  await getDatasetForApi(prisma, viewer, datasetId);
  const ids = [...new Set(documentIds)];
  if (ids.length === 0 || ids.length > 100) throw new ValidationError('document_ids must list 1 to 100 documents');
  if (!ids.every((id) => isUuid(id))) throw new NotFoundError('Document');
  const documents = await prisma.document.findMany({ where: { id: { in: ids }, datasetId, workspaceId: viewer.workspaceId } });
  if (documents.length !== ids.length) throw new NotFoundError('Document');
  return documents;
}

/** Re-queues documents (typically failed ones); batches stay. */
export async function retryDocuments(deps: DocumentServiceDeps, viewer: Viewer, datasetId: string, documentIds: readonly string[]) {
  const { prisma } = deps;
  const documents = await documentsForBatchAction(prisma, viewer, datasetId, documentIds);
  for (const doc of documents) {
    if (doc.archived) throw new ArchivedDocumentError();
    if (doc.isPaused) throw new ValidationError(`Document ${doc.name} is paused; resume it instead.`);
    if (await isIndexing(prisma, doc.id)) throw new DocumentIndexingError(`Document ${doc.name} is being indexed, please try again later.`);
  }
  const ids = documents.map((d) => d.id);
  await prisma.$transaction(async (tx) => {
    await tx.segment.updateMany({ where: { documentId: { in: ids } }, data: { status: 're_segment' } });
    await tx.document.updateMany({ where: { id: { in: ids } }, data: { ...RESET_PROGRESS, indexingStatus: 'waiting', error: null, stoppedAt: null } });
    await enqueueIndexing(tx, ids);
  });
  await notifyIndexing(deps.prisma, deps.pubsub, ids);
  return ids;
}

/** Renames a document; nothing is re-indexed. */
export async function renameDocument(deps: DocumentServiceDeps, viewer: Viewer, datasetId: string, documentId: string, rawName: string) {
  const name = checkName(rawName) as string;
  await getDatasetForApi(deps.prisma, viewer, datasetId);
  const document = await getDocumentForApi(deps.prisma, viewer, datasetId, documentId);
  if (document.archived) throw new ArchivedDocumentError();
  const renamed = await deps.prisma.document.update({ where: { id: document.id }, data: { name, updatedAt: new Date() } });
  return { document: renamed, batch: renamed.batch };
}

/** Pauses indexing: the worker stops at its next checkpoint and the document reports `paused`. */
export async function pauseDocument(deps: DocumentServiceDeps, viewer: Viewer, datasetId: string, documentId: string) {
  const { prisma } = deps;
  const doc = await getDocumentForApi(prisma, viewer, datasetId, documentId);
  if (doc.indexingStatus === 'completed' || doc.indexingStatus === 'error') {
    throw new InvalidActionError('Only a document that is queued or being indexed can be paused.');
  }
  if (doc.isPaused) return doc;
  const paused = await prisma.$transaction(async (tx) => {
    await cancelIndexing(tx, [documentId]);
    return tx.document.update({ where: { id: documentId }, data: { isPaused: true, pausedAt: new Date(), pausedBy: viewer.accountId } });
  });
  await publishProgress(prisma, deps.pubsub, documentId);
  return paused;
}

/** Resumes a paused document: indexing starts over from its source. */
export async function resumeDocument(deps: DocumentServiceDeps, viewer: Viewer, datasetId: string, documentId: string) {
  const { prisma } = deps;
  const doc = await getDocumentForApi(prisma, viewer, datasetId, documentId);
  if (!doc.isPaused) throw new InvalidActionError('The document is not paused.');
  const resumed = await prisma.$transaction(async (tx) => {
    await tx.segment.updateMany({ where: { documentId }, data: { status: 're_segment' } });
    const updated = await tx.document.update({
      where: { id: documentId },
      data: { isPaused: false, pausedAt: null, pausedBy: null, indexingStatus: 'waiting', ...RESET_PROGRESS },
    });
    await enqueueIndexing(tx, [documentId]);
    return updated;
  });
  await notifyIndexing(deps.prisma, deps.pubsub, [documentId]);
  return resumed;
}

/** The upload files of documents for a ZIP download: 1–100 documents, all with an uploaded file; names safe and unique. */
export async function filesForDownload(prisma: Prisma, viewer: Viewer, datasetId: string, documentIds: readonly string[]) {
  const documents = await documentsForBatchAction(prisma, viewer, datasetId, documentIds);
  const byId = new Map(documents.map((d) => [d.id, d]));
  const files = await prisma.uploadFile.findMany({
    where: { id: { in: documents.map((d) => d.fileId).filter((id): id is string => id !== null) } },
    select: { id: true, name: true, extension: true },
  });
  const listed = [...new Set(documentIds)].map((id) => {
    const document = byId.get(id);
    const file = files.find((f) => f.id === document?.fileId);
    if (!document || document.dataSourceType !== 'upload_file' || !file) {
      throw new NotFoundError('Document', 'Only uploaded-file documents can be downloaded as ZIP.');
    }
    return { documentId: id, fileId: file.id, name: file.name };
  });
  const names = uniqueEntryNames(listed.map((f) => f.name));
  return listed.map((f, i) => ({ ...f, name: names[i] as string }));
}
