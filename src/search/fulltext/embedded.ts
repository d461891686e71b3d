// The embedded full-text engine: Okapi BM25 over an inverted index in the database, identical on PGlite and
// PostgreSQL. `fulltext_entries` holds one row per segment or child chunk with its length in terms;
// `fulltext_postings` one row per (dataset, term, entry) with the term's frequency. A query matches entries holding
// any of its terms and ranks them by BM25 with statistics (entry count, average length, document frequencies) taken
// at query time over the dataset's enabled entries, so they are exact after inserts, updates, disables and deletes.
// Terms come from `analysis.ts` (ICU segmentation, then PostgreSQL's `english` configuration; CJK words as cut).
import type { Database } from '../../db/database.ts';
import { analysisInput, DEFAULT_TEXT_SEARCH_CONFIG, type TextSearchConfig, tsvectorSql } from './analysis.ts';
import { type HitRow, toHit } from '../hit-row.ts';
import { BM25_B, BM25_K1, bm25SearchSql } from './bm25-sql.ts';
import type { FullTextEntry, FullTextHit, FullTextIndex, FullTextSearchOptions } from './port.ts';
import type { EmbeddedMaintenance } from '../../db/embedded-maintenance.ts';
import { postingsVacuum } from './postings-vacuum.ts';

/** The last entry per node id: one INSERT … ON CONFLICT cannot touch the same row twice. */
function lastPerNode(entries: FullTextEntry[]): FullTextEntry[] {
  return [...new Map(entries.map((e) => [e.nodeId, e])).values()];
}

export interface EmbeddedFullTextOptions {
  /** Entries written per statement; default 200. */
  batchSize?: number;
  /** Text-search configuration for non-CJK words; default `english`. */
  config?: TextSearchConfig;
}

export class EmbeddedFullTextIndex implements FullTextIndex {
  readonly engine = 'embedded' as const;
  readonly answersUsableOnly = true;
  private readonly batchSize: number;
  private readonly config: TextSearchConfig;
  private readonly vacuum: EmbeddedMaintenance;

  constructor(
    private readonly db: Database,
    options: EmbeddedFullTextOptions | number = {},
  ) {
    const opts = typeof options === 'number' ? { batchSize: options } : options;
    this.batchSize = opts.batchSize ?? 200;
    this.config = opts.config ?? DEFAULT_TEXT_SEARCH_CONFIG;
    this.vacuum = postingsVacuum(db);
  }

  async upsert(entries: FullTextEntry[]): Promise<void> {
    const unique = lastPerNode(entries);
    for (let start = 0; start < unique.length; start += this.batchSize) {
      await this.write(unique.slice(start, start + this.batchSize));
    }
    await this.vacuum.changed(unique.length);
  }

  /** One batch in one transaction: the entries with their lengths, their old postings replaced by new ones. */
  private async write(batch: FullTextEntry[]): Promise<void> {
    const inputs = batch.map((e) => analysisInput(e.content));
    const vector = tsvectorSql(this.config, 'i.words', 'i.cjk');
    // One statement, not a transaction: on the embedded engine a transaction holds the database's one session until
    // it ends, and requests would wait for this thread between its statements. Postings the new text no longer has
    // are deleted, the others inserted or updated, so that no row is touched twice. Each posting carries its entry's
    // length and usable flag (what the entry's own trigger computes, from the same snapshot) for scoring.
    await this.db.prisma.$executeRawUnsafe(
      `WITH i AS (
         SELECT u.*, fulltext_segment_usable(u.segment_id) AS usable
           FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[])
                AS u(node_id, workspace_id, dataset_id, document_id, segment_id, child_chunk_id, content, words, cjk)
       ),
       counted AS (
         SELECT i.node_id, i.dataset_id, i.usable, t.lexeme AS term,
                coalesce(array_length(t.positions, 1), 1) AS tf
           FROM i, LATERAL unnest(${vector}) AS t
       ),
       lengths AS (
         SELECT c.node_id, sum(c.tf)::int AS length FROM counted c GROUP BY c.node_id
       ),
       stale AS (
         DELETE FROM fulltext_postings p USING i
          WHERE p.node_id = i.node_id
            AND NOT EXISTS (SELECT 1 FROM counted n WHERE n.node_id = p.node_id AND n.term = p.term)
       ),
       entries AS (
         INSERT INTO fulltext_entries (node_id, workspace_id, dataset_id, document_id, segment_id, child_chunk_id, content, length)
         SELECT i.node_id, i.workspace_id, i.dataset_id, i.document_id, i.segment_id, i.child_chunk_id, i.content,
                coalesce(l.length, 0)
           FROM i LEFT JOIN lengths l ON l.node_id = i.node_id
         ON CONFLICT (node_id) DO UPDATE SET workspace_id = EXCLUDED.workspace_id, dataset_id = EXCLUDED.dataset_id,
           document_id = EXCLUDED.document_id, segment_id = EXCLUDED.segment_id, child_chunk_id = EXCLUDED.child_chunk_id,
           content = EXCLUDED.content, length = EXCLUDED.length
       )
       INSERT INTO fulltext_postings (node_id, term, dataset_id, tf, length, usable)
       SELECT c.node_id, c.term, c.dataset_id, c.tf, l.length, c.usable FROM counted c JOIN lengths l ON l.node_id = c.node_id
       ON CONFLICT (node_id, term) DO UPDATE
         SET dataset_id = EXCLUDED.dataset_id, tf = EXCLUDED.tf, length = EXCLUDED.length, usable = EXCLUDED.usable`,
      batch.map((e) => e.nodeId),
      batch.map((e) => e.workspaceId),
      batch.map((e) => e.datasetId),
      batch.map((e) => e.documentId),
      batch.map((e) => e.segmentId),
      batch.map((e) => e.childChunkId ?? null),
      batch.map((e) => e.content),
      inputs.map((i) => i.words),
      inputs.map((i) => i.cjk),
    );
  }

  async deleteByNodeIds(nodeIds: string[]): Promise<void> {
    if (nodeIds.length === 0) return;
    await this.db.prisma.$executeRawUnsafe('DELETE FROM fulltext_entries WHERE node_id = ANY($1::text[])', nodeIds);
    await this.vacuum.changed(nodeIds.length);
  }

  async deleteByDocument(documentId: string): Promise<void> {
    await this.vacuum.changed(await this.db.prisma.$executeRawUnsafe('DELETE FROM fulltext_entries WHERE document_id = $1::uuid', documentId));
  }

  async deleteByDataset(datasetId: string): Promise<void> {
    await this.vacuum.changed(await this.db.prisma.$executeRawUnsafe('DELETE FROM fulltext_entries WHERE dataset_id = $1::uuid', datasetId));
  }

  async search(datasetId: string, query: string, options: FullTextSearchOptions): Promise<FullTextHit[]> {
    const input = analysisInput(query);
    if ((input.words === '' && input.cjk === '') || options.topK <= 0 || options.documentIds?.length === 0) return [];
    const rows = await this.db.query<HitRow>(
      bm25SearchSql(tsvectorSql(this.config, '$2', '$3'), { k1: BM25_K1, b: BM25_B }, { rows: options.rows }),
      [datasetId, input.words, input.cjk, Math.floor(options.topK), options.documentIds ?? null],
    );
    return rows.map((r) => toHit(r, options.rows));
  }
}
