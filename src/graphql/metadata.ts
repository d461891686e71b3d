import { documentMetadataValues } from '../domain/documents/metadata-values.ts';
import { NotFoundError } from '../domain/errors.ts';
import { BUILT_IN_FIELD_ID, BUILT_IN_FIELDS } from '../domain/metadata/built-in.ts';
import {
  createMetadataField,
  deleteMetadataField,
  listMetadataFields,
  renameMetadataField,
  setBuiltInFields,
  setDocumentsMetadata,
} from '../domain/metadata/service.ts';
import { builder } from './builder.ts';
import { MetadataType } from './enums.ts';
import type { Context } from './context.ts';
import { DatasetRef, datasetAfterWrite, writtenDataset } from './datasets.ts';
import { DocumentRef, writtenDocuments } from './documents.ts';
import { WRITE_ERRORS } from './errors.ts';
import { idArg, parseId } from './ids.ts';
import { type Deleted, deletedIdField } from './payloads.ts';

/** A metadata field of a dataset: a custom one (a row) or one of Dify's built-in fields (derived, no row). */
export interface MetadataFieldShape {
  datasetId: string;
  /** The row's UUID; "built-in" for built-in fields, as Dify shows them. */
  uuid: string;
  name: string;
  type: string;
  builtIn: boolean;
  usageCount?: number;
}

// Built-in fields have no row: their node key is the dataset and the name, unique and stable per dataset.
const BUILT_IN_KEY = /^([0-9a-f-]{36})\/(\w+)$/;
const nodeKey = (field: MetadataFieldShape) => (field.builtIn ? `${field.datasetId}/${field.name}` : field.uuid);

export const customField = (row: { id: string; datasetId: string; name: string; type: string }, usageCount?: number) =>
  ({ datasetId: row.datasetId, uuid: row.id, name: row.name, type: row.type, builtIn: false, usageCount }) satisfies MetadataFieldShape;

export const builtInFields = (datasetId: string): MetadataFieldShape[] =>
  BUILT_IN_FIELDS.map((f) => ({ datasetId, uuid: BUILT_IN_FIELD_ID, name: f.name, type: f.type, builtIn: true }));

async function loadField(key: string, ctx: Context): Promise<MetadataFieldShape | null> {
  const builtIn = BUILT_IN_KEY.exec(key);
  const datasetId = builtIn?.[1];
  if (datasetId) {
    const visible = await ctx.prisma.dataset.count({ where: { id: datasetId, ...datasetScope(ctx) } });
    return visible ? (builtInFields(datasetId).find((f) => f.name === builtIn[2]) ?? null) : null;
  }
  const id = parseId(key, 'MetadataField');
  const row = id ? await ctx.prisma.metadataField.findFirst({ where: { id, dataset: datasetScope(ctx) } }) : null;
  return row ? customField(row) : null;
}

const datasetScope = (ctx: Context) => ({
  workspaceId: ctx.viewer.workspaceId,
  ...(ctx.viewer.datasetScope ? { id: { in: [...ctx.viewer.datasetScope] } } : {}),
});

export const MetadataFieldRef = builder.node(builder.objectRef<MetadataFieldShape>('MetadataField'), {
  description: 'A metadata field of a dataset: one of its own, or a built-in field (document_name, uploader, …).',
  id: { resolve: nodeKey },
  loadOne: (key, ctx) => loadField(key, ctx),
  fields: (t) => ({
    uuid: t.exposeString('uuid', { description: 'The plain UUID, as the REST API shows it; "built-in" for built-in fields.' }),
    name: t.exposeString('name', { description: 'The key of its value in document metadata.' }),
    type: t.field({ type: MetadataType, description: 'The type of its values.', resolve: (f) => f.type as never }),
    builtIn: t.exposeBoolean('builtIn', { description: 'True for the fields Dify derives from the document itself.' }),
    usageCount: t.int({
      description: 'Documents carrying a value for the field (built-in fields: documents with built-in values).',
      resolve: async (field, _a, ctx) => {
        if (field.usageCount !== undefined) return field.usageCount;
        if (field.builtIn) {
          return ctx.prisma.document.count({ where: { datasetId: field.datasetId, docMetadata: { path: [field.name], not: 'null' } } });
        }
        return ctx.prisma.metadataBinding.count({ where: { metadataId: field.uuid } });
      },
    }),
    dataset: t.field({
      type: DatasetRef,
      description: 'The dataset the field belongs to.',
      resolve: async (field, _a, ctx) => {
        const dataset = await ctx.prisma.dataset.findUnique({ where: { id: field.datasetId } });
        if (!dataset) throw new NotFoundError('Dataset');
        return dataset;
      },
    }),
  }),
});

