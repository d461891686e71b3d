// multipart/form-data for the by-file routes, streamed through busboy: a file part is refused as soon as it passes
// UPLOAD_FILE_SIZE_LIMIT (nothing more of it is kept), and nothing is stored until the whole request is accepted.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import type { Context as HonoContext } from 'hono';
import type { FileInput } from '../domain/files/upload.ts';
import { invalidParam, RestError } from './errors.ts';

export interface MultipartBody {
  files: Array<FileInput & { field: string }>;
  fields: Record<string, string>;
}

const MAX_FIELD_BYTES = 1024 * 1024;
const MAX_PARTS = 50;

export const fileTooLarge = (limitBytes: number) =>
  new RestError(413, 'file_too_large', `File size exceeded. The file is larger than ${Math.round(limitBytes / 1024 / 1024)} MB.`);

export async function readMultipart(c: HonoContext, fileSizeLimitBytes: number): Promise<MultipartBody> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    throw new RestError(415, 'unsupported_media_type', "The request Content-Type must be 'multipart/form-data'.");
  }
  const body = c.req.raw.body;
  if (!body) throw new RestError(400, 'no_file_uploaded', 'Please upload your file.');

  return new Promise<MultipartBody>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { fileSize: fileSizeLimitBytes, fieldSize: MAX_FIELD_BYTES, parts: MAX_PARTS },
        defParamCharset: 'utf8',
      });
    } catch (error) {
      reject(invalidParam(`Malformed multipart body: ${(error as Error).message}`));
      return;
    }
    const files: MultipartBody['files'] = [];
    const fields: Record<string, string> = {};
    let failure: RestError | null = null;

    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!failure) chunks.push(chunk);
      });
      stream.on('limit', () => {
        failure ??= fileTooLarge(fileSizeLimitBytes);
        chunks.length = 0;
        stream.resume();
      });
      stream.on('end', () => {
        if (failure) return;
        files.push({ field, filename: info.filename ?? '', mimeType: info.mimeType, bytes: new Uint8Array(Buffer.concat(chunks)) });
      });
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) failure ??= invalidParam(`The form field ${name} is too large.`);
      fields[name] = value;
    });
    parser.on('partsLimit', () => {
      failure ??= invalidParam(`A request may have at most ${MAX_PARTS} parts.`);
    });
    parser.on('error', (error: Error) => reject(invalidParam(`Malformed multipart body: ${error.message}`)));
    parser.on('close', () => (failure ? reject(failure) : resolve({ files, fields })));
    Readable.fromWeb(body as WebReadableStream<Uint8Array>).pipe(parser);
  });
}

/** Dify's checks on the file parts of a by-file request. */
export function singleFile(body: MultipartBody, required: boolean): FileInput | null {
  if (body.files.length > 1) throw new RestError(400, 'too_many_files', 'Only one file is allowed.');
  const file = body.files[0];
  if (!file || file.field !== 'file') {
    if (file) throw new RestError(400, 'no_file_uploaded', 'Please upload your file.');
    if (required) throw new RestError(400, 'no_file_uploaded', 'Please upload your file.');
    return null;
  }
  if (!file.filename) throw new RestError(400, 'filename_not_exists_error', 'The specified filename does not exist.');
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
    throw invalidParam((error as Error).message);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidParam('The data field must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
