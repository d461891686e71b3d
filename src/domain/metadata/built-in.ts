/** Dify's built-in metadata fields: their names are reserved, their values derived from the document. */
export const BUILT_IN_FIELDS = [
  { name: 'document_name', type: 'string' },
  { name: 'uploader', type: 'string' },
  { name: 'upload_date', type: 'time' },
  { name: 'last_update_date', type: 'time' },
  { name: 'source', type: 'string' },
] as const;

export const BUILT_IN_FIELD_ID = 'built-in';
