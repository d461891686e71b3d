import type { Database } from './database.ts';
import type { Document, Segment } from './generated/prisma/client.ts';

/** A segment with its document, shaped as Prisma returns `segment.findUnique({ include: { document: true } })`. */
export type SegmentWithDocument = Segment & { document: Document };

// Field → column, checked against Prisma's model types: a column added to the schema fails the build until it is here.
const SEGMENT_COLUMNS = {
  id: 'id',
  workspaceId: 'workspace_id',
  datasetId: 'dataset_id',
  documentId: 'document_id',
  position: 'position',
  content: 'content',
  answer: 'answer',
  wordCount: 'word_count',
  tokens: 'tokens',
  keywords: 'keywords',
  indexNodeId: 'index_node_id',
  indexNodeHash: 'index_node_hash',
  hitCount: 'hit_count',
  enabled: 'enabled',
  disabledAt: 'disabled_at',
  disabledBy: 'disabled_by',
  status: 'status',
  createdBy: 'created_by',
  createdAt: 'created_at',
  updatedBy: 'updated_by',
  updatedAt: 'updated_at',
  indexingAt: 'indexing_at',
  completedAt: 'completed_at',
  error: 'error',
  stoppedAt: 'stopped_at',
} as const satisfies Record<keyof Segment, string>;

const DOCUMENT_COLUMNS = {
  id: 'id',
  workspaceId: 'workspace_id',
  datasetId: 'dataset_id',
  position: 'position',
  dataSourceType: 'data_source_type',
  dataSourceInfo: 'data_source_info',
  processRuleId: 'dataset_process_rule_id',
  batch: 'batch',
  name: 'name',
  createdFrom: 'created_from',
  createdBy: 'created_by',
  createdApiRequestId: 'created_api_request_id',
  createdAt: 'created_at',
  processingStartedAt: 'processing_started_at',
  fileId: 'file_id',
  wordCount: 'word_count',
  parsingCompletedAt: 'parsing_completed_at',
  cleaningCompletedAt: 'cleaning_completed_at',
  splittingCompletedAt: 'splitting_completed_at',
  tokens: 'tokens',
  indexingLatency: 'indexing_latency',
  completedAt: 'completed_at',
  isPaused: 'is_paused',
  pausedBy: 'paused_by',
  pausedAt: 'paused_at',
  error: 'error',
  stoppedAt: 'stopped_at',
  indexingStatus: 'indexing_status',
  enabled: 'enabled',
  disabledAt: 'disabled_at',
  disabledBy: 'disabled_by',
  archived: 'archived',
  archivedReason: 'archived_reason',
  archivedBy: 'archived_by',
  archivedAt: 'archived_at',
  updatedAt: 'updated_at',
  docType: 'doc_type',
  docMetadata: 'doc_metadata',
  docForm: 'doc_form',
  docLanguage: 'doc_language',
  needSummary: 'need_summary',
} as const satisfies Record<keyof Document, string>;

const SEGMENT_FIELDS = Object.entries(SEGMENT_COLUMNS);
const DOCUMENT_FIELDS = Object.entries(DOCUMENT_COLUMNS);

/**
 * The select list of a segment (table alias `s`) and its document (`d`), aliased `s_<field>` / `d_<field>`, for a
 * statement that joins `documents d ON d.id = s.document_id`. node-postgres already decodes every column as Prisma
 * would (timestamptz → Date, jsonb → value, integers and float8 → number), so only the names need mapping.
 */
export const SEGMENT_ROW_COLUMNS = [
  ...SEGMENT_FIELDS.map(([field, column]) => `s.${column} AS "s_${field}"`),
  ...DOCUMENT_FIELDS.map(([field, column]) => `d.${column} AS "d_${field}"`),
].join(', ');

/** A row selected with SEGMENT_ROW_COLUMNS, as Prisma's segment-with-document. */
export function toSegmentWithDocument(row: Record<string, unknown>): SegmentWithDocument {
  const segment: Record<string, unknown> = {};
  const document: Record<string, unknown> = {};
  for (const [field] of SEGMENT_FIELDS) segment[field] = row[`s_${field}`];
  for (const [field] of DOCUMENT_FIELDS) document[field] = row[`d_${field}`];
  segment.document = document;
  return segment as SegmentWithDocument;
}

/** Segments with their documents by id, in one statement; ids that no longer exist are absent from the map. */
export async function loadSegmentRows(query: Database['query'], ids: readonly string[]): Promise<Map<string, SegmentWithDocument>> {
  if (ids.length === 0) return new Map();
  const rows = await query<Record<string, unknown>>(
    `SELECT ${SEGMENT_ROW_COLUMNS} FROM segments s JOIN documents d ON d.id = s.document_id WHERE s.id = ANY($1::uuid[])`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((row) => [row.s_id as string, toSegmentWithDocument(row)]));
}
