import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { finished, freePort, runEntry, startServerProcess, waitForHttp } from './helpers/process.ts';

const KEY = 'dataset-AbCdEfGhIjKlMnOpQrStUvWx';

describe('npm start (src/server.ts as a process)', () => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kg-server-'));
    env = { DATA_DIR: dataDir, KNOWLEDGE_API_KEY: KEY, LOG_LEVEL: 'info' };
    if (process.env.TEST_DATABASE_URL) {
      database = await createTestDatabase({ migrate: false });
      await database.db.close();
      Object.assign(env, database.env);
    }
  });
  afterAll(async () => {
    await database?.drop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = () => startServerProcess(env);

  it('migrates, serves REST and GraphQL with KNOWLEDGE_API_KEY, and stops cleanly on SIGTERM', async () => {
    const { child, exit, url } = await start();
    const health = await (await fetch(`${url}/healthz`)).json();
    expect(health).toEqual({ status: 'ok', database: env.DATABASE_URL ? 'postgres' : 'pglite' });

    const auth = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${url}/v1/datasets`, { method: 'POST', headers: auth, body: '{"name":"Persisted"}' });
    expect(created.status).toBe(200);
    expect(created.headers.get('x-request-id')).toBeTruthy();
    const gql = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ query: '{ datasets(first: 5) { totalCount edges { node { name } } } }' }),
    });
    expect((await gql.json()).data.datasets).toEqual({ totalCount: 1, edges: [{ node: { name: 'Persisted' } }] });

    child.kill('SIGTERM');
    const result = await exit;
    expect(result.code).toBe(0);
    const logs = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; level: number; requestId?: string });
    expect(logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['knowledge-gateway listening', 'request', 'stopped']),
    );
    expect(logs.find((l) => l.msg === 'request')?.requestId).toBeTruthy();
  });

  it('keeps its data across a restart', async () => {
    const { child, exit, url } = await start();
    const list = await fetch(`${url}/v1/datasets`, { headers: { Authorization: `Bearer ${KEY}` } });
    expect((await list.json()).data.map((d: { name: string }) => d.name)).toEqual(['Persisted']);
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
  });

  it('stops, with the server, when `npm start` itself gets SIGTERM (no process left behind)', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exit = finished(npm);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    npm.kill('SIGTERM');
    await exit;
    // The server went with npm: its port is closed and, on PGlite, it released the data directory.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    if (!env.DATABASE_URL) await expect(readFile(path.join(dataDir, 'knowledge-gateway.lock'))).rejects.toThrow();
  });

  it('refuses to start on bad configuration, naming each bad variable', async () => {
    const result = await finished(
      runEntry('src/server.ts', [], { ...env, PORT: 'eighty', KNOWLEDGE_API_KEY: 'short', LOG_LEVEL: 'loud' }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT:/);
    expect(result.stderr).toMatch(/KNOWLEDGE_API_KEY: must look like a Dify dataset key/);
    expect(result.stderr).toMatch(/LOG_LEVEL:/);
    // Instances on one PostgreSQL must share the key that signs file links.
    const unsigned = await finished(
      runEntry('src/server.ts', [], { ...env, DATABASE_URL: 'postgresql://kg@127.0.0.1:1/none', SECRET_KEY: '' }),
    );
    expect(unsigned.code).toBe(2);
    expect(unsigned.stderr).toMatch(/SECRET_KEY: is required with DATABASE_URL/);
  });
});
