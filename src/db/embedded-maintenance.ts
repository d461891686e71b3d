// PostgreSQL's autovacuum vacuums and analyses tables after enough changes; PGlite has none. On the embedded engine
// the writers therefore run that maintenance themselves: a statement run once enough rows have changed since its last
// run (and not sooner than a minimum interval after it), never twice at once. On PostgreSQL it does nothing unless
// asked to (`postgresToo`), for maintenance autovacuum does too late.
import type { Database } from './database.ts';

export interface EmbeddedMaintenance {
  /** `rows` rows were just written or deleted; runs the statement when enough have been since its last run. */
  changed(rows: number): Promise<void>;
}

export interface EmbeddedMaintenanceOptions {
  minRows: number;
  minIntervalMs?: number;
  /** Run on PostgreSQL as well. */
  postgresToo?: boolean;
  onRun?(ms: number): void;
}

export function embeddedMaintenance(db: Database, statement: string, options: EmbeddedMaintenanceOptions): EmbeddedMaintenance {
  if (db.kind !== 'pglite' && !options.postgresToo) return { changed: async () => {} };
  const minIntervalMs = options.minIntervalMs ?? 0;
  let pending = 0;
  let last = 0;
  let running = false;
  return {
    async changed(rows) {
      pending += rows;
      if (running || pending < options.minRows || Date.now() - last < minIntervalMs) return;
      running = true;
      pending = 0;
      const started = performance.now();
      try {
        await db.prisma.$executeRawUnsafe(statement);
        options.onRun?.(performance.now() - started);
      } finally {
        last = Date.now();
        running = false;
      }
    },
  };
}
