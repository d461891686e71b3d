// The embedded full-text engine: the `fulltext_entries` table, terms cut by the shared ICU tokenizer (so Chinese and
// Japanese words are terms) and stored as a `simple` tsvector under a GIN index; queries OR the query's terms and
// rank with ts_rank_cd, normalised to 0..1.
import type { Database } from '../../db/database.ts';
import { tokenize } from '../../indexing/text/tokenize.ts';
import type { FullTextEntry, FullTextHit, FullTextIndex, FullTextSearchOptions } from './port.ts';

/** A term as a quoted tsquery lexeme: inside quotes, `'` is doubled and `\` escaped, so no term is an operator. */
const lexeme = (term: string) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The query's distinct terms, ORed. Null when the query has no words. */
export function orQuery(query: string): string | null {
  const terms = [...new Set(tokenize(query))];
  return terms.length === 0 ? null : terms.map(lexeme).join(' | ');
}

/** The last entry per node id: one INSERT … ON CONFLICT cannot touch the same row twice. */
function lastPerNode(entries: FullTextEntry[]): FullTextEntry[] {
  return [...new Map(entries.map((e) => [e.nodeId, e])).values()];
}

const COLUMNS = 8;

export class EmbeddedFullTextIndex implements FullTextIndex {
  readonly engine = 'embedded' as const;

  constructor(
    private readonly db: Database,
    private readonly batchSize = 200,
  ) {}

  async upsert(entries: FullTextEntry[]): Promise<void> {
    const unique = lastPerNode(entries);
    for (let start = 0; start < unique.length; start += this.batchSize) {
      const batch = unique.slice(start, start + this.batchSize);
      const params: unknown[] = [];
      const values = batch.map((e) => {
        const p = params.length;
        params.push(e.nodeId, e.workspaceId, e.datasetId, e.documentId, e.segmentId, e.childChunkId ?? null, e.content, tokenize(e.content).join(' '));
        return `($${p + 1}, $${p + 2}::uuid, $${p + 3}::uuid, $${p + 4}::uuid, $${p + 5}::uuid, $${p + 6}::uuid, $${p + 7}, to_tsvector('simple', $${p + COLUMNS}))`;
      });
      await this.db.prisma.$executeRawUnsafe(
        `INSERT INTO fulltext_entries (node_id, workspace_id, dataset_id, document_id, segment_id, child_chunk_id, content, terms)
         VALUES ${values.join(', ')}
         ON CONFLICT (node_id) DO UPDATE SET workspace_id = EXCLUDED.workspace_id, dataset_id = EXCLUDED.dataset_id,
           document_id = EXCLUDED.document_id, segment_id = EXCLUDED.segment_id, child_chunk_id = EXCLUDED.child_chunk_id,
           content = EXCLUDED.content, terms = EXCLUDED.terms`,
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

  async search(datasetId: string, query: string, options: FullTextSearchOptions): Promise<FullTextHit[]> {
    const tsquery = orQuery(query);
    if (tsquery === null || options.topK <= 0 || options.documentIds?.length === 0) return [];
    // ts_rank_cd's normalisation 32 is rank / (rank + 1): 0..1 and comparable across queries, unlike dividing by
    // the best hit's rank, which would give the best of poor matches a perfect score.
    const rows = await this.db.prisma.$queryRawUnsafe<
      { node_id: string; segment_id: string; child_chunk_id: string | null; score: number }[]
    >(
      `SELECT node_id, segment_id, child_chunk_id, ts_rank_cd(terms, q, 32) AS score
         FROM fulltext_entries, to_tsquery('simple', $2) AS q
        WHERE dataset_id = $1::uuid AND terms @@ q
          AND ($4::uuid[] IS NULL OR document_id = ANY($4::uuid[]))
        ORDER BY score DESC, node_id
        LIMIT $3`,
      datasetId,
      tsquery,
      Math.floor(options.topK),
      options.documentIds ?? null,
    );
    return rows.map((r) => ({
      nodeId: r.node_id,
      segmentId: r.segment_id,
      childChunkId: r.child_chunk_id,
      score: Number(r.score),
    }));
  }
}
