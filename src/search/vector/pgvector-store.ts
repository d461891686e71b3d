import pgvector from 'pgvector';
import type { Database } from '../../db/database.ts';
import { SEGMENT_ROW_COLUMNS, type SegmentWithDocument } from '../../db/segment-rows.ts';
import { type HitRow, toHit } from '../hit-row.ts';
import type { FullTextEntry } from '../fulltext/port.ts';

/** HNSW over the `vector` type indexes at most 2,000 dimensions (pgvector's limit). */
export const MAX_INDEXED_DIMENSION = 2000;
/** Advisory lock keys for index creation: one per dimension, offset away from the migration lock. */
const INDEX_LOCK_BASE = 0x6b670000;

export interface VectorRow extends Omit<FullTextEntry, 'content'> {
  model: string;
  vector: number[];
}

export interface VectorHit {
  nodeId: string;
  segmentId: string;
  childChunkId: string | null;
  /** Cosine similarity, 1 for the same direction. */
  score: number;
  /** The segment with its document, when the search was asked for rows. */
  row?: SegmentWithDocument;
}

export const hnswIndexName = (dimension: number) => `embeddings_hnsw_${dimension}`;

function checkDimension(dimension: number) {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > MAX_INDEXED_DIMENSION) {
    throw new RangeError(
      `Embedding dimension must be an integer from 1 to ${MAX_INDEXED_DIMENSION}, got ${dimension}.`,
    );
  }
}

/**
 * The top-k query for one dimension. Its `WHERE dimension = N` and `embedding::vector(N)` match the partial
 * expression index that ensureIndex creates, which is what lets PostgreSQL answer it with an HNSW scan.
 */
export function topKQuery(dimension: number) {
  checkDimension(dimension);
  return `SELECT node_id, segment_id, child_chunk_id, 1 - (embedding::vector(${dimension}) <=> $1::vector(${dimension})) AS score
            FROM embeddings
           WHERE dimension = ${dimension} AND dataset_id = $2::uuid
           ORDER BY embedding::vector(${dimension}) <=> $1::vector(${dimension})
           LIMIT $3`;
}

/**
 * Inserts or replaces the rows' vectors by node id, with array parameters through unnest (one statement however many
 * rows): nine parameters from `$first`, in the order of upsertVectorsParams; rows are written when `guard` holds. Usable as a data-modifying CTE, so that
 * the indexing pipeline writes vectors in the statement that marks their segments completed. The dimension's index
 * must exist first (ensureIndex).
 */
