// The embedded engine's ranking contract, as one SQL statement: Okapi BM25 with Lucene's IDF,
//   score(q, d) = Σ_t∈q idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d| / avgdl)),  idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)),
// over the query's distinct terms, any of which is enough to match. N, avgdl and df are over the dataset's usable
// entries (segment enabled, document enabled and not archived: `fulltext_entries.usable`, kept by triggers). N and
// avgdl come from `fulltext_stats`, kept by triggers in the statements that write entries, so a query reads one row
// instead of counting the dataset; df is counted from the query terms' postings, which are scored anyway (each posting
// carries its entry's usable flag and length, kept equal to the entry's by the statement that writes it and by a
// trigger). Metadata filters (`documentIds`) restrict which entries are ranked, not the statistics. The score is
// divided by its upper bound for the query, Σ idf(t)·(k1 + 1) (a term no entry holds counting with the highest idf),
// so it lies in 0..1 and tells how much of the query's weight an entry matches: comparable across queries and usable
// with score thresholds. Entries still being indexed (segment or document not `completed`) are left out of the best
// 2·limit, as retrieval leaves them out of other engines' hits (src/domain/retrieval/service.ts).
// Parameters: $1 dataset id, $2/$3 (used by `queryVector`), $4 limit, $5 document ids or null.

import { SEGMENT_ROW_COLUMNS } from '../../db/segment-rows.ts';

/** Anserini's BEIR defaults, and the reference `npm run eval` measures against. */
export const BM25_K1 = 0.9;
export const BM25_B = 0.4;

/** With `rows`, each hit also carries its segment and document (SEGMENT_ROW_COLUMNS), joined here anyway. */
export function bm25SearchSql(queryVector: string, { k1, b }: { k1: number; b: number }, { rows = false } = {}): string {
  // Written so that every access is driven by an index whatever the planner's estimates (PGlite never ANALYZEs the
  // postings): the query terms' usable postings are one range of the scoring index, which holds every column scoring
  // reads (tf and the entry's length are copied into each posting), so it is an index-only scan once the pages are
  // all-visible; fulltext_entries, segments and documents are read by primary key for the top 2·k only. Arithmetic is in float8 (numeric
  // literals would make it numeric, several times slower per posting).
  const f = (x: number) => `${x}::float8`;
  return `
WITH q AS (
  SELECT coalesce(array_agg(DISTINCT t.lexeme), '{}') AS terms FROM unnest(${queryVector}) AS t
),
stats AS (
  SELECT coalesce(max(f.entries), 0)::float8 AS n,
         greatest(coalesce(max(f.total_length)::float8 / nullif(max(f.entries), 0), 1), 1)::float8 AS avgdl
    FROM fulltext_stats f
   WHERE f.dataset_id = $1::uuid
),
matches AS MATERIALIZED (
  SELECT p.term, p.node_id, p.tf, p.length
    FROM fulltext_postings p
   WHERE p.dataset_id = $1::uuid AND p.term = ANY((SELECT terms FROM q)::text[]) AND p.usable
),
df AS (
  SELECT term, count(*)::float8 AS df FROM matches GROUP BY term
),
idf AS (
  SELECT qt.term, ln(1 + (stats.n - coalesce(df.df, 0) + 0.5) / (coalesce(df.df, 0) + 0.5)) AS idf
    FROM unnest((SELECT terms FROM q)) AS qt(term) CROSS JOIN stats LEFT JOIN df ON df.term = qt.term
),
top AS (
  SELECT m.node_id,
         sum(idf.idf * m.tf * ${f(k1 + 1)} / (m.tf + ${f(k1)} * (1 - ${f(b)} + ${f(b)} * m.length / stats.avgdl))) AS score
    FROM matches m JOIN idf ON idf.term = m.term CROSS JOIN stats
   WHERE $5::uuid[] IS NULL OR m.node_id IN (SELECT e.node_id FROM fulltext_entries e WHERE e.document_id = ANY($5::uuid[]))
   GROUP BY m.node_id
   ORDER BY score DESC, m.node_id
   LIMIT 2 * $4
)
SELECT e.node_id, e.segment_id, e.child_chunk_id,
       (t.score / nullif((SELECT sum(idf) * ${f(k1 + 1)} FROM idf), 0))::float8 AS score${rows ? `, ${SEGMENT_ROW_COLUMNS}` : ''}
  FROM top t
  JOIN fulltext_entries e ON e.node_id = t.node_id
  JOIN segments s ON s.id = e.segment_id
  JOIN documents d ON d.id = s.document_id
 WHERE s.status = 'completed' AND d.indexing_status = 'completed'
 ORDER BY t.score DESC, t.node_id
 LIMIT $4`;
}
