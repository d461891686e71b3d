import { displayStatusWhere } from '../domain/documents/display-status.ts';
import { DEFAULT_DISPLAY_RULE } from '../domain/documents/process-rule.ts';
import {
  createDocument,
  deleteDocument,
  filesForDownload,
  getDocumentForApi,
  pauseDocument,
  renameDocument,
  resumeDocument,
  retryDocuments,
  setDocumentsStatus,
  STATUS_ACTIONS,
  updateDocument,
} from '../domain/documents/service.ts';
import {
  ArchivedDocumentError,
  DocumentIndexingError,
  FileTooLargeError,
  InvalidActionError,
  ModelNotAvailableError,
  NotFoundError,
  ProviderNotInitializedError,
  UnsupportedFileTypeError,
} from '../domain/errors.ts';
import { escapeLike } from '../domain/sql.ts';
import type { Document } from '../db/generated/prisma/client.ts';
import { builder } from './builder.ts';
import { DocForm, DocumentDisplayStatus, DocumentStatusAction, IndexingTechnique, ParentMode, PreProcessingRuleId, ProcessRuleMode } from './enums.ts';
import type { Context } from './context.ts';
import { DatasetRef, datasetAfterWrite } from './datasets.ts';
import { DocumentRef, writtenDocuments } from './documents.ts';
import { toGraphQLError, WRITE_ERRORS } from './errors.ts';
import { idArg, parseId } from './ids.ts';
import { keysetConnection, type Ordering, totalCountField } from './keyset-connection.ts';
import { pageArgs } from './page-args.ts';
import { type Deleted, deletedIdField, type InputFieldBuilder, type PayloadFieldBuilder, reReadOr } from './payloads.ts';
import { RetrievalModelInput } from './retrieval-model.ts';
import { readUpload } from './uploads.ts';

const datasetUuid = (id: string | number) => idArg(id, 'Dataset');
const documentUuid = (id: string | number) => idArg(id, 'Document');


const DownloadableFileRef = builder
  .objectRef<{ documentId: string; fileId: string; name: string }>('DownloadableFile')
  .implement({
    description: 'A file of a ZIP download.',
    fields: (t) => ({
      documentId: t.globalID({ description: 'The global ID of the document.', resolve: (f) => ({ type: 'Document', id: f.documentId }) }),
      fileId: t.globalID({ description: 'The global ID of the upload file.', resolve: (f) => ({ type: 'UploadFile', id: f.fileId }) }),
      fileUuid: t.exposeString('fileId', { description: 'The upload file UUID, as the REST API shows it.' }),
      name: t.exposeString('name', { description: 'Unique within the set: "name (1).ext" for repeats.' }),
    }),
  });

const DOCUMENT_ORDERING: Ordering = {
  name: 'createdAt-desc',
  columns: [
    { field: 'createdAt', direction: 'desc', kind: 'date' },
    { field: 'position', direction: 'desc', kind: 'int' },
    { field: 'id', direction: 'asc', kind: 'string' },
  ],
};

builder.prismaObjectFields(DatasetRef, (t) => ({
  documents: t.connection(
    {
      type: DocumentRef,
      description: 'Documents of the dataset, newest first (then by position, descending).',
      args: {
        keyword: t.arg.string({ description: 'Part of the name (case-sensitive, as Dify).' }),
        status: t.arg({ type: DocumentDisplayStatus, description: 'Only documents in this display status.' }),
        ...pageArgs(t),
      },
      resolve: async (dataset, args, ctx, info) => {
        const where = {
          datasetId: dataset.id,
          ...(args.keyword ? { name: { contains: escapeLike(args.keyword) } } : {}),
          ...displayStatusWhere(args.status),
        };
        return keysetConnection(ctx, info, 'Document', args, where, {
          connection: `Dataset.documents:${dataset.id}`,
          ordering: DOCUMENT_ORDERING,
          count: () => ctx.prisma.document.count({ where }),
          page: (query) => ctx.prisma.document.findMany(query),
        });
      },
    },
    {
      name: 'DocumentConnection',
      description: 'A page of documents.',
      fields: (c) => ({ totalCount: c.int({ description: 'Documents matching the filters.', ...totalCountField }) }),
    },
  ),
  document: t.prismaField({
    type: 'Document',
    nullable: true,
    description: 'A document of this dataset by Relay ID or UUID.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, dataset, args, ctx) =>
      ctx.prisma.document.findFirst({ ...query, where: { id: documentUuid(args.id), datasetId: dataset.id } }),
  }),
  downloadableFiles: t.field({
    type: [DownloadableFileRef],
    description: 'The upload files of these documents (1–100), named uniquely, for a ZIP download.',
    args: { documentIds: t.arg.idList({ required: true }) },
    resolve: async (dataset, args, ctx) => {
      try {
        return await filesForDownload(ctx.prisma, ctx.viewer, dataset.id, documentIds(args.documentIds));
      } catch (error) {
        throw toGraphQLError(error);
      }
    },
  }),
  latestProcessRule: t.field({
    type: 'JSON',
    description: "The dataset's newest process rule as Dify shows it ({mode, rules}), or Dify's defaults when it has none.",
    resolve: async (dataset, _a, ctx) => {
      const rule = await ctx.prisma.processRule.findFirst({ where: { datasetId: dataset.id }, orderBy: { createdAt: 'desc' } });
      return rule ? { mode: rule.mode, rules: rule.rules } : DEFAULT_DISPLAY_RULE;
    },
  }),
}));

