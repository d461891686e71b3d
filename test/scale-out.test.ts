// Scale-out as production runs it: two servers (INDEXING_WORKER=off) and two `npm run worker` processes on one
// database. A document uploaded through server A is indexed by a worker process while a subscriber on server B sees
// its progress; a worker killed mid-document is taken over by the other; a key revoked through the CLI is refused by
// both servers at once, and the subscriptions it had open on them end; the rate limit holds across both. On
// PostgreSQL, and on one embedded DATA_DIR (the first server owns it, the other processes connect to it).
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database } from '../src/db/database.ts';
import { createTestDatabase, openExistingDatabase, type TestDatabase } from './helpers/database.ts';
import { embeddingServer } from './helpers/embedding-server.ts';
import { cli, finished, runEntry, startServerProcess } from './helpers/process.ts';
import { statusLine, watchProgress } from './helpers/progress.ts';

const KEY = 'dataset-ScaleOutScaleOutScaleOut';
const RATE_LIMIT = 40;

describe('two servers and two workers on one database', () => {
  const embeddings = embeddingServer({ hold: false });
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  let a: Awaited<ReturnType<typeof startServerProcess>>;
  let b: Awaited<ReturnType<typeof startServerProcess>>;
  const workers: ChildProcess[] = [];
  let db: Database;

  const call = async (server: { url: string }, method: string, route: string, json?: unknown, key = KEY) => {
    const response = await fetch(server.url + route, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(json ? { 'Content-Type': 'application/json' } : {}) },
      body: json ? JSON.stringify(json) : undefined,
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };
  const startWorker = () => {
    const worker = runEntry('src/worker.ts', [], env);
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kg-scale-'));
    const embeddingUrl = await embeddings.listen();
    env = {
      DATA_DIR: dataDir,
      KNOWLEDGE_API_KEY: KEY,
      LOG_LEVEL: 'warn',
      INDEXING_WORKER: 'off',
      INDEXING_LEASE_MS: '1500',
      INDEXING_POLL_MS: '200',
      INDEXING_BATCH_SIZE: '2',
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      EMBEDDING_BASE_URL: embeddingUrl,
      EMBEDDING_MODEL: 'scale-embed',
      EMBEDDING_DIMENSION: String(embeddings.dimension),
      EMBEDDING_BATCH_SIZE: '2',
    };
    if (process.env.TEST_DATABASE_URL) {
      database = await createTestDatabase({ migrate: false });
      await database.db.close();
      Object.assign(env, database.env);
    }
    a = await startServerProcess(env);
    b = await startServerProcess(env);
    startWorker();
    startWorker();
    db = await openExistingDatabase(database ? { url: env.DATABASE_URL } : { dataDir });
  }, 240_000);
  afterAll(async () => {
    embeddings.release();
    await db?.close();
    for (const child of [...workers, b?.child, a?.child]) child?.kill('SIGTERM');
    await Promise.all([a?.exit, b?.exit]);
    embeddings.close();
    await database?.drop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  });

  it('indexes a document uploaded through A in a worker process, and B streams its progress', async () => {
    const dataset = await call(a, 'POST', '/v1/datasets', {
      name: 'scale',
      indexing_technique: 'high_quality',
      embedding_model: 'scale-embed',
      embedding_model_provider: 'openai',
    });
    expect(dataset.status).toBe(200);
    embeddings.hold();
    const lines = Array.from({ length: 12 }, (_, i) => `Line ${i + 1} of a document that two workers could index.`);
    const created = await call(a, 'POST', `/v1/datasets/${dataset.body.id}/document/create-by-text`, {
      name: 'scale.txt',
      text: lines.join('\n'),
      process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\n', max_tokens: 100 } } },
    });
    expect(created.status).toBe(200);
    const documentId = created.body.document.id as string;

    const progress = watchProgress(b.url, KEY, dataset.body.id, documentId);

    // A worker is inside the embedding stage: kill the one that holds the job, outright.
    const deadline = Date.now() + 60_000;
    let holder: string | null = null;
    while (!holder && Date.now() < deadline) {
      const [job] = await db.prisma.indexingJob.findMany({ where: { documentId, status: 'running' } });
      if (job?.lockedBy && embeddings.requests > 0) holder = job.lockedBy;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(holder).toBeTruthy();
    const victim = workers.find((w) => holder?.includes(`:${w.pid}:`));
    expect(victim).toBeDefined();
    victim?.kill('SIGKILL');
    expect((await finished(victim as ChildProcess)).signal).toBe('SIGKILL');
    embeddings.release();

    const statuses = statusLine(await progress);
    expect(statuses.at(-1)).toBe('completed:12');
    expect(statuses.some((s) => s.startsWith('indexing:'))).toBe(true);
    // The job row goes just after the last event is published.
    for (let i = 0; i < 50 && (await db.prisma.indexingJob.count({ where: { documentId } })) > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await db.prisma.indexingJob.count({ where: { documentId } })).toBe(0);
    expect(await db.prisma.segment.count({ where: { documentId } })).toBe(12);
    expect(await db.prisma.embedding.count({ where: { documentId } })).toBe(12);
  }, 180_000);

  /** A dataset-wide progress stream over SSE (it stays open until the client leaves); its whole text once it ends. */
  const openStream = async (server: { url: string }, key: string, datasetId: string) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription ($d: ID!) { indexingProgress(datasetId: $d) { documentUuid } }', variables: { d: datasetId } }),
    });
    expect(response.status).toBe(200);
    return { ended: response.text() };
  };

  it('refuses a key on both servers as soon as the CLI has revoked it, and ends its open subscriptions', async () => {
    const created = await cli(['api-key', 'create', '--workspace', 'default'], env);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect((await call(a, 'GET', '/v1/datasets?page=1&limit=1', undefined, key)).status).toBe(200);
    expect((await call(b, 'GET', '/v1/datasets?page=1&limit=1', undefined, key)).status).toBe(200);
    const dataset = await call(a, 'POST', '/v1/datasets', { name: 'revoked streams', indexing_technique: 'economy' }, key);
    const streams = [await openStream(a, key, dataset.body.id), await openStream(b, key, dataset.body.id)];
    const revoked = await cli(['api-key', 'revoke', key], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    const at = Date.now();
    const ended = Promise.all(streams.map((s) => s.ended)).then((texts) => ({ texts, after: Date.now() - at }));
    let refused: number[] = [];
    while (Date.now() - at < 1_000 && refused.length < 2) {
      refused = [
        (await call(a, 'GET', '/v1/datasets?page=1&limit=1', undefined, key)).status,
        (await call(b, 'GET', '/v1/datasets?page=1&limit=1', undefined, key)).status,
      ].filter((status) => status === 401);
    }
    expect(refused).toEqual([401, 401]);
    const tooLate = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('a stream was open 3 s after the CLI exited')), 3_000).unref());
    const { texts, after } = await Promise.race([ended, tooLate]);
    for (const text of texts) {
      expect(text).toContain('"code":"KEY_REVOKED"');
      expect(text).toContain('event: complete');
    }
    console.info(`both servers ended the key's streams ${after} ms after the CLI exited`);
    expect(after).toBeLessThan(1_000);
  }, 60_000);

  it('holds the rate limit across both servers', async () => {
    const created = await cli(['api-key', 'create', '--workspace', 'default'], env);
    const key = created.stdout.trim();
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 4; i++) {
      statuses.push((await call(i % 2 ? b : a, 'GET', '/v1/datasets?page=1&limit=1', undefined, key)).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE_LIMIT);
    expect(statuses.slice(RATE_LIMIT)).toEqual([403, 403, 403, 403]);
  }, 60_000);
});