builder.prismaObjectFields(DatasetRef, (t) => ({
  metadataFields: t.field({
    type: [MetadataFieldRef],
    description: 'Custom metadata fields with their usage counts (built-in fields are listed by builtInMetadataFields).',
    resolve: async (dataset, _a, ctx) =>
      (await listMetadataFields(ctx.prisma, dataset.id)).map((f) => customField({ ...f, datasetId: dataset.id }, f.count)),
  }),
  builtInMetadataFields: t.field({
    type: [MetadataFieldRef],
    description: 'The built-in fields, whether or not they are enabled (see builtInFieldEnabled).',
    resolve: (dataset) => builtInFields(dataset.id),
  }),
  docMetadata: t.field({
    type: [MetadataFieldRef],
    description: 'Custom metadata fields, then the built-in ones when they are enabled.',
    select: { metadataFields: { orderBy: { createdAt: 'asc' } } },
    resolve: (dataset) => [
      ...dataset.metadataFields.map((f) => customField(f)),
      ...(dataset.builtInFieldEnabled ? builtInFields(dataset.id) : []),
    ],
  }),
}));

interface MetadataValue {
  field: MetadataFieldShape;
  value: unknown;
}

const DocumentMetadataValueRef = builder.objectRef<MetadataValue>('DocumentMetadataValue').implement({
  description: 'The value of one metadata field on a document.',
  fields: (t) => ({
    field: t.field({ type: MetadataFieldRef, description: 'The field.', resolve: (v) => v.field }),
    uuid: t.string({ description: 'The field UUID as the REST API shows it ("built-in" for built-in fields).', resolve: (v) => v.field.uuid }),
    name: t.string({ description: 'The field name.', resolve: (v) => v.field.name }),
    type: t.field({ type: MetadataType, description: 'The type of the value.', resolve: (v) => v.field.type as never }),
    value: t.field({ type: 'JSON', nullable: true, description: 'A string or a number.', resolve: (v) => v.value }),
  }),
});

builder.prismaObjectFields(DocumentRef, (t) => ({
  metadata: t.field({
    type: [DocumentMetadataValueRef],
    description: "Values of the dataset's metadata fields (and built-in fields when enabled) for this document.",
    select: { id: true, datasetId: true, docMetadata: true },
    resolve: async (document, _a, ctx) => {
      const [fields, dataset] = await Promise.all([
        ctx.loaders.documentMetadataFields.load(document.id),
        ctx.prisma.dataset.findUnique({ where: { id: document.datasetId }, select: { builtInFieldEnabled: true } }),
      ]);
      return documentMetadataValues(document, fields, dataset?.builtInFieldEnabled === true).map(({ id, name, type, value }) => ({
        field:
          id === BUILT_IN_FIELD_ID
            ? { datasetId: document.datasetId, uuid: id, name, type, builtIn: true }
            : customField({ id, datasetId: document.datasetId, name, type }),
        value,
      }));
    },
  }),
}));

const MetadataValueInput = builder.inputType('MetadataValueInput', {
  description: 'A value for one metadata field, named by id or by name.',
  fields: (t) => ({
    id: t.id({ description: 'The field id (global ID or UUID), or give its name.' }),
    name: t.string({ description: 'The field name, when no id is given.' }),
    value: t.field({ type: 'JSON', description: 'A string, a number, or null to clear.' }),
  }),
});

const DocumentMetadataInput = builder.inputType('DocumentMetadataInput', {
  description: 'The metadata values to write on one document.',
  fields: (t) => ({
    documentId: t.id({ required: true, description: 'The document (global ID or UUID).' }),
    metadataList: t.field({ type: [MetadataValueInput], required: true, description: 'The values to write.' }),
    partialUpdate: t.boolean({ description: 'Merge into the existing values instead of replacing them.' }),
  }),
});

const fieldId = (id: string | number) => idArg(id, 'MetadataField');

