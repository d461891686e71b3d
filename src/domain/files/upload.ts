// Uploaded files: the checks Dify's upload service makes, and storage in the database (so that every server and
// worker process can read them).
import { createHash } from 'node:crypto';
import type { Prisma as PrismaNamespace } from '../../db/generated/prisma/client.ts';
import { fileExtension, isAllowedDocumentExtension, mimeTypeFor } from '../../indexing/parse/formats.ts';
import { FileTooLargeError, UnsupportedFileTypeError, ValidationError } from '../errors.ts';
import type { Viewer } from '../viewer.ts';

/** A file given to a mutation: fully read (the transports enforce the size limit while streaming). */
export interface FileInput {
  filename: string;
  mimeType?: string | null;
  bytes: Uint8Array;
}

export const FILE_NAME_MAX = 200;

/** Dify keeps names to 200 characters, cutting the stem so that the extension survives. */
export function truncateFileName(name: string): string {
  const chars = [...name];
  if (chars.length <= FILE_NAME_MAX) return name;
  const ext = fileExtension(name);
  if (!ext || ext.length + 1 >= FILE_NAME_MAX) return chars.slice(0, FILE_NAME_MAX).join('');
  return `${chars.slice(0, FILE_NAME_MAX - ext.length - 1).join('')}.${ext}`;
}

export function checkDocumentFile(file: FileInput, sizeLimitBytes: number) {
  if (!file.filename) throw new ValidationError('The uploaded file has no name.');
  if (/[/\\]/.test(file.filename)) throw new ValidationError('Filename contains invalid characters');
  if (!isAllowedDocumentExtension(file.filename)) throw new UnsupportedFileTypeError();
  if (file.bytes.byteLength > sizeLimitBytes) throw new FileTooLargeError(sizeLimitBytes);
}

export interface StoredFileInput {
  name: string;
  bytes: Uint8Array;
  extension: string;
  mimeType: string;
  /** Dify records a text document's size in characters, a file's in bytes. */
  size: number;
}

export function storeUploadFile(tx: PrismaNamespace.TransactionClient, viewer: Viewer, file: StoredFileInput) {
  return tx.uploadFile.create({
    data: {
      workspaceId: viewer.workspaceId,
      name: file.name,
      size: file.size,
      extension: file.extension,
      mimeType: file.mimeType,
      hash: createHash('sha3-256').update(file.bytes).digest('hex'),
      data: new Uint8Array(file.bytes),
      createdBy: viewer.accountId,
    },
    select: { id: true, name: true, size: true, extension: true, mimeType: true, createdBy: true, createdAt: true },
  });
}

/** Deletes those of `fileIds` that no document references any more (call it in the transaction that unlinked them). */
export function deleteOrphanFiles(tx: PrismaNamespace.TransactionClient, fileIds: ReadonlyArray<string | null>) {
  const ids = [...new Set(fileIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return Promise.resolve({ count: 0 });
  return tx.uploadFile.deleteMany({ where: { id: { in: ids }, documents: { none: {} } } });
}

export function documentFile(file: FileInput): StoredFileInput {
  const name = truncateFileName(file.filename);
  const extension = fileExtension(name);
  return {
    name,
    bytes: file.bytes,
    extension,
    mimeType: file.mimeType && file.mimeType !== 'application/octet-stream' ? file.mimeType : mimeTypeFor(extension),
    size: file.bytes.byteLength,
  };
}

export function textFile(name: string, text: string): StoredFileInput {
  return {
    name: truncateFileName(name),
    bytes: new TextEncoder().encode(text),
    extension: 'txt',
    mimeType: 'text/plain',
    size: [...text].length,
  };
}
