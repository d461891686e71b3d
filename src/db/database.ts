import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { type EmbeddedDatabase, openEmbeddedDatabase } from './embedded/embedded-database.ts';
import { BACKGROUND_SUFFIX } from './embedded/wire-server.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { startupOptions } from './session-settings.ts';
import { statementName } from './statement-names.ts';

/**
 * Stored file bytes are read only where they are served or parsed (`omit: { data: false }` there), never with a list
 * or a detail query: a page of documents would otherwise carry every file it was made from.
 */
const CLIENT_OPTIONS = {
  omit: { uploadFile: { data: true } },
  // Prisma's defaults (2 s to get a connection for a transaction, 5 s to finish it) turned a burst of writes on a
  // busy machine into 500s: transactions now queue for their connection and are given time to finish.
  transactionOptions: { maxWait: 15_000, timeout: 30_000 },
} as const;

export type Prisma = PrismaClient<never, (typeof CLIENT_OPTIONS)["omit"]>;

/**
 * One database, whichever engine: the Prisma client plus what Prisma cannot do (multi-statement SQL, locks). Both
 * engines are reached the same way, through node-postgres: a PostgreSQL server, or the embedded PGlite that this or
 * another process serves on a Unix socket.
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** node-postgres connection string (a Unix socket for the embedded database). */
  readonly url: string;
  readonly prisma: Prisma;
  /**
   * One statement with parameters, straight through node-postgres on Prisma's own pool: for the hot read paths
   * (searches), where Prisma's raw-query runtime cost more CPU than the statement. Values come back as node-postgres
   * parses them (int8 and numeric as strings).
   */
  query<R extends object>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements, without parameters. */
  exec(sql: string): Promise<void>;
  /**
   * Runs `work` while holding a cluster-wide advisory lock. On the embedded database every client shares one session,
   * where session locks do not exclude each other: there callers that need exclusion use a transaction instead (it
   * holds the one session until it ends), as migrations do.
   */
  withAdvisoryLock<T>(key: number, work: () => Promise<T>): Promise<T>;
  /** Called when the database goes away for good (the embedded database thread died). */
  onFailure(listener: (reason: string) => void): void;
  /**
   * The same database through connections of its own for bulk work (indexing): on the embedded engine, whose one
   * session serves everyone in turn, their statements give way to those of requests. Closing it leaves this one open.
   */
  forBackgroundWork(): Database;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL of a real PostgreSQL with pgvector; when absent, PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite data directory, or `memory://` for a throwaway database. */
  dataDir: string;
  /** Connections this process opens (Prisma's pool). */
  poolSize?: number;
  /** How long to wait for another process that holds `dataDir` and is still starting. */
  ownerWaitMs?: number;
  onWarning?(context: string, message: string): void;
  /** Embedded engine: statements that held its session at least `slowStatementMs` are reported. */
  onSlowStatement?(ms: number, statement: string): void;
  slowStatementMs?: number;
  /** Embedded engine: free space below which it will not start and turns read-only while running. */
  minFreeBytes?: number;
  onStorage?(state: 'full' | 'ok', freeBytes: number): void;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return connect('postgres', options.databaseUrl, options.poolSize, null, true);
  const embedded = await openEmbeddedDatabase(options.dataDir, {
    onWarning: options.onWarning,
    onSlowStatement: options.onSlowStatement,
    slowStatementMs: options.slowStatementMs,
    minFreeBytes: options.minFreeBytes,
    onStorage: options.onStorage,
    ownerStartTimeoutMs: options.ownerWaitMs,
  });
  try {
    return await connect('pglite', embedded.url, options.poolSize, embedded, true);
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

/**
 * The database another part of this process already opened (`url` and `kind` of its `Database`), through connections
 * of this thread's own: for a worker thread. Closing it leaves the database open for its owner.
 */
export function attachDatabase(target: Pick<Database, 'kind' | 'url'>, poolSize?: number): Database {
  return connect(target.kind, target.url, poolSize, null, false);
}

const withApplicationName = (connectionString: string, name: string) => {
  const url = new URL(connectionString);
  url.searchParams.set('application_name', name);
  return url.toString();
};

function connect(
  kind: Database['kind'],
  connectionString: string,
  poolSize: number | undefined,
  embedded: EmbeddedDatabase | null,
  ownsEmbedded: boolean,
  prepared = false,
): Database {
  // The embedded engine ignores start-up options: its host sets them on its one session instead. Prepared statements
  // are planned for their parameters every time, as unnamed ones are: a generic plan cannot see how many rows an
  // array parameter holds, and one chosen for the full-text write made it slower.
  const options =
    kind === 'postgres' ? `${startupOptions()}${prepared ? ' -c plan_cache_mode=force_custom_plan' : ''}` : undefined;
  const pool = new pg.Pool({ connectionString, max: poolSize ?? 10, options });
  // An idle connection the server ends (a restart, a dropped database) is an 'error' event: without a listener it
  // would crash the process. Prisma's adapter listens only while it is connected; the next query reconnects.
  pool.on('error', () => {});
  const prisma: Prisma = new PrismaClient({
    ...CLIENT_OPTIONS,
    adapter: new PrismaPg(
      pool,
      // The adapter's type asks for a name every time; undefined leaves a statement unnamed (pg.Client#query's `name`).
      prepared ? { statementNameGenerator: statementName as (query: { sql: string; args: unknown[] }) => string } : undefined,
    ),
  });
  const withClient = async <T>(work: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    kind,
    url: connectionString,
    prisma,
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    exec: (sql) => withClient(async (client) => void (await client.query(sql))),
    withAdvisoryLock: (key, work) =>
      kind === 'pglite'
        ? work()
        : withClient(async (client) => {
            await client.query('SELECT pg_advisory_lock($1)', [key]);
            try {
              return await work();
            } finally {
              await client.query('SELECT pg_advisory_unlock($1)', [key]);
            }
          }),
    onFailure: (listener) => embedded?.onFailure(listener),
    forBackgroundWork: () =>
      // Indexing repeats a few statements for every document: on PostgreSQL, prepared once per connection
      // (statement-names.ts). The embedded engine's one session cannot be told to plan them afresh for one client.
      connect(kind, withApplicationName(connectionString, `knowledge-gateway${BACKGROUND_SUFFIX}`), poolSize, embedded, false, kind === 'postgres'),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
      if (ownsEmbedded) await embedded?.close();
    },
  };
}
