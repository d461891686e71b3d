// The embedded full-text engine: the `fulltext_entries` table, terms cut by the shared ICU tokenizer (so Chinese and
// Japanese words are terms) and stored as a `simple` tsvector under a GIN index; queries OR the query's terms and
// rank with ts_rank_cd, normalised to 0..1.
import type { Database } from '../../db/database.ts';
import { tokenize } from '../../indexing/text/tokenize.ts';
import type { FullTextEntry, FullTextHit, FullTextIndex } from './port.ts';

/** Terms as tsvector/tsquery lexemes: quoted, with quotes and backslashes escaped. */
const lexeme = (term: string) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

export class EmbeddedFullTextIndex implements FullTextIndex {
  readonly engine = 'embedded' as const;

  constructor(private readonly db: Database) {}

  async upsert(entries: FullTextEntry[], batchSize = 200): Promise<void> {
    for (let start = 0; start < entries.length; start += batchSize) {
      const batch = entries.slice(start, start + batchSize);
      const params: unknown[] = [];
      const values = batch.map((e) => {
        params.push(e.nodeId, e.workspaceId, e.datasetId, e.documentId, e.segmentId, e.childChunkId ?? null, e.content, tokenize(e.content).join(' '));
        const p = params.length - 8;
        return `($${p + 1}, $${p + 2}::uuid, $${p + 3}::uuid, $${p + 4}::uuid, $${p + 5}::uuid, $${p + 6}::uuid, $${p + 7}, to_tsvector('simple', $${p + 8}))`;
      });
      await this.db.prisma.$executeRawUnsafe(
        `INSERT INTO fulltext_entries (node_id, workspace_id, dataset_id, document_id, segment_id, child_chunk_id, content, terms)
         VALUES ${values.join(', ')}
         ON CONFLICT (node_id) DO UPDATE SET content = EXCLUDED.content, terms = EXCLUDED.terms,
           segment_id = EXCLUDED.segment_id, child_chunk_id = EXCLUDED.child_chunk_id`,
        ...params,
      );
    }
  }

  async deleteByNodeIds(nodeIds: string[]): Promise<void> {
    if (nodeIds.length === 0) return;
    await this.db.prisma.$executeRawUnsafe('DELETE FROM fulltext_entries WHERE node_id = ANY($1::text[])', nodeIds);
  }

  async deleteByDocument(documentId: string): Promise<void> {
    await this.db.prisma.$executeRawUnsafe('DELETE FROM fulltext_entries WHERE document_id = $1::uuid', documentId);
  }

  async deleteByDataset(datasetId: string): Promise<void> {
    await this.db.prisma.$executeRawUnsafe('DELETE FROM fulltext_entries WHERE dataset_id = $1::uuid', datasetId);
  }

  async search(datasetId: string, query: string, options: { topK: number; documentIds?: string[] }): Promise<FullTextHit[]> {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0 || options.topK <= 0) return [];
    const tsquery = terms.map(lexeme).join(' | ');
    const rows = await this.db.prisma.$queryRawUnsafe<
      { node_id: string; segment_id: string; child_chunk_id: string | null; rank: number }[]
    >(
      `SELECT node_id, segment_id, child_chunk_id, ts_rank_cd(terms, q, 0) AS rank
         FROM fulltext_entries, to_tsquery('simple', $2) AS q
        WHERE dataset_id = $1::uuid AND terms @@ q
          AND ($4::uuid[] IS NULL OR document_id = ANY($4::uuid[]))
        ORDER BY rank DESC, node_id
        LIMIT $3`,
      datasetId,
      tsquery,
      options.topK,
      options.documentIds ?? null,
    );
    return rows.map((r) => ({
      nodeId: r.node_id,
      segmentId: r.segment_id,
      childChunkId: r.child_chunk_id,
      score: Number(r.rank) / (Number(r.rank) + 1),
    }));
  }
}