export function upsertVectorsSql(first: number, guard = 'true'): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO embeddings (id, node_id, workspace_id, dataset_id, document_id, segment_id, child_chunk_id, model, dimension, embedding)
         SELECT gen_random_uuid(), v.node_id, v.workspace_id, v.dataset_id, v.document_id, v.segment_id, v.child_chunk_id,
                v.model, v.dimension, v.embedding::vector
           FROM unnest(${p(0)}::text[], ${p(1)}::uuid[], ${p(2)}::uuid[], ${p(3)}::uuid[], ${p(4)}::uuid[], ${p(5)}::uuid[], ${p(6)}::text[], ${p(7)}::int[], ${p(8)}::text[])
                AS v(node_id, workspace_id, dataset_id, document_id, segment_id, child_chunk_id, model, dimension, embedding)
          WHERE ${guard}
         ON CONFLICT (node_id) DO UPDATE SET embedding = EXCLUDED.embedding, dimension = EXCLUDED.dimension,
           model = EXCLUDED.model, segment_id = EXCLUDED.segment_id, child_chunk_id = EXCLUDED.child_chunk_id`;
}

export function upsertVectorsParams(rows: VectorRow[]): unknown[] {
  return [
    rows.map((r) => r.nodeId),
    rows.map((r) => r.workspaceId),
    rows.map((r) => r.datasetId),
    rows.map((r) => r.documentId),
    rows.map((r) => r.segmentId),
    rows.map((r) => r.childChunkId ?? null),
    rows.map((r) => r.model),
    rows.map((r) => r.vector.length),
    rows.map((r) => pgvector.toSql(r.vector)),
  ];
}

/** Vectors in pgvector: one table for every dimension, with a partial HNSW index (cosine) per dimension in use. */
export class PgVectorStore {
  private readonly indexed = new Set<number>();

  constructor(private readonly db: Database) {}

  /** Which engine holds the vectors (and, with the embedded full-text engine, the text). */
  get databaseKind(): Database['kind'] {
    return this.db.kind;
  }

  async ensureIndex(dimension: number): Promise<void> {
    checkDimension(dimension);
    if (this.indexed.has(dimension)) return;
    await this.db.withAdvisoryLock(INDEX_LOCK_BASE + dimension, () =>
      this.db.exec(
        `CREATE INDEX IF NOT EXISTS ${hnswIndexName(dimension)} ON embeddings
           USING hnsw ((embedding::vector(${dimension})) vector_cosine_ops) WHERE dimension = ${dimension};`,
      ),
    );
    this.indexed.add(dimension);
  }

  /**
   * Rows written per statement. On the embedded engine an HNSW insert costs milliseconds per row, and one statement
   * holds its single session: small statements let requests through in between.
   */
  get rowsPerStatement(): number {
    return this.db.kind === 'pglite' ? 4 : 1000;
  }

  /** Inserts or replaces vectors by node id, one statement per `batchSize` rows. */
  async upsert(rows: VectorRow[], batchSize = this.rowsPerStatement): Promise<void> {
    for (const dimension of new Set(rows.map((r) => r.vector.length))) await this.ensureIndex(dimension);
    for (let start = 0; start < rows.length; start += batchSize) {
      const batch = rows.slice(start, start + batchSize);
      await this.db.prisma.$executeRawUnsafe(upsertVectorsSql(1), ...upsertVectorsParams(batch));
    }
  }

  async deleteByNodeIds(nodeIds: string[]): Promise<void> {
    if (nodeIds.length === 0) return;
    await this.db.prisma.$executeRawUnsafe('DELETE FROM embeddings WHERE node_id = ANY($1::text[])', nodeIds);
  }

  async search(datasetId: string, vector: number[], topK: number): Promise<VectorHit[]> {
    const rows = await this.db.query<HitRow>(topKQuery(vector.length), [pgvector.toSql(vector), datasetId, topK]);
    return rows.map((r) => toHit(r));
  }

  /**
   * Top-k over what retrieval may return: enabled, completed segments of enabled, unarchived, completed documents,
   * optionally only the given documents (metadata filters). pgvector's iterative index scan keeps going until k rows
   * pass those conditions, so filtering does not cut the result short. With `rows`, each hit carries its segment and
   * document, read by the same statement (the search joins them anyway): the answer needs no second round trip.
   */
  async searchUsable(
    datasetId: string,
    vector: number[],
    topK: number,
    documentIds: string[] | null,
    options: { rows?: boolean } = {},
  ): Promise<VectorHit[]> {
    const dimension = vector.length;
    checkDimension(dimension);
    // hnsw.iterative_scan is on for every session (src/db/session-settings.ts): one statement, no transaction.
    const rows = await this.db.query<HitRow>(
        `SELECT e.node_id, e.segment_id, e.child_chunk_id,
                1 - (e.embedding::vector(${dimension}) <=> $1::vector(${dimension})) AS score
                ${options.rows ? `, ${SEGMENT_ROW_COLUMNS}` : ''}
           FROM embeddings e
           JOIN segments s ON s.id = e.segment_id
           JOIN documents d ON d.id = e.document_id
          WHERE e.dimension = ${dimension} AND e.dataset_id = $2::uuid
            AND s.enabled AND s.status = 'completed'
            AND d.enabled AND NOT d.archived AND d.indexing_status = 'completed'
            AND ($4::uuid[] IS NULL OR e.document_id = ANY($4::uuid[]))
          ORDER BY e.embedding::vector(${dimension}) <=> $1::vector(${dimension})
          LIMIT $3`,
      [pgvector.toSql(vector), datasetId, topK, documentIds],
    );
    return rows.map((r) => toHit(r, options.rows)).sort((a, b) => b.score - a.score);
  }
}
