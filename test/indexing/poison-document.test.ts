import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startServerProcess } from '../helpers/process.ts';

const KEY = 'dataset-PoisonPoisonPoisonPoison';

/** About 10 MB of lines: split one segment per line, the indexing thread holds far more than 64 MB. */
function largeText() {
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'];
  const lines: string[] = [];
  for (let i = 0; i < 120_000; i++) {
    lines.push(Array.from({ length: 16 }, (_, j) => words[(i * 7 + j * 3 + (i >> j)) % 10]).join(' '));
  }
  return lines.join('.\n');
}

describe('a document that kills the indexing thread', () => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let server: Awaited<ReturnType<typeof startServerProcess>>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kg-poison-'));
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      KNOWLEDGE_API_KEY: KEY,
      LOG_LEVEL: 'warn',
      INDEXING_WORKER_MEMORY_MB: '64',
      INDEXING_POLL_MS: '200',
    };
    if (process.env.TEST_DATABASE_URL) {
      database = await createTestDatabase({ migrate: false });
      await database.db.close();
      Object.assign(env, database.env);
    }
    server = await startServerProcess(env, 120_000);
  }, 180_000);
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exit;
    await database?.drop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(server.url + route, {
      method,
      headers: {
        Authorization: `Bearer ${KEY}`,
        ...(body && !(body instanceof FormData) ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };

  async function settled(datasetId: string, documentId: string) {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const { body } = await call('GET', `/v1/datasets/${datasetId}/documents/${documentId}`);
      if (body?.indexing_status === 'completed' || body?.indexing_status === 'error') return body;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`document ${documentId} did not finish indexing`);
  }

  it('fails that document naming the limit, keeps the server up, and indexes the next document', async () => {
    const dataset = await call('POST', '/v1/datasets', { name: 'poison', indexing_technique: 'high_quality' });
    expect(dataset.status, server.output()).toBe(200);
    const form = new FormData();
    form.append(
      'data',
      JSON.stringify({
        indexing_technique: 'high_quality',
        process_rule: {
          mode: 'custom',
          rules: { pre_processing_rules: [], segmentation: { separator: '\\n', max_tokens: 50 } },
        },
      }),
    );
    form.append('file', new Blob([largeText()], { type: 'text/plain' }), 'large.txt');
    const created = await call('POST', `/v1/datasets/${dataset.body.id}/document/create-by-file`, form);
    expect(created.status, server.output()).toBe(200);

    const failed = await settled(dataset.body.id, created.body.document.id);
    expect(failed.indexing_status).toBe('error');
    expect(failed.error).toContain('INDEXING_WORKER_MEMORY_MB');
    // Failed once and for all: no job is left to claim it again.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await call('GET', `/v1/datasets/${dataset.body.id}/documents/${created.body.document.id}`)).body.indexing_status).toBe('error');

    expect((await fetch(`${server.url}/healthz`)).status, server.output()).toBe(200);
    const next = await call('POST', `/v1/datasets/${dataset.body.id}/document/create-by-text`, {
      name: 'small.txt',
      text: 'A small document that a new indexing thread handles.',
      process_rule: { mode: 'automatic' },
    });
    expect(next.status, server.output()).toBe(200);
    expect((await settled(dataset.body.id, next.body.document.id)).indexing_status).toBe('completed');
  }, 240_000);
});