const SegmentationInput = builder.inputType('SegmentationInput', {
  description: 'How to cut text into chunks.',
  fields: (t) => ({
    separator: t.string({ description: 'Where to cut; escapes such as \\n work. Default "\\n".' }),
    maxTokens: t.int({ description: 'Maximum chunk length in characters (50–4000).' }),
    chunkOverlap: t.int({ description: 'Characters shared by consecutive chunks.' }),
  }),
});

const ProcessRuleInput = builder.inputType('ProcessRuleInput', {
  description: 'How to clean and split (Dify process_rule). Fields are checked with Dify\'s messages, so none is required here.',
  fields: (t) => ({
    mode: t.field({ type: ProcessRuleMode, description: 'How to clean and split.' }),
    rules: t.field({
      type: builder.inputType('ProcessRuleRulesInput', {
        description: 'The cleaning and splitting rules.',
        fields: (r) => ({
          preProcessingRules: r.field({
            type: [
              builder.inputType('PreProcessingRuleInput', {
                description: 'A cleaning rule turned on or off.',
                fields: (p) => ({
                  id: p.field({ type: PreProcessingRuleId, description: 'The rule.' }),
                  enabled: p.boolean({ description: 'On or off.' }),
                }),
              }),
            ],
          }),
          segmentation: r.field({ type: SegmentationInput }),
          parentMode: r.field({ type: ParentMode, description: 'What a parent segment is (hierarchical only).' }),
          subchunkSegmentation: r.field({ type: SegmentationInput }),
        }),
      }),
    }),
  }),
});

const DocumentSettingsFields = (t: InputFieldBuilder) => ({
  docForm: t.field({ type: DocForm, description: 'How to chunk; must match the dataset once it has documents.' }),
  docLanguage: t.string(),
  processRule: t.field({ type: ProcessRuleInput }),
});

const CreateOptionsFields = (t: InputFieldBuilder) => ({
  ...DocumentSettingsFields(t),
  indexingTechnique: t.field({ type: IndexingTechnique, description: 'Required for a dataset that has none yet.' }),
  retrievalModel: t.field({ type: RetrievalModelInput }),
  embeddingModel: t.string(),
  embeddingModelProvider: t.string(),
  originalDocumentId: t.id({ description: 'Update this document instead of creating one.' }),
  docMetadata: t.field({
    type: 'JSON',
    description: 'Metadata values: a list of {id or name, value}, or an object {name: value}. Types are checked.',
  }),
});

interface DocumentWrite {
  /** The row as written (scalars only). */
  document: Document;
  batch: string;
}

const documentWriteFields = (t: PayloadFieldBuilder<DocumentWrite>) => ({
  document: t.prismaField({
    type: 'Document',
    nullable: true,
    description: 'The document as the write left it.',
    // Relations come from a re-read; scalars stay as the write left them (a worker may have moved the row on since).
    resolve: (query, write, _a, ctx) =>
      reReadOr(ctx, write.document, async () => {
        const fresh = await ctx.prisma.document.findUnique({ ...query, where: { id: write.document.id } });
        return fresh && { ...fresh, ...write.document };
      }),
  }),
  batch: t.exposeString('batch', { description: 'The batch to follow with indexingProgress.' }),
  dataset: datasetAfterWrite(t, 'The dataset after the write (its document and word counts changed).', (write) => write.document.datasetId),
});

