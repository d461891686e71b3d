// Keys are remembered between requests (no round trip for a key already seen), and a revocation still takes effect
// at once: through the database's notice while the listener is up, and by not remembering anything while it is down.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { revokeApiKey } from '../../src/domain/api-keys/service.ts';
import { TEST_ENGINE } from '../helpers/database.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { statementsSentBy } from '../helpers/statements.ts';

describe('API keys remembered between requests', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off' });
  });
  afterAll(async () => {
    await server.close();
  });

  const list = (key: string) => server.rest('GET', '/v1/datasets?page=1&limit=1', { key });
  const keyLookups = async (work: () => Promise<unknown>) =>
    (await statementsSentBy(work)).statements.filter((s) => /api_keys/.test(s.text)).length;

  it('looks a key up once, then answers from memory on REST and GraphQL', async () => {
    const key = await server.createKey('cache');
    expect(await keyLookups(() => list(key))).toBe(1);
    expect(await keyLookups(() => list(key))).toBe(0);
    expect(await keyLookups(() => server.gql(key, '{ datasets(first: 1) { edges { node { id } } } }'))).toBe(0);
  });

  it('never remembers an unknown key', async () => {
    const unknown = 'dataset-AAAAAAAAAAAAAAAAAAAAAAAA';
    for (let i = 0; i < 2; i++) {
      const answer = await list(unknown);
      expect(answer.status).toBe(401);
    }
    expect(await keyLookups(() => list(unknown))).toBe(1);
  });

  it('refuses a remembered key as soon as it is revoked, on REST and GraphQL', async () => {
    const key = await server.createKey('cache');
    expect((await list(key)).status).toBe(200);
    await revokeApiKey(server.prisma, key);
    const started = performance.now();
    await vi.waitFor(async () => expect((await list(key)).status).toBe(401), { timeout: 1_000, interval: 5 });
    console.info(`revocation took effect after ${(performance.now() - started).toFixed(1)} ms`);
    expect((await server.gql(key, '{ datasets(first: 1) { edges { node { id } } } }')).status).toBe(401);
  });

  // The notice listener's backend can only be terminated on a server (the embedded engine has one backend).
  it.skipIf(TEST_ENGINE !== 'postgres')('does not miss a revocation made while the notice listener is down', async () => {
    const key = await server.createKey('cache');
    expect((await list(key)).status).toBe(200);
    expect(await keyLookups(() => list(key))).toBe(0);
    const admin = new pg.Client({ connectionString: server.database.env.DATABASE_URL });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %'`,
      );
      expect(rowCount).toBe(1);
      // The listener notices the loss at once and reconnects after 1 s: revoke in between, when no notice is heard.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await admin.query(`UPDATE api_keys SET revoked_at = now() WHERE prefix = $1`, [key.slice(0, 12)]);
      expect((await list(key)).status).toBe(401);
      // Reconnected: what was remembered before is forgotten, and new keys are remembered again.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await list(key)).status).toBe(401);
      const fresh = await server.createKey('cache');
      expect((await list(fresh)).status).toBe(200);
      expect(await keyLookups(() => list(fresh))).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
