import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

/** Every process of one test shares it, as production instances must. */
export const TEST_SECRET_KEY = 'test-secret-key-shared-by-instances';

/** Which engine this run tests: scripts/test.sh runs the suite once per engine. */
export const TEST_ENGINE: 'pglite' | 'postgres' = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDatabase {
  db: Database;
  /** What a child process needs to open the same database. */
  env: { DATABASE_URL?: string; SECRET_KEY?: string; DATA_DIR?: string };
  drop(): Promise<void>;
}

/** A fresh, migrated database: PGlite in memory, or a new database on the PostgreSQL of TEST_DATABASE_URL. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  let db: Database;
  let env: TestDatabase['env'];
  let dropDatabase = async () => {};
  if (adminUrl) {
    const name = `kg_test_${randomBytes(6).toString('hex')}`;
    await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    env = { DATABASE_URL: url.toString(), SECRET_KEY: TEST_SECRET_KEY };
    db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: '' });
    dropDatabase = async () => {
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    };
  } else {
    env = {};
    db = await openDatabase({ dataDir: 'memory://' });
  }
  if (options.migrate !== false) await migrate(db);
  return {
    db,
    env,
    drop: async () => {
      await db.close();
      await dropDatabase();
    },
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Opens a database a child process used (its PostgreSQL URL, or its PGlite directory once the process is gone). */
export function openExistingDatabase(where: { url?: string; dataDir?: string }): Promise<Database> {
  return openDatabase(where.url ? { databaseUrl: where.url, dataDir: '' } : { dataDir: where.dataDir ?? '' });
}
