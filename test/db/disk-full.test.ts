// A full disk under an embedded data directory: PostgreSQL that cannot write its WAL spins for ever, so the owner
// turns the database read-only while space is short (reads go on, writes fail), accepts writes again when space comes
// back, and refuses to start without room. Needs a small filesystem of its own: a tmpfs, which only root may mount.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeBytes } from '../../src/db/embedded/storage-watch.ts';
import { TEST_ENGINE } from '../helpers/database.ts';
import { finished, runEntry, startServerProcess } from '../helpers/process.ts';

const KEY = 'dataset-DiskFullDiskFullDiskFull';

function mountTmpfs(target: string, megabytes: number): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', target], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const mountPoint = await mkdtemp(path.join(tmpdir(), 'kg-disk-'));
const mounted = TEST_ENGINE === 'pglite' && mountTmpfs(mountPoint, 160);
if (!mounted) {
  process.stderr.write(
    `[disk-full] SKIPPED: ${TEST_ENGINE === 'pglite' ? 'cannot mount a tmpfs (needs root)' : 'embedded data directories only'}\n`,
  );
}

describe.skipIf(!mounted)('a full disk under the embedded data directory', () => {
  const dataDir = path.join(mountPoint, 'data');
  const filler = path.join(mountPoint, 'filler');
  const env = { DATA_DIR: dataDir, KNOWLEDGE_API_KEY: KEY, LOG_LEVEL: 'info', DATA_DIR_MIN_FREE_MB: '32' };
  let server: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  const call = async (method: string, route: string, json?: unknown) => {
    const response = await fetch(`${server?.url}${route}`, {
      method,
      headers: { Authorization: `Bearer ${KEY}`, ...(json ? { 'Content-Type': 'application/json' } : {}) },
      body: json ? JSON.stringify(json) : undefined,
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };
  const until = async (what: () => Promise<boolean>, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await what()) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('condition not reached');
  };

  beforeAll(async () => {
    server = await startServerProcess(env);
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exit;
    execFileSync('umount', ['-l', mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  });

  it('turns read-only while space is short, and writable again when it comes back', async () => {
    expect((await call('POST', '/v1/datasets', { name: 'before' })).status).toBe(200);
    // Leave 16 MB: below the 32 MB minimum.
    await writeFile(filler, Buffer.alloc(Math.max(0, (await freeBytes(mountPoint)) - 16 * 1024 * 1024)));
    const created = ['before'];
    let attempt = 0;
    try {
      await until(async () => {
        const name = `during-${attempt++}`;
        const response = await call('POST', '/v1/datasets', { name });
        if (response.status === 200) created.push(name);
        return response.status >= 400;
      });
      const refused = await call('POST', '/v1/datasets', { name: 'refused' });
      expect(refused.status).toBe(503);
      expect(refused.body.message).toMatch(/the disk it stores its data on is \(almost\) full/);
      const listed = await call('GET', '/v1/datasets?page=1&limit=50');
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((d: { name: string }) => d.name).sort()).toEqual([...created].sort());
      expect((await call('GET', '/healthz')).status).toBe(200);
    } finally {
      await unlink(filler);
    }
    await until(async () => (await call('POST', '/v1/datasets', { name: 'after' })).status === 200);
    const names = (await call('GET', '/v1/datasets?page=1&limit=50')).body.data.map((d: { name: string }) => d.name);
    expect(names.sort()).toEqual([...created, 'after'].sort());
  });

  it('refuses to start without room, saying so', async () => {
    server?.child.kill('SIGTERM');
    await server?.exit;
    server = undefined;
    await writeFile(filler, Buffer.alloc(Math.max(0, (await freeBytes(mountPoint)) - 16 * 1024 * 1024)));
    try {
      const result = await finished(runEntry('src/server.ts', [], { ...env, PORT: '0' }));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/has \d+ MB free, less than the 32 MB the database needs to start/);
    } finally {
      await unlink(filler);
    }
  });
});
