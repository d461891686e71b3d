// PostgreSQL's autovacuum refreshes the planner's statistics after bulk writes; PGlite has no autovacuum, so its
// planner keeps default estimates for ever, and with them ranks a large dataset by exact vector distance (250 ms a
// query at 20,000 segments in the bench, against 5 ms through the HNSW index once analysed). On the embedded engine
// the indexing worker therefore analyses the search tables itself after enough new rows, at most once a minute,
// leaving the vector column out (its statistics are not used and are the costly part).
import type { Database } from './database.ts';

const TABLES =
  'embeddings (dataset_id, dimension, document_id, segment_id), segments (dataset_id, document_id, enabled, status), ' +
  'documents (dataset_id, enabled, archived, indexing_status), fulltext_entries (dataset_id, document_id, usable)';

export interface StatisticsRefresher {
  /** `rows` rows were just written to the search tables. */
  wrote(rows: number): Promise<void>;
}

export function statisticsRefresher(
  db: Database,
  options: { minRows?: number; minIntervalMs?: number; onRefresh?(ms: number): void } = {},
): StatisticsRefresher {
  if (db.kind !== 'pglite') return { wrote: async () => {} };
  const minRows = options.minRows ?? 1_000;
  const minIntervalMs = options.minIntervalMs ?? 60_000;
  let pending = 0;
  let last = 0;
  let running = false;
  return {
    async wrote(rows) {
      pending += rows;
      if (running || pending < minRows || Date.now() - last < minIntervalMs) return;
      running = true;
      pending = 0;
      const started = performance.now();
      try {
        await db.prisma.$executeRawUnsafe(`ANALYZE ${TABLES}`);
        options.onRefresh?.(performance.now() - started);
      } finally {
        last = Date.now();
        running = false;
      }
    },
  };
}
