// Metadata fields of a dataset and their values on documents (spec §8). Values live in documents.doc_metadata keyed
// by field name (where retrieval's SQL filters read them); bindings record which documents carry which field.
import type { Prisma } from '../../db/database.ts';
import type { Prisma as PrismaNamespace } from '../../db/generated/prisma/client.ts';
import { getDatasetForApi } from '../datasets/service.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { Viewer } from '../viewer.ts';
import { rejectNul } from '../text.ts';
import { BUILT_IN_FIELDS } from './built-in.ts';

export const METADATA_TYPES = ['string', 'number', 'time'] as const;
export const METADATA_NAME_MAX = 255;

type Tx = PrismaNamespace.TransactionClient;
type JsonObject = Record<string, PrismaNamespace.InputJsonValue | null>;

const asObject = (value: unknown): JsonObject =>
  value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as JsonObject) } : {};

const isBuiltIn = (name: string) => BUILT_IN_FIELDS.some((f) => f.name === name);

async function checkName(prisma: Prisma | Tx, datasetId: string, name: unknown): Promise<string> {
  rejectNul(name, ['name']);
  if (typeof name !== 'string' || name.trim() === '') throw new ValidationError('Metadata name is required.');
  if ([...name].length > METADATA_NAME_MAX) throw new ValidationError('Metadata name cannot exceed 255 characters.');
  if (isBuiltIn(name)) throw new ValidationError('Metadata name already exists in Built-in fields.');
  if (await prisma.metadataField.findFirst({ where: { datasetId, name }, select: { id: true } })) {
    throw new ValidationError('Metadata name already exists.');
  }
  return name;
}

export async function createMetadataField(prisma: Prisma, viewer: Viewer, datasetId: string, input: { type?: string | null; name?: string | null }) {
  await getDatasetForApi(prisma, viewer, datasetId);
  if (!input.type || !(METADATA_TYPES as readonly string[]).includes(input.type)) {
    throw new ValidationError(`Metadata type must be one of ${METADATA_TYPES.join(', ')}.`);
  }
  const name = await checkName(prisma, datasetId, input.name);
  return prisma.metadataField.create({
    data: { workspaceId: viewer.workspaceId, datasetId, type: input.type, name, createdBy: viewer.accountId },
  });
}

async function fieldOf(prisma: Prisma, viewer: Viewer, datasetId: string, metadataId: string) {
  await getDatasetForApi(prisma, viewer, datasetId);
  const field = await prisma.metadataField.findFirst({ where: { id: metadataId, datasetId } });
  if (!field) throw new NotFoundError('Metadata', 'Metadata not found.');
  return field;
}

/** Renames a field and the key of its value in every document that carries it. */
export async function renameMetadataField(prisma: Prisma, viewer: Viewer, datasetId: string, metadataId: string, newName: string | null | undefined) {
  const field = await fieldOf(prisma, viewer, datasetId, metadataId);
  const name = await checkName(prisma, datasetId, newName);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(
      `UPDATE documents SET doc_metadata = (doc_metadata - $1::text) || jsonb_build_object($2::text, doc_metadata -> $1::text)
        WHERE dataset_id = $3::uuid AND doc_metadata ? $1::text`,
      field.name,
      name,
      datasetId,
    );
    return tx.metadataField.update({ where: { id: field.id }, data: { name, updatedBy: viewer.accountId } });
  });
}

export async function deleteMetadataField(prisma: Prisma, viewer: Viewer, datasetId: string, metadataId: string) {
  const field = await fieldOf(prisma, viewer, datasetId, metadataId);
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(
      'UPDATE documents SET doc_metadata = doc_metadata - $1::text WHERE dataset_id = $2::uuid AND doc_metadata ? $1::text',
      field.name,
      datasetId,
    );
    await tx.metadataField.delete({ where: { id: field.id } });
  });
  return field;
}

/** The built-in values Dify writes for a document. */
async function builtInValues(tx: Tx | Prisma, doc: { name: string; createdBy: string; createdAt: Date; updatedAt: Date; dataSourceType: string }) {
  const uploader = await tx.account.findUnique({ where: { id: doc.createdBy }, select: { name: true } });
  return {
    document_name: doc.name,
    uploader: uploader?.name ?? null,
    upload_date: doc.createdAt.getTime() / 1000,
    last_update_date: doc.updatedAt.getTime() / 1000,
    source: { upload_file: 'file_upload', notion_import: 'notion', website_crawl: 'website' }[doc.dataSourceType] ?? doc.dataSourceType,
  };
}

/** Turns the built-in fields on (writing their values into working documents) or off (removing them). */
export async function setBuiltInFields(prisma: Prisma, viewer: Viewer, datasetId: string, enabled: boolean) {
  const dataset = await getDatasetForApi(prisma, viewer, datasetId);
  if (dataset.builtInFieldEnabled === enabled) return dataset;
  return prisma.$transaction(async (tx) => {
    const documents = await tx.document.findMany({
      where: { datasetId, indexingStatus: 'completed', enabled: true, archived: false },
    });
    for (const doc of documents) {
      const values = asObject(doc.docMetadata);
      if (enabled) Object.assign(values, await builtInValues(tx, doc));
      else for (const field of BUILT_IN_FIELDS) delete values[field.name];
      await tx.document.update({ where: { id: doc.id }, data: { docMetadata: values } });
    }
    return tx.dataset.update({ where: { id: datasetId }, data: { builtInFieldEnabled: enabled } });
  });
}