builder.relayMutationField(
  'createMetadataField',
  {
    description: 'A new custom metadata field.',
    inputFields: (t) => ({
      datasetId: t.id({ required: true }),
      type: t.field({ type: MetadataType, required: true, description: 'The type of its values.' }),
      name: t.string({ required: true, description: 'Unique in the dataset; not a built-in name.' }),
    }),
  },
  {
    description: 'Adds a custom metadata field to a dataset.',
    errors: { types: [...WRITE_ERRORS] },
    resolve: async (_r, { input }, ctx) => ({
      metadataField: customField(await createMetadataField(ctx.prisma, ctx.viewer, idArg(input.datasetId, 'Dataset'), input)),
    }),
  },
  {
    outputFields: (t) => ({
      metadataField: t.field({ type: MetadataFieldRef, nullable: true, description: 'The new field.', resolve: (p) => p.metadataField }),
      dataset: datasetAfterWrite(t, 'The dataset after the write (its field list changed).', (p) => p.metadataField.datasetId),
    }),
  },
);

builder.relayMutationField(
  'renameMetadataField',
  {
    description: 'A custom field and its new name.',
    inputFields: (t) => ({
      datasetId: t.id({ required: true }),
      metadataFieldId: t.id({ required: true }),
      name: t.string({ required: true, description: 'The new name.' }),
    }),
  },
  {
    description: 'Renames a custom field, and its key in every document that carries a value.',
    errors: { types: [...WRITE_ERRORS] },
    resolve: async (_r, { input }, ctx) => ({
      metadataField: customField(
        await renameMetadataField(ctx.prisma, ctx.viewer, idArg(input.datasetId, 'Dataset'), fieldId(input.metadataFieldId), input.name),
      ),
    }),
  },
  {
    outputFields: (t) => ({
      metadataField: t.field({ type: MetadataFieldRef, nullable: true, description: 'The renamed field.', resolve: (p) => p.metadataField }),
    }),
  },
);

builder.relayMutationField(
  'deleteMetadataField',
  {
    description: 'The custom field to delete.',
    inputFields: (t) => ({ datasetId: t.id({ required: true }), metadataFieldId: t.id({ required: true }) }),
  },
  {
    description: 'Deletes a custom field and its values on every document.',
    errors: { types: [...WRITE_ERRORS] },
    resolve: async (_r, { input }, ctx): Promise<Deleted> => {
      const field = await deleteMetadataField(ctx.prisma, ctx.viewer, idArg(input.datasetId, 'Dataset'), fieldId(input.metadataFieldId));
      return { id: field.id, parentId: field.datasetId };
    },
  },
  {
    outputFields: (t) => ({
      ...deletedIdField(t, 'MetadataField'),
      dataset: datasetAfterWrite(t, 'The dataset after the deletion (its field list changed).', (deleted) => deleted.parentId),
    }),
  },
);

builder.relayMutationField(
  'setBuiltInMetadataFields',
  {
    description: 'A dataset and whether its built-in fields are on.',
    inputFields: (t) => ({ datasetId: t.id({ required: true }), enabled: t.boolean({ required: true, description: 'On or off.' }) }),
  },
  {
    description: 'Turns the built-in fields (document_name, uploader, upload_date, last_update_date, source) on or off.',
    errors: { types: [...WRITE_ERRORS] },
    resolve: async (_r, { input }, ctx) => ({
      dataset: await setBuiltInFields(ctx.prisma, ctx.viewer, idArg(input.datasetId, 'Dataset'), input.enabled),
    }),
  },
  { outputFields: (t) => ({ dataset: writtenDataset(t) }) },
);

builder.relayMutationField(
  'setDocumentsMetadata',
  {
    description: 'Metadata values for documents of a dataset.',
    inputFields: (t) => ({
      datasetId: t.id({ required: true }),
      operations: t.field({ type: [DocumentMetadataInput], required: true, description: 'One entry per document.' }),
    }),
  },
  {
    description: 'Sets metadata values of several documents at once (all or nothing).',
    errors: { types: [...WRITE_ERRORS] },
    resolve: async (_r, { input }, ctx) => {
      const operations = input.operations.map((op) => ({
        documentId: idArg(op.documentId, 'Document'),
        metadataList: op.metadataList.map((m) => ({ id: m.id ? fieldId(m.id) : null, name: m.name, value: m.value })),
        partialUpdate: op.partialUpdate,
      }));
      await setDocumentsMetadata(ctx.prisma, ctx.viewer, idArg(input.datasetId, 'Dataset'), operations);
      return { documentIds: operations.map((op) => op.documentId) };
    },
  },
  { outputFields: (t) => ({ documents: writtenDocuments(t) }) },
);
