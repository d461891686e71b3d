// PostgreSQL's autovacuum refreshes the planner's statistics after bulk writes; PGlite has no autovacuum, so its
// planner keeps default estimates for ever, and with them ranks a large dataset by exact vector distance (250 ms a
// query at 20,000 segments in the bench, against 5 ms through the HNSW index once analysed). On the embedded engine
// the indexing worker therefore analyses the search tables itself after enough new rows, at most once a minute,
// leaving the vector column out (its statistics are not used and are the costly part).
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
    onRun: options.onRefresh,
  });
}
