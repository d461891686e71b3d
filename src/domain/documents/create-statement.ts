// A new document in one statement: its position (the dataset's counter), its process rule when it brings one, its
// stored file, the document row and its indexing job. One statement needs no transaction: no pooled connection is
// held while another creation in the same dataset goes on (24 at once exhausted the pool), and on the embedded
// engine no request waits for this one's JavaScript between statements.
import { createHash, randomUUID } from 'node:crypto';
import type { Prisma } from '../../db/database.ts';
import type { Prisma as PrismaNamespace } from '../../db/generated/prisma/client.ts';
import type { StoredFileInput } from '../files/upload.ts';
import type { Viewer } from '../viewer.ts';

type Queryable = Prisma | PrismaNamespace.TransactionClient;

/**
 * Takes the dataset's next document position, counted in its row (the row lock orders concurrent creations), and
 * marks the dataset as holding uploaded files. `$1` is the dataset id.
 */
const TAKE_POSITION = `UPDATE datasets SET last_document_position = last_document_position + 1,
         data_source_type = coalesce(data_source_type, 'upload_file')
   WHERE id = $1::uuid
  RETURNING last_document_position AS position`;

/** The next document position of the dataset (for a creation that needs a transaction). */
export async function nextDocumentPosition(db: Queryable, datasetId: string): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ position: number }[]>(TAKE_POSITION, datasetId);
  if (!row) throw new Error(`dataset ${datasetId} is gone`);
  return row.position;
}

export interface NewDocument {
  datasetId: string;
  name: string;
  createdBy: string;
  batch: string;
  docForm: string;
  docLanguage: string;
  docMetadata: object | null;
  file: StoredFileInput;
  /** A rule of the dataset to follow, or a new one to create with the document. */
  processRule: { id: string } | { mode: string; rules: object };
}

/** Inserts the document and what comes with it; answers its id. */
export async function insertDocument(prisma: Prisma, viewer: Viewer, input: NewDocument): Promise<string> {
  const documentId = randomUUID();
  const fileId = randomUUID();
  const newRule = 'mode' in input.processRule ? input.processRule : null;
  const ruleId = 'id' in input.processRule ? input.processRule.id : randomUUID();
  await prisma.$executeRawUnsafe(
    `WITH position AS (${TAKE_POSITION}),
     rule AS (
       INSERT INTO process_rules (id, dataset_id, mode, rules, created_by)
       SELECT $4::uuid, $1::uuid, $5::text, $6::jsonb, $3::uuid WHERE $5::text IS NOT NULL
     ),
     file AS (
       INSERT INTO upload_files (id, workspace_id, name, size, extension, mime_type, hash, data, created_by)
       VALUES ($7::uuid, $2::uuid, $8::text, $9::int, $10::text, $11::text, $12::text, $13::bytea, $3::uuid)
     ),
     document AS (
       INSERT INTO documents (id, workspace_id, dataset_id, position, name, created_by, data_source_type, data_source_info,
                              file_id, dataset_process_rule_id, doc_form, doc_language, created_from, batch,
                              indexing_status, doc_metadata)
       SELECT $14::uuid, $2::uuid, $1::uuid, position.position, $15::text, $16::uuid, 'upload_file',
              jsonb_build_object('upload_file_id', $7::text), $7::uuid, $4::uuid, $17::text, $18::text, 'api', $19::text, 'waiting', $20::jsonb
         FROM position
       RETURNING id
     )
     INSERT INTO indexing_jobs (id, document_id) SELECT gen_random_uuid(), document.id FROM document`,
    input.datasetId,
    viewer.workspaceId,
    viewer.accountId,
    ruleId,
    newRule?.mode ?? null,
    newRule ? JSON.stringify(newRule.rules) : null,
    fileId,
    input.file.name,
    input.file.size,
    input.file.extension,
    input.file.mimeType,
    createHash('sha3-256').update(input.file.bytes).digest('hex'),
    Buffer.from(input.file.bytes.buffer, input.file.bytes.byteOffset, input.file.bytes.byteLength),
    documentId,
    input.name,
    input.createdBy,
    input.docForm,
    input.docLanguage,
    input.batch,
    input.docMetadata === null ? null : JSON.stringify(input.docMetadata),
  );
  return documentId;
}
