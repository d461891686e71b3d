// File uploads through the GraphQL multipart request spec. Over HTTP, graphql-upload-ts parses the multipart body
// (streaming, with the size and count limits) before yoga sees it; the REST layer passes files it already read. The
// `Upload` scalar accepts both and resolvers get a FileInput either way.
import { GraphQLError } from 'graphql';
import { type FileUpload, Upload } from 'graphql-upload-ts';
import { FileTooLargeError } from '../domain/errors.ts';
import type { FileInput } from '../domain/files/upload.ts';
import { builder } from './builder.ts';

export type UploadValue = FileUpload | FileInput;

const isFileInput = (value: unknown): value is FileInput =>
  typeof value === 'object' && value !== null && (value as FileInput).bytes instanceof Uint8Array;

builder.scalarType('Upload', {
  description: 'A file, sent as a part of a multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec).',
  serialize: () => {
    throw new GraphQLError('Upload is an input-only scalar.');
  },
  parseValue: (value) => {
    if (value instanceof Upload) return value.promise;
    if (isFileInput(value)) return Promise.resolve(value);
    throw new GraphQLError('Upload values come from the parts of a multipart request.');
  },
});

/** Reads an upload into memory, refusing it as soon as it passes `limitBytes`. */
export async function readUpload(value: Promise<UploadValue>, limitBytes: number): Promise<FileInput> {
  const upload = await value;
  if (isFileInput(upload)) return upload;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of upload.createReadStream()) {
      size += (chunk as Buffer).byteLength;
      if (size > limitBytes) throw new FileTooLargeError(limitBytes);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof FileTooLargeError) throw error;
    // graphql-upload-ts ends a file over `maxFileSize` with an http-errors 413 (PayloadTooLargeError), no code.
    const { code, status } = error as { code?: string; status?: number };
    if (code === 'FILE_TOO_LARGE' || status === 413) throw new FileTooLargeError(limitBytes);
    throw error;
  }
  return { filename: upload.filename, mimeType: upload.mimetype, bytes: new Uint8Array(Buffer.concat(chunks)) };
}
