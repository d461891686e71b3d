// The document types accepted for upload (Dify's default ETL allow-list) and the parser each one goes to.

/** What a file is parsed as; `ExtractedText.format` reports it. */
export type Format = 'pdf' | 'docx' | 'xlsx' | 'xls' | 'html' | 'markdown' | 'text' | 'csv';

/** Lower-case extensions accepted for upload (Dify's default ETL allow-list). */
export const DOCUMENT_EXTENSIONS: readonly string[] = Object.freeze([
  'txt', 'markdown', 'md', 'mdx', 'pdf', 'html', 'htm', 'xlsx', 'xls', 'docx', 'csv', 'vtt', 'properties',
]);

const BY_EXTENSION = new Map<string, { format: Format; mimeType: string }>(Object.entries({
  txt: { format: 'text', mimeType: 'text/plain' },
  vtt: { format: 'text', mimeType: 'text/vtt' },
  properties: { format: 'text', mimeType: 'text/plain' },
  markdown: { format: 'markdown', mimeType: 'text/markdown' },
  md: { format: 'markdown', mimeType: 'text/markdown' },
  mdx: { format: 'markdown', mimeType: 'text/markdown' },
  pdf: { format: 'pdf', mimeType: 'application/pdf' },
  html: { format: 'html', mimeType: 'text/html' },
  htm: { format: 'html', mimeType: 'text/html' },
  xlsx: { format: 'xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  xls: { format: 'xls', mimeType: 'application/vnd.ms-excel' },
  docx: { format: 'docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  csv: { format: 'csv', mimeType: 'text/csv' },
}));

const BY_MIME_TYPE = new Map<string, Format>(Object.entries({
  'text/plain': 'text',
  'text/vtt': 'text',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/csv': 'csv',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-excel': 'xls',
}));

const DESCRIPTIONS: Record<Format, string> = {
  pdf: 'a PDF document',
  docx: 'a Word document',
  xlsx: 'an Excel workbook',
  xls: 'an Excel 97-2003 workbook',
  html: 'an HTML page',
  markdown: 'a Markdown file',
  text: 'a text file',
  csv: 'a CSV file',
};

/** The lower-cased text after the last dot of the name, '' if none. */
export function fileExtension(filename: string): string {
  const base = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}

export const isAllowedDocumentExtension = (filename: string) => DOCUMENT_EXTENSIONS.includes(fileExtension(filename));

export const mimeTypeFor = (extension: string) =>
  BY_EXTENSION.get(extension.toLowerCase().replace(/^\./, ''))?.mimeType ?? 'application/octet-stream';

export const formatForExtension = (extension: string): Format | undefined => BY_EXTENSION.get(extension)?.format;

/** The format a declared MIME type names (parameters such as `; charset=utf-8` ignored). */
export const formatForMimeType = (mimeType: string): Format | undefined =>
  BY_MIME_TYPE.get(mimeType.split(';')[0]?.trim().toLowerCase() ?? '');

export const describeFormat = (format: Format) => DESCRIPTIONS[format];

/** Formats whose content is text (decoded before parsing) rather than a binary container. */
export const isTextFormat = (format: Format) =>
  format === 'text' || format === 'markdown' || format === 'html' || format === 'csv';
