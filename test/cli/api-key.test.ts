import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { authenticate } from '../../src/domain/api-keys/service.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { cli } from '../helpers/process.ts';

describe('CLI: api-key', () => {
  let env: Record<string, string>;
  let database: TestDatabase | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kg-cli-'));
    if (process.env.TEST_DATABASE_URL) {
      // Each CLI run opens the database itself; on PostgreSQL give it a fresh one (PGlite uses DATA_DIR).
      database = await createTestDatabase({ migrate: false });
      await database.db.close();
      env = { ...database.env, LOG_LEVEL: 'silent' } as Record<string, string>;
    } else {
      env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    }
  });
  afterAll(async () => {
    await database?.drop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Checks a key against the same database the CLI used. */
  async function viewerOf(key: string) {
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir });
    try {
      return await authenticate(db.prisma, key);
    } finally {
      await db.close();
    }
  }

  let firstKey = '';

  it('creates a key, printing only the key on stdout', async () => {
    const run = await cli(['api-key', 'create', '--workspace', 'acme'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^dataset-[A-Za-z0-9]{24}\n$/);
    expect(run.stderr).toMatch(/workspace "acme"/);
    firstKey = run.stdout.trim();
    const viewer = await viewerOf(firstKey);
    expect(viewer?.datasetScope).toBeNull();
  }, 120_000); // the first run creates the embedded database

  it('lists keys by their prefix, never the whole key', async () => {
    const second = await cli(['api-key', 'create', '--workspace', 'other'], env);
    expect(second.code).toBe(0);
    const run = await cli(['api-key', 'list', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as {
      id: string;
      prefix: string;
      workspace: string;
      revoked_at: string | null;
    }[];
    expect(rows.map((r) => r.workspace)).toEqual(['acme', 'other']);
    expect(rows[0]?.prefix).toBe(`${firstKey.slice(0, 12)}…`);
    expect(run.stdout).not.toContain(firstKey);
    const filtered = await cli(['api-key', 'list', '--workspace', 'other'], env);
    expect(filtered.stdout.trim().split('\n')).toHaveLength(1);
    expect(filtered.stdout).toContain('other');
  });

  it('refuses to restrict a key to a dataset the workspace does not have', async () => {
    const run = await cli(
      ['api-key', 'create', '--workspace', 'acme', '--dataset', '6f1c1a57-0000-4000-8000-000000000000'],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Dataset not found in workspace acme: 6f1c1a57/);
  });

  it('revokes a key by its id', async () => {
    const rows = JSON.parse((await cli(['api-key', 'list', '--json', '--workspace', 'acme'], env)).stdout) as {
      id: string;
    }[];
    const run = await cli(['api-key', 'revoke', rows[0]?.id ?? ''], env);
    expect(run.code, run.stderr).toBe(0);
    expect(await viewerOf(firstKey)).toBeNull();
    const again = await cli(['api-key', 'revoke', rows[0]?.id ?? ''], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/No active API key matches/);
  });

  it('explains bad usage and bad configuration', async () => {
    const usage = await cli(['api-key', 'create', '--workspace', ' '], env);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toMatch(/must not be empty/);
    const badConfig = await cli(['api-key', 'list'], { ...env, DATABASE_URL: 'mysql://nope' });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/DATABASE_URL: must be a postgres/);
  });
});
