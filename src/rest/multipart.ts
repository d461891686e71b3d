// multipart/form-data for the by-file routes, streamed through @fastify/busboy: a file part is refused as soon as it
// passes UPLOAD_FILE_SIZE_LIMIT (nothing more of it is kept), and nothing is stored until the whole request is
// accepted. Every stream in the chain has an error path: a truncated body or a client that goes away rejects the
// read (and the route), never the process.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import Busboy, { type BusboyInstance } from '@fastify/busboy';
import type { Context as HonoContext } from 'hono';
import type { FileInput } from '../domain/files/upload.ts';
import { invalidParam, RestError } from './errors.ts';
import { rejectNul } from './fields.ts';

export interface MultipartBody {
  files: Array<FileInput & { field: string }>;
  fields: Record<string, string>;
}

const MAX_FIELD_BYTES = 1024 * 1024;
const MAX_PARTS = 50;

export const fileTooLarge = (limitBytes: number) =>
  new RestError(413, 'file_too_large', `File size exceeded. The file is larger than ${Math.round(limitBytes / 1024 / 1024)} MB.`);

const noFile = () => new RestError(400, 'no_file_uploaded', 'Please upload your file.');

// As werkzeug (Dify) does: a part with a filename parameter is a file even when the name is empty, so that
// `filename=""` reaches the filename check instead of passing for a form field.
const isPartAFile = (_field: string | undefined, contentType: string | undefined, filename: string | undefined) =>
  filename !== undefined || contentType === 'application/octet-stream';

export async function readMultipart(c: HonoContext, fileSizeLimitBytes: number): Promise<MultipartBody> {
  const contentType = c.req.header('content-type') ?? '';
  // Dify reads `request.files`, which is empty for any other body: the answer is "no file", not a media-type error.
  if (!/^multipart\/form-data/i.test(contentType)) throw noFile();
  const body = c.req.raw.body;
  if (!body) throw noFile();

  let parser: BusboyInstance;
  try {
    parser = Busboy({
      headers: { 'content-type': contentType },
      limits: { fileSize: fileSizeLimitBytes, fieldSize: MAX_FIELD_BYTES, parts: MAX_PARTS },
      defCharset: 'utf8',
      isPartAFile,
    });
  } catch (error) {
    throw invalidParam(`Malformed multipart body: ${(error as Error).message}`);
  }

  const files: MultipartBody['files'] = [];
  const fields: Record<string, string> = {};
  let failure: RestError | null = null;
  let fileParts = 0;

  parser.on('file', (field, stream, filename, _encoding, mimeType) => {
    const chunks: Buffer[] = [];
    // Only one file is ever accepted (too_many_files otherwise): later ones are counted, not kept in memory.
    const keep = ++fileParts === 1;
    // Errors on a file stream are the parser's own (reported through the pipeline below).
    stream.on('error', () => {});
    stream.on('data', (chunk: Buffer) => {
      if (keep && !failure) chunks.push(chunk);
    });
    stream.on('limit', () => {
      failure ??= fileTooLarge(fileSizeLimitBytes);
      chunks.length = 0;
    });
    stream.on('end', () => {
      if (failure) return;
      files.push({ field, filename: filename ?? '', mimeType, bytes: new Uint8Array(Buffer.concat(chunks)) });
    });
  });
  parser.on('field', (name, value, _nameTruncated, valueTruncated) => {
    if (valueTruncated) failure ??= invalidParam(`The form field ${name} is too large.`);
    fields[name] = value;
  });
  parser.on('partsLimit', () => {
    failure ??= invalidParam(`A request may have at most ${MAX_PARTS} parts.`);
  });

  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), parser);
  } catch (error) {
    throw invalidParam(`Malformed multipart body: ${(error as Error).message}`);
  }
  if (failure) throw failure;
  return { files, fields };
}

/** Dify's checks on the file parts of a by-file request. */
export function singleFile(body: MultipartBody, required: boolean): FileInput | null {
  if (body.files.length > 1) throw new RestError(400, 'too_many_files', 'Only one file is allowed.');
  const file = body.files[0];
  if (!file || file.field !== 'file') {
    if (file || required) throw noFile();
    return null;
  }
  if (!file.filename) throw new RestError(400, 'filename_not_exists_error', 'The specified filename does not exist.');
  rejectNul(file.filename, 'file.filename');
  return file;
}

/** The `data` part: a JSON object, or absent. */
export function dataField(body: MultipartBody): Record<string, unknown> {
  const raw = body.fields.data;
  if (raw === undefined || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw invalidParam(`data: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidParam('data: Input should be a valid dictionary');
  }
  rejectNul(parsed, '');
  return parsed as Record<string, unknown>;
}
