// Prisma's migration engine, run offline: the published WASM build of the schema engine over an in-memory PGlite
// shadow database. The Prisma CLI would download a native engine for the same work, which these machines cannot.
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

const require = createRequire(import.meta.url);

export const SCHEMA_PATH = path.resolve('prisma/schema.prisma');
export const MIGRATIONS_DIR = path.resolve('prisma/migrations');
/** Run on the shadow database before replaying migrations, as the first migration expects pgvector. */
const SHADOW_INIT = 'CREATE EXTENSION IF NOT EXISTS vector;';

interface WasmSchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

/** The slice of the WebAssembly API used here (the Node types this project targets do not declare it). */
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: {
    instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
  };
};

type EngineModule = {
  SchemaEngine: { new: (options: unknown, log: (line: string) => void, adapter: unknown) => Promise<WasmSchemaEngine> };
  __wbg_set_wasm: (exports: Record<string, unknown>) => void;
};

async function loadEngineModule(): Promise<EngineModule> {
  // The package imports its .wasm as an ES module, which Node 20 cannot do without a flag: instantiate it by hand.
  const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bindings = (await import(bindingsPath)) as EngineModule & Record<string, unknown>;
  const wasmBytes = await readFile(path.join(path.dirname(bindingsPath), 'schema_engine_bg.wasm'));
  const { instance } = await wasm.instantiate(wasmBytes, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bindings;
}

async function migrationList() {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []);
  const directories = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: SHADOW_INIT,
    migrationDirectories: await Promise.all(
      directories.map(async (dir) => ({
        path: dir,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok', value: await readFile(path.join(MIGRATIONS_DIR, dir, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

/**
 * The SQL that takes a database built by the migrations in prisma/migrations to the state schema.prisma describes;
 * empty when they agree.
 */
export async function diffMigrationsToSchema(): Promise<string> {
  const { SchemaEngine } = await loadEngineModule();
  const schema = { path: SCHEMA_PATH, content: await readFile(SCHEMA_PATH, 'utf8') };
  const main = new PGlite({ extensions: { vector } });
  const shadow = new PGlite({ extensions: { vector } });
  // The adapter's own shadow database lacks pgvector: hand it one that has it.
  const factory = new PrismaPGlite(main);
  const withVectorShadow = Object.assign(Object.create(factory) as PrismaPGlite, {
    connectToShadowDb: () => new PrismaPGlite(shadow).connect(),
  });
  const adapter = bindMigrationAwareSqlAdapterFactory(withVectorShadow);
  const engine = await SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, () => {}, adapter);
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await migrationList()) },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  } finally {
    engine.free();
    await Promise.all([main.close(), shadow.close()]);
  }
}
