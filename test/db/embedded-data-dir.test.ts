// Several processes on one embedded data directory: the first to open it owns it (PGlite in a thread of its own,
// served on a Unix socket); the CLI and `npm run worker` connect to it while it runs, and a directory held by a
// process that does not answer is refused with a message naming that process.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE } from '../helpers/database.ts';
import { cli, finished, runEntry, startServerProcess } from '../helpers/process.ts';
import { statusLine, watchProgress } from '../helpers/progress.ts';

const KEY = 'dataset-EmbeddedEmbeddedEmbedded';
if (TEST_ENGINE !== 'pglite') process.stderr.write('[embedded-data-dir] SKIPPED on PostgreSQL: embedded data directories only\n');

describe.skipIf(TEST_ENGINE !== 'pglite')('an embedded data directory shared by several processes', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let server: Awaited<ReturnType<typeof startServerProcess>>;
  const call = async (method: string, route: string, json?: unknown, key = KEY) => {
    const response = await fetch(server.url + route, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(json ? { 'Content-Type': 'application/json' } : {}) },
      body: json ? JSON.stringify(json) : undefined,
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kg-shared-'));
    env = { DATA_DIR: dataDir, KNOWLEDGE_API_KEY: KEY, LOG_LEVEL: 'warn', INDEXING_WORKER: 'off', INDEXING_POLL_MS: '200' };
    server = await startServerProcess(env);
  });
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exit;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('names the server as the owner in a lock file', async () => {
    const lock = JSON.parse(await readFile(path.join(dataDir, 'knowledge-gateway.lock'), 'utf8'));
    expect(lock.pid).toBe(server.child.pid);
  });

  it('lets the CLI create a key while the server runs, and the server accepts it at once', async () => {
    const run = await cli(['api-key', 'create', '--workspace', 'default'], env);
    expect(run.code, run.stderr).toBe(0);
    const key = run.stdout.trim();
    expect((await call('GET', '/v1/datasets?page=1&limit=5', undefined, key)).status).toBe(200);
    const migrate = await cli(['db', 'migrate'], env);
    expect(migrate.code, migrate.stderr).toBe(0);
  });

  it('lets `npm run worker` index documents for the running server, whose subscribers see its progress', async () => {
    const dataset = await call('POST', '/v1/datasets', { name: 'shared', indexing_technique: 'high_quality' });
    expect(dataset.status).toBe(200);
    const filler = 'while the server that took the upload only answers requests and forwards the progress it hears about';
    const lines = Array.from({ length: 100 }, (_, i) => `Line ${i} of a document indexed by another process, ${filler}, ${filler}.`);
    const created = await call('POST', `/v1/datasets/${dataset.body.id}/document/create-by-text`, {
      name: 'shared.txt',
      text: lines.join('\n'),
      process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\n', max_tokens: 60 } } },
    });
    expect(created.status).toBe(200);

    const events: string[] = [];
    const done = watchProgress(server.url, KEY, dataset.body.id, created.body.document.id, (e) => {
      events.push(`${e.status}:${e.completed}`);
    });
    // Nothing indexes it until a worker process comes.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(events).toEqual(['waiting:0']);

    let worker: ChildProcess | undefined;
    try {
      worker = runEntry('src/worker.ts', [], { ...env, INDEXING_BATCH_SIZE: '50' });
      const workerExit = finished(worker);
      await Promise.race([
        done,
        workerExit.then((r) => {
          throw new Error(`worker exited (${r.code}): ${r.stderr}`);
        }),
      ]);
    } finally {
      worker?.kill('SIGTERM');
    }
    const statuses = statusLine(await done);
    // Each line splits into five segments of at most 60 tokens.
    expect(statuses.at(-1), statuses.join(' ')).toBe('completed:500');
    // Events published by the worker process, in between the first state and the last.
    expect(statuses.filter((s) => s.startsWith('indexing:')).length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a data directory held by a process that does not answer, naming it', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'kg-held-'));
    const holder = spawn('sleep', ['30']);
    try {
      await writeFile(
        path.join(other, 'knowledge-gateway.lock'),
        JSON.stringify({ pid: holder.pid, socketDir: other, startedAt: new Date().toISOString() }),
      );
      const run = await cli(['api-key', 'list'], { DATA_DIR: other, DATA_DIR_WAIT_MS: '500', LOG_LEVEL: 'silent' });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(`is held by process ${holder.pid}, which does not answer`);
    } finally {
      holder.kill();
      await rm(other, { recursive: true, force: true });
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'kg-stale-'));
    const gone = spawn('true');
    await finished(gone);
    try {
      await writeFile(
        path.join(other, 'knowledge-gateway.lock'),
        JSON.stringify({ pid: gone.pid, socketDir: other, startedAt: new Date().toISOString() }),
      );
      const run = await cli(['api-key', 'create', '--workspace', 'x'], { DATA_DIR: other, LOG_LEVEL: 'silent' });
      expect(run.code, run.stderr).toBe(0);
      await expect(readFile(path.join(other, 'knowledge-gateway.lock'))).rejects.toThrow(); // released on exit
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