const DOCUMENT_WRITE_ERRORS = [
  ...WRITE_ERRORS,
  ArchivedDocumentError,
  FileTooLargeError,
  UnsupportedFileTypeError,
  ModelNotAvailableError,
  ProviderNotInitializedError,
] as const;

const fileOf = async (ctx: Context, file: Parameters<typeof readUpload>[0] | null | undefined) =>
  file ? readUpload(file, ctx.uploadFileSizeLimitBytes) : null;

const documentIds = (ids: readonly (string | number)[]) => ids.map((id) => parseId(String(id), 'Document') ?? String(id));
const originalDocument = (id: string | number | null | undefined) => (id ? documentUuid(id) : null);

builder.relayMutationField(
  'createDocumentByText',
  {
    description: 'A new document from text.',
    inputFields: (t) => ({
      datasetId: t.id({ required: true }),
      name: t.string({ required: true }),
      text: t.string({ required: true }),
      ...CreateOptionsFields(t),
    }),
  },
  {
    description: 'Creates a document from text and queues its indexing. A document of the same name is replaced (Dify).',
    errors: { types: [...DOCUMENT_WRITE_ERRORS] },
    resolve: (_root, { input: { datasetId, ...input } }, ctx) =>
      createDocument(ctx, ctx.viewer, datasetUuid(datasetId), { ...input, originalDocumentId: originalDocument(input.originalDocumentId) }),
  },
  { outputFields: documentWriteFields },
);

builder.relayMutationField(
  'createDocumentByFile',
  {
    description: 'A new document from a file.',
    inputFields: (t) => ({
      datasetId: t.id({ required: true }),
      file: t.field({ type: 'Upload', required: true }),
      ...CreateOptionsFields(t),
      duplicate: t.boolean({ description: 'Replace an enabled document of the same name (default true).' }),
    }),
  },
  {
    description: 'Creates a document from an uploaded file (multipart request) and queues its indexing.',
    errors: { types: [...DOCUMENT_WRITE_ERRORS] },
    resolve: async (_root, { input: { datasetId, file, ...input } }, ctx) => {
      const dataset = datasetUuid(datasetId);
      // Without a process rule, the first document of a dataset gets Dify's automatic rule, as by-text creation does.
      const firstRule = input.processRule === undefined && (await ctx.prisma.processRule.count({ where: { datasetId: dataset } })) === 0;
      return createDocument(ctx, ctx.viewer, dataset, {
        ...input,
        ...(firstRule ? { processRule: { mode: 'automatic' } } : {}),
        originalDocumentId: originalDocument(input.originalDocumentId),
        file: await fileOf(ctx, file),
      });
    },
  },
  { outputFields: documentWriteFields },
);

builder.relayMutationField(
  'updateDocument',
  {
    description: 'What to change in a document; only a name renames it without re-indexing.',
    inputFields: (t) => ({
      datasetId: t.id({ required: true }),
      documentId: t.id({ required: true }),
      file: t.field({ type: 'Upload', description: 'A new file, as a part of a multipart request.' }),
      name: t.string(),
      text: t.string({ description: 'New text (needs `name`).' }),
      ...DocumentSettingsFields(t),
    }),
  },
  {
    description:
      'Replaces the text or file or the process rule and re-indexes (the batch stays); with only a new name, renames ' +
      'the document without re-indexing.',
    errors: { types: [...DOCUMENT_WRITE_ERRORS] },
    resolve: async (_root, { input: { datasetId, documentId, file, ...input } }, ctx) => {
      const { name, ...rest } = input;
      if (name != null && !file && Object.keys(rest).length === 0) {
        return renameDocument(ctx, ctx.viewer, datasetUuid(datasetId), documentUuid(documentId), name);
      }
      return updateDocument(ctx, ctx.viewer, datasetUuid(datasetId), documentUuid(documentId), {
        ...input,
        file: await fileOf(ctx, file),
      });
    },
  },
  { outputFields: documentWriteFields },
);

