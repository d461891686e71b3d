// How a stored upload file is served back through its signed link. The uploader chose the declared MIME type, so it
// is never echoed: the type comes from the stored extension, and only inert types are shown inline. Anything a
// browser could run (HTML, SVG, XML, scripts, unknown) goes out as an opaque attachment.
import { mimeTypeFor } from '../../indexing/parse/index.ts';

const INLINE_SAFE = new Set([
  'text/plain',
  'text/markdown',
  'text/csv',
  'text/vtt',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
]);

export interface ServedType {
  contentType: string;
  /** Whether the file may be shown in the browser (`inline`) or must be downloaded. */
  inline: boolean;
}

export function servedType(extension: string): ServedType {
  const type = mimeTypeFor(extension);
  return INLINE_SAFE.has(type) ? { contentType: type, inline: true } : { contentType: 'application/octet-stream', inline: false };
}

/** Headers for every file link: nothing in the file may load, run or be framed, even if a browser renders it. */
export const FILE_LINK_CSP = "default-src 'none'; sandbox";
