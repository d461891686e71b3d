import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachDatabase } from '../../src/db/database.ts';
import { MIGRATIONS_DIR, migrate } from '../../src/db/migrate.ts';
import { diffMigrationsToSchema } from '../../src/db/schema-engine.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const migrationNames = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(() => database.drop());

  it('apply every migration once and record them as prisma migrate deploy does', async () => {
    expect(await migrate(database.db)).toEqual(migrationNames);
    expect(await migrate(database.db)).toEqual([]);
    const rows = await database.db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      const sql = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    }
  });

  it('apply each migration once when several processes start on one database at the same moment', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    // Each connection stands for a process: on the embedded engine, the owner and the CLI on its socket.
    const others = [attachDatabase(fresh.db), attachDatabase(fresh.db), attachDatabase(fresh.db)];
    try {
      const results = await Promise.all([fresh.db, ...others].map((db) => migrate(db)));
      expect(results.flat().sort()).toEqual(migrationNames);
      const rows = await fresh.db.prisma.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM "_prisma_migrations"');
      expect(Number(rows[0]?.n)).toBe(migrationNames.length);
    } finally {
      for (const db of others) await db.close();
      await fresh.drop();
    }
  });

  it('leave a usable schema with pgvector', async () => {
    const [row] = await database.db.prisma.$queryRawUnsafe<{ extversion: string }[]>(
      "SELECT extversion FROM pg_extension WHERE extname = 'vector'",
    );
    expect(row?.extversion).toMatch(/^0\.\d+\.\d+$/);
    const workspace = await database.db.prisma.workspace.create({ data: { name: 'migrated' } });
    expect(workspace.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('roll back a failing migration and refuse to go on', async () => {
    const broken = await createTestDatabase({ migrate: false });
    try {
      const dir = await import('node:fs/promises').then(async (fs) => {
        const tmp = await fs.mkdtemp(path.join((await import('node:os')).tmpdir(), 'kg-migrations-'));
        await fs.mkdir(path.join(tmp, '20000101000000_ok'));
        await fs.writeFile(path.join(tmp, '20000101000000_ok', 'migration.sql'), 'CREATE TABLE ok_table (id int);');
        await fs.mkdir(path.join(tmp, '20000101000001_broken'));
        await fs.writeFile(
          path.join(tmp, '20000101000001_broken', 'migration.sql'),
          'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;',
        );
        return tmp;
      });
      await expect(migrate(broken.db, dir)).rejects.toThrow(/20000101000001_broken failed/);
      const tables = await broken.db.prisma.$queryRawUnsafe<{ table_name: string }[]>(
        "SELECT table_name FROM information_schema.tables WHERE table_name IN ('ok_table', 'half_done')",
      );
      expect(tables.map((t) => t.table_name)).toEqual(['ok_table']);
    } finally {
      await broken.drop();
    }
  });
});

describe('prisma/schema.prisma', () => {
  it('agrees with the migrations (run `npm run db:migration -- <name>` after changing it)', async () => {
    expect(await diffMigrationsToSchema()).toBe('');
  });
});