const documentInput = (description: string) => ({
  description,
  inputFields: (t: InputFieldBuilder) => ({ datasetId: t.id({ required: true }), documentId: t.id({ required: true }) }),
});
const documentsFields = (t: InputFieldBuilder) => ({ datasetId: t.id({ required: true }), documentIds: t.idList({ required: true }) });

builder.relayMutationField(
  'deleteDocument',
  documentInput('The document to delete.'),
  {
    description: 'Deletes a document with its segments and index entries.',
    errors: { types: [...WRITE_ERRORS, ArchivedDocumentError, DocumentIndexingError] },
    resolve: async (_root, { input }, ctx): Promise<Deleted> => {
      const document = await deleteDocument(ctx, ctx.viewer, datasetUuid(input.datasetId), documentUuid(input.documentId));
      return { id: document.id, parentId: document.datasetId };
    },
  },
  {
    outputFields: (t) => ({
      ...deletedIdField(t, 'Document'),
      dataset: datasetAfterWrite(t, 'The dataset after the deletion (its document counts changed).', (deleted) => deleted.parentId),
    }),
  },
);

builder.relayMutationField(
  'updateDocumentsStatus',
  {
    description: 'Documents and the change to apply to them.',
    inputFields: (t) => ({
      ...documentsFields(t),
      action: t.field({ type: DocumentStatusAction, required: true, description: 'The change to apply.' }),
    }),
  },
  {
    description: `Applies one of ${STATUS_ACTIONS.join(', ')} to documents; answers the documents found (unknown ids are skipped).`,
    errors: { types: [...WRITE_ERRORS, InvalidActionError] },
    resolve: async (_root, { input }, ctx) => ({
      documentIds: await setDocumentsStatus(ctx, ctx.viewer, datasetUuid(input.datasetId), input.action, documentIds(input.documentIds)),
    }),
  },
  { outputFields: (t) => ({ documents: writtenDocuments(t) }) },
);

builder.relayMutationField('retryDocuments', { description: 'The documents to index again.', inputFields: documentsFields }, {
  description: 'Queues documents (1–100) for indexing again, typically failed ones.',
  errors: { types: [...WRITE_ERRORS, ArchivedDocumentError, DocumentIndexingError] },
  resolve: async (_root, { input }, ctx) => ({
    documentIds: await retryDocuments(ctx, ctx.viewer, datasetUuid(input.datasetId), documentIds(input.documentIds)),
  }),
}, { outputFields: (t) => ({ documents: writtenDocuments(t) }) });

const writtenDocument = (t: PayloadFieldBuilder<{ document: Document }>) => ({
  document: t.field({ type: DocumentRef, nullable: true, description: 'The document as the write left it.', resolve: (p) => p.document }),
});

builder.relayMutationField(
  'pauseDocumentIndexing',
  documentInput('The document to pause.'),
  {
    description: 'Pauses indexing of a queued or indexing document; INVALID_ACTION otherwise.',
    errors: { types: [...WRITE_ERRORS, InvalidActionError] },
    resolve: async (_root, { input }, ctx) => ({
      document: await pauseDocument(ctx, ctx.viewer, datasetUuid(input.datasetId), documentUuid(input.documentId)),
    }),
  },
  { outputFields: writtenDocument },
);

builder.relayMutationField(
  'resumeDocumentIndexing',
  documentInput('The document to resume.'),
  {
    description: 'Resumes a paused document (indexing starts over); INVALID_ACTION when it is not paused.',
    errors: { types: [...WRITE_ERRORS, InvalidActionError] },
    resolve: async (_root, { input }, ctx) => ({
      document: await resumeDocument(ctx, ctx.viewer, datasetUuid(input.datasetId), documentUuid(input.documentId)),
    }),
  },
  { outputFields: writtenDocument },
);

builder.queryFields((t) => ({
  document: t.prismaField({
    type: 'Document',
    nullable: true,
    description: 'A document by dataset and document id (Relay ID or UUID); null when the key cannot see it.',
    args: { datasetId: t.arg.id({ required: true }), id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      try {
        const doc = await getDocumentForApi(ctx.prisma, ctx.viewer, datasetUuid(args.datasetId), documentUuid(args.id));
        return ctx.prisma.document.findUnique({ ...query, where: { id: doc.id } });
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw toGraphQLError(error);
      }
    },
  }),
}));