export interface MetadataValueInput {
  id?: string | null;
  name?: string | null;
  value?: unknown;
}

export interface DocumentMetadataOperation {
  documentId: string;
  metadataList: MetadataValueInput[];
  partialUpdate?: boolean | null;
}

/** A value must fit its field: strings for string fields, numbers (Unix seconds for time) for the others. */
function checkValue(field: { name: string; type: string }, value: unknown): PrismaNamespace.InputJsonValue | null {
  if (value === null || value === undefined) return null;
  rejectNul(value, ['metadataList', field.name, 'value']);
  if (field.type === 'string') {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  } else if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  const expected = field.type === 'time' ? 'a time as Unix seconds' : field.type === 'number' ? 'a number' : 'a string';
  throw new ValidationError(`Metadata ${field.name} is of type ${field.type}: its value must be ${expected}, got ${JSON.stringify(value)}.`);
}

/** Resolves listed values against the dataset's fields (by id, else by name) and checks their types. */
async function resolveValues(tx: Tx | Prisma, datasetId: string, list: MetadataValueInput[]) {
  const fields = await tx.metadataField.findMany({ where: { datasetId } });
  return list.map((item) => {
    const field = fields.find((f) => (item.id ? f.id === item.id : f.name === item.name));
    if (!field) throw new ValidationError(`Metadata field ${item.id ?? item.name ?? '(unnamed)'} does not exist in this dataset.`);
    return { field, value: checkValue(field, item.value) };
  });
}

async function writeDocumentMetadata(tx: Tx, viewer: Viewer, datasetId: string, document: { id: string; docMetadata: unknown }, values: Awaited<ReturnType<typeof resolveValues>>, partial: boolean, withBuiltIns: JsonObject | null) {
  const next: JsonObject = partial ? asObject(document.docMetadata) : {};
  for (const { field, value } of values) next[field.name] = value;
  if (withBuiltIns) Object.assign(next, withBuiltIns);
  await tx.document.update({ where: { id: document.id }, data: { docMetadata: next } });
  if (!partial) await tx.metadataBinding.deleteMany({ where: { documentId: document.id } });
  for (const { field } of values) {
    await tx.metadataBinding.upsert({
      where: { metadataId_documentId: { metadataId: field.id, documentId: document.id } },
      create: { metadataId: field.id, documentId: document.id, createdBy: viewer.accountId },
      update: {},
    });
  }
}

export async function setDocumentsMetadata(prisma: Prisma, viewer: Viewer, datasetId: string, operations: DocumentMetadataOperation[]) {
  const dataset = await getDatasetForApi(prisma, viewer, datasetId);
  await prisma.$transaction(async (tx) => {
    for (const op of operations) {
      const document = await tx.document.findFirst({ where: { id: op.documentId, datasetId } });
      if (!document) throw new ValidationError('Document not found.');
      const values = await resolveValues(tx, datasetId, op.metadataList);
      const builtIns = dataset.builtInFieldEnabled ? ((await builtInValues(tx, document)) as JsonObject) : null;
      await writeDocumentMetadata(tx, viewer, datasetId, document, values, op.partialUpdate === true, builtIns);
    }
  });
}

/** `doc_metadata` given when a document is created: a list of {id|name, value} or an object {name: value}. */
export async function applyMetadataOnCreate(tx: Tx, viewer: Viewer, datasetId: string, document: { id: string; docMetadata: unknown }, raw: unknown) {
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const shapeError = 'doc_metadata must be a list of {id or name, value} objects or an object of {name: value}.';
  if (!Array.isArray(raw) && !isObject(raw)) throw new ValidationError(shapeError, [{ path: ['docMetadata'], message: shapeError }]);
  const list: MetadataValueInput[] = Array.isArray(raw)
    ? raw.map((item, i) => {
        if (!isObject(item)) throw new ValidationError(shapeError, [{ path: ['docMetadata', String(i)], message: shapeError }]);
        return item as MetadataValueInput;
      })
    : Object.entries(asObject(raw)).map(([name, value]) => ({ name, value }));
  if (list.length === 0) return;
  const values = await resolveValues(tx, datasetId, list);
  await writeDocumentMetadata(tx, viewer, datasetId, document, values, true, null);
}

/** Fields with the number of documents bound to each. */
export async function listMetadataFields(prisma: Prisma, datasetId: string) {
  const fields = await prisma.metadataField.findMany({
    where: { datasetId },
    orderBy: { createdAt: 'asc' },
    include: { _count: { select: { bindings: true } } },
  });
  return fields.map((f) => ({ id: f.id, name: f.name, type: f.type, count: f._count.bindings }));
}
