import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('REST tenancy: a key sees only its own workspace', () => {
  let server: TestServer;
  let keyA: string;
  let keyB: string;
  let datasetA: { id: string; name: string };

  beforeAll(async () => {
    server = await startTestServer();
    keyA = await server.createKey('workspace-a');
    keyB = await server.createKey('workspace-b');
    datasetA = (await server.rest('POST', '/v1/datasets', { key: keyA, json: { name: 'Secret plans' } })).body;
    await server.rest('POST', '/v1/datasets', { key: keyB, json: { name: 'B public' } });
  });
  afterAll(() => server.close());

  it("does not list another workspace's datasets", async () => {
    const a = await server.rest('GET', '/v1/datasets?include_all=true', { key: keyA });
    const b = await server.rest('GET', '/v1/datasets?include_all=true', { key: keyB });
    expect(a.body.data.map((d: { name: string }) => d.name)).toEqual(['Secret plans']);
    expect(b.body.data.map((d: { name: string }) => d.name)).toEqual(['B public']);
    const search = await server.rest('GET', '/v1/datasets?keyword=Secret', { key: keyB });
    expect(search.body.total).toBe(0);
  });

  it('answers a foreign id exactly like a missing one, and changes nothing', async () => {
    const missing = await server.rest('GET', '/v1/datasets/6f1c1a57-0000-4000-8000-000000000000', { key: keyB });
    const foreign = await server.rest('GET', `/v1/datasets/${datasetA.id}`, { key: keyB });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    const patch = await server.rest('PATCH', `/v1/datasets/${datasetA.id}`, { key: keyB, json: { name: 'Pwned' } });
    expect(patch.status).toBe(404);
    expect(patch.body).toEqual(missing.body);
    const del = await server.rest('DELETE', `/v1/datasets/${datasetA.id}`, { key: keyB });
    expect(del.status).toBe(404);
    const stillThere = await server.rest('GET', `/v1/datasets/${datasetA.id}`, { key: keyA });
    expect(stillThere.body.name).toBe('Secret plans');
  });

  it('lets two workspaces use the same dataset name', async () => {
    const res = await server.rest('POST', '/v1/datasets', { key: keyB, json: { name: 'Secret plans' } });
    expect(res.status).toBe(200);
  });

  it('confines a key restricted to chosen datasets', async () => {
    const other = (await server.rest('POST', '/v1/datasets', { key: keyA, json: { name: 'Other A' } })).body;
    const narrow = await server.createKey('workspace-a', [datasetA.id]);
    const list = await server.rest('GET', '/v1/datasets?include_all=true', { key: narrow });
    expect(list.body.data.map((d: { id: string }) => d.id)).toEqual([datasetA.id]);
    expect(list.body.total).toBe(1);
    expect((await server.rest('GET', `/v1/datasets/${datasetA.id}`, { key: narrow })).status).toBe(200);
    expect((await server.rest('GET', `/v1/datasets/${other.id}`, { key: narrow })).status).toBe(404);
    const create = await server.rest('POST', '/v1/datasets', { key: narrow, json: { name: 'Sneaky' } });
    expect(create.status).toBe(403);
    expect(create.body.code).toBe('forbidden');
  });

  it('revokes a key restricted to a dataset when that dataset is deleted', async () => {
    const doomed = (await server.rest('POST', '/v1/datasets', { key: keyA, json: { name: 'Short-lived' } })).body;
    const narrow = await server.createKey('workspace-a', [doomed.id]);
    const wide = await server.createKey('workspace-a', [doomed.id, datasetA.id]);
    expect((await server.rest('DELETE', `/v1/datasets/${doomed.id}`, { key: keyA })).status).toBe(204);
    const after = await vi.waitFor(async () => {
      const answer = await server.rest('GET', '/v1/datasets', { key: narrow });
      expect(answer.status).toBe(401);
      return answer;
    }, { timeout: 1_000, interval: 20 });
    expect(after.body.message).toBe('Access token is invalid');
    const stillScoped = await server.rest('GET', '/v1/datasets?include_all=true', { key: wide });
    expect(stillScoped.body.data.map((d: { id: string }) => d.id)).toEqual([datasetA.id]);
  });
});
