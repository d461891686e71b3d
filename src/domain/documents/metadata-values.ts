// A document's metadata as Dify lists it: `[{id, name, type, value}]` for the dataset's fields that carry a value,
// then the built-in fields when the dataset has them enabled.
import { BUILT_IN_FIELD_ID, BUILT_IN_FIELDS } from '../metadata/built-in.ts';

interface DocumentLike {
  datasetId: string;
  docMetadata: unknown;
}

interface FieldLike {
  id: string;
  name: string;
  type: string;
}

/** The values, given the custom fields bound to the document (oldest first) and whether built-in fields are on. */
export function documentMetadataValues(document: DocumentLike, fields: FieldLike[], builtInFieldEnabled: boolean) {
  const values =
    document.docMetadata && typeof document.docMetadata === 'object' && !Array.isArray(document.docMetadata)
      ? (document.docMetadata as Record<string, unknown>)
      : {};
  const out: Array<{ id: string; name: string; type: string; value: unknown }> = fields.map((f) => ({
    id: f.id,
    name: f.name,
    type: f.type,
    value: values[f.name] ?? null,
  }));
  if (builtInFieldEnabled) {
    for (const field of BUILT_IN_FIELDS) {
      if (field.name in values) out.push({ id: BUILT_IN_FIELD_ID, name: field.name, type: field.type, value: values[field.name] });
    }
  }
  return out;
}
