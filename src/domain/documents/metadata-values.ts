// A document's metadata as Dify lists it: `[{id, name, type, value}]` for the dataset's fields that carry a value,
// then the built-in fields when the dataset has them enabled.
import type { Prisma } from '../../db/database.ts';
import { BUILT_IN_FIELD_ID, BUILT_IN_FIELDS } from '../metadata/built-in.ts';

interface DocumentLike {
  id: string;
  datasetId: string;
  docMetadata: unknown;
}

export async function documentMetadataValues(prisma: Prisma, document: DocumentLike) {
  const values =
    document.docMetadata && typeof document.docMetadata === 'object' && !Array.isArray(document.docMetadata)
      ? (document.docMetadata as Record<string, unknown>)
      : {};
  const [fields, dataset] = await Promise.all([
    prisma.metadataField.findMany({
      where: { datasetId: document.datasetId, bindings: { some: { documentId: document.id } } },
      orderBy: { createdAt: 'asc' },
    }),
    prisma.dataset.findUnique({ where: { id: document.datasetId }, select: { builtInFieldEnabled: true } }),
  ]);
  const out: Array<{ id: string; name: string; type: string; value: unknown }> = fields.map((f) => ({
    id: f.id,
    name: f.name,
    type: f.type,
    value: values[f.name] ?? null,
  }));
  if (dataset?.builtInFieldEnabled) {
    for (const field of BUILT_IN_FIELDS) {
      if (field.name in values) out.push({ id: BUILT_IN_FIELD_ID, name: field.name, type: field.type, value: values[field.name] });
    }
  }
  return out;
}
