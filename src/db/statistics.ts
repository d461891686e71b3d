// The planner needs fresh statistics of the search tables right after a bulk load: without them it ranks a large dataset
// by exact vector distance instead of through the HNSW index (250 ms a query at 20,000 segments in the bench on PGlite,
// against 5 ms once analysed; on PostgreSQL 55 against 275 retrieves/s at 3,000 segments). PGlite has no autovacuum,
// and PostgreSQL's analyses a table only once 10% of it has changed, which a new dataset in a large table may take
// long to reach. So the indexing worker analyses the search tables itself after enough new rows, at most once a minute per
// worker, on both engines, leaving the vector column out (its statistics are not used and are the costly part).
import type { Database } from './database.ts';
import { type EmbeddedMaintenance, embeddedMaintenance } from './embedded-maintenance.ts';

const TABLES =
  'embeddings (dataset_id, dimension, document_id, segment_id), segments (dataset_id, document_id, enabled, status), ' +
  'documents (dataset_id, enabled, archived, indexing_status), fulltext_entries (dataset_id, document_id, usable)';

/** `changed(rows)`: rows were just written to the search tables. */
export type StatisticsRefresher = EmbeddedMaintenance;

export function statisticsRefresher(
  db: Database,
  options: { minRows?: number; minIntervalMs?: number; onRefresh?(ms: number): void } = {},
): StatisticsRefresher {
  return embeddedMaintenance(db, `ANALYZE ${TABLES}`, {
    minRows: options.minRows ?? 1_000,
    minIntervalMs: options.minIntervalMs ?? 60_000,
    postgresToo: true,
    onRun: options.onRefresh,
  });
}
