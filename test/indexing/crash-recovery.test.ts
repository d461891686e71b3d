import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, openExistingDatabase, type TestDatabase } from '../helpers/database.ts';
import { embeddingServer } from '../helpers/embedding-server.ts';
import { startServerProcess } from '../helpers/process.ts';

const KEY = 'dataset-CrashCrashCrashCrashCras';

describe('a worker killed mid-document', () => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  const embeddings = embeddingServer({ hold: true });
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kg-crash-'));
    const embeddingUrl = await embeddings.listen();
    env = {
      DATA_DIR: dataDir,
      KNOWLEDGE_API_KEY: KEY,
      LOG_LEVEL: 'warn',
      EMBEDDING_BASE_URL: embeddingUrl,
      EMBEDDING_MODEL: 'crash-embed',
      EMBEDDING_DIMENSION: String(embeddings.dimension),
      EMBEDDING_BATCH_SIZE: '2',
      INDEXING_LEASE_MS: '1500',
      INDEXING_POLL_MS: '200',
    };
    if (process.env.TEST_DATABASE_URL) {
      database = await createTestDatabase({ migrate: false });
      await database.db.close();
      Object.assign(env, database.env);
    }
  });
  afterAll(async () => {
    embeddings.close();
    await database?.drop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start() {
    const { child, exit, url } = await startServerProcess(env);
    const call = async (method: string, route: string, json?: unknown) => {
      const res = await fetch(url + route, {
        method,
        headers: { Authorization: `Bearer ${KEY}`, ...(json ? { 'Content-Type': 'application/json' } : {}) },
        body: json ? JSON.stringify(json) : undefined,
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    };
    return { child, exit, call };
  }

  it('is finished after a restart, without duplicate or orphaned segments, vectors or index entries', async () => {
    const first = await start();
    const dataset = await first.call('POST', '/v1/datasets', {
      name: 'crash',
      indexing_technique: 'high_quality',
      embedding_model: 'crash-embed',
      embedding_model_provider: 'openai',
    });
    expect(dataset.status).toBe(200);
    const paragraphs = Array.from({ length: 10 }, (_, i) => `Paragraph ${i + 1} talks about topic number ${i + 1}.`);
    const created = await first.call('POST', `/v1/datasets/${dataset.body.id}/document/create-by-text`, {
      name: 'crash.txt',
      text: paragraphs.join('\n'),
      process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\n', max_tokens: 100 } } },
    });
    expect(created.status).toBe(200);

    // Wait until the worker is inside the embedding stage (its request is held), then kill the process outright.
    const deadline = Date.now() + 30_000;
    while (embeddings.requests === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(embeddings.requests).toBeGreaterThan(0);
    const status = await first.call('GET', `/v1/datasets/${dataset.body.id}/documents/${created.body.batch}/indexing-status`);
    expect(status.body.data[0].indexing_status).toBe('indexing');
    if (!database) {
      // The process about to be killed is the one that holds the embedded database.
      const lock = JSON.parse(await readFile(path.join(dataDir, 'knowledge-gateway.lock'), 'utf8')) as { pid: number };
      expect(lock.pid).toBe(first.child.pid);
    }
    first.child.kill('SIGKILL');
    const killed = await first.exit;
    expect(killed.signal).toBe('SIGKILL');
    expect(() => process.kill(first.child.pid as number, 0)).toThrow();

    embeddings.release();
    const second = await start();
    try {
      let progress: { indexing_status: string; completed_segments: number; total_segments: number } | undefined;
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        const res = await second.call('GET', `/v1/datasets/${dataset.body.id}/documents/${created.body.batch}/indexing-status`);
        progress = res.body.data[0];
        if (progress?.indexing_status === 'completed' || progress?.indexing_status === 'error') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(progress).toMatchObject({ indexing_status: 'completed', completed_segments: 10, total_segments: 10 });
    } finally {
      second.child.kill('SIGTERM');
      await second.exit;
    }

    // Count rows in the database the servers used.
    const check = await openExistingDatabase(database ? { url: env.DATABASE_URL } : { dataDir });
    try {
      const prisma = check.prisma;
      const segments = await prisma.segment.findMany({ where: { documentId: created.body.document.id }, orderBy: { position: 'asc' } });
      expect(segments.map((s) => s.content)).toEqual(paragraphs);
      expect(segments.every((s) => s.status === 'completed' && s.enabled)).toBe(true);
      expect(await prisma.segment.count()).toBe(10);
      expect(await prisma.embedding.count()).toBe(10);
      expect(await prisma.fullTextEntry.count()).toBe(10);
      expect(await prisma.indexingJob.count()).toBe(0);
    } finally {
      await check.close();
    }
  }, 180_000); // two server starts and a document: slow on a busy machine
});
