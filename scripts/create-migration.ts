// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that
// brings the existing migrations up to prisma/schema.prisma (what `prisma migrate dev --create-only` would write).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffMigrationsToSchema, MIGRATIONS_DIR } from '../src/db/schema-engine.ts';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]+/gi, '_').toLowerCase();
if (!name) {
  console.error('usage: npm run db:migration -- <name>');
  process.exit(2);
}
const sql = await diffMigrationsToSchema();
if (!sql.trim()) {
  console.error('prisma/schema.prisma and the migrations agree: nothing to write.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, 'migration.sql'), sql);
console.error(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
