import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('REST tags, models, external knowledge API, download-zip', () => {
  let server: TestServer;
  let key: string;
  let datasetId: string;

  const waitCompleted = async (batch: string) => {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      const s = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${batch}/indexing-status`, { key });
      if (s.body.data.every((d: { indexing_status: string }) => d.indexing_status === 'completed')) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('not indexed');
  };

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '100' });
    key = await server.createKey('acme');
    datasetId = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'tagged', indexing_technique: 'high_quality' } })).body.id;
  });
  afterAll(() => server.close());

  it('creates, lists, renames, binds, unbinds and deletes tags', async () => {
    const created = await server.rest('POST', '/v1/datasets/tags', { key, json: { name: 'finance' } });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id: expect.any(String), name: 'finance', type: 'knowledge', binding_count: '0' });
    const second = await server.rest('POST', '/v1/datasets/tags', { key, json: { name: 'legal' } });
    expect((await server.rest('POST', '/v1/datasets/tags', { key, json: { name: 'finance' } })).body).toEqual({
      code: 'invalid_param', message: 'Tag name already exists', status: 400,
    });
    expect((await server.rest('POST', '/v1/datasets/tags', { key, json: { name: 'x'.repeat(51) } })).status).toBe(400);
    expect((await server.rest('POST', '/v1/datasets/tags', { key, json: { name: '' } })).status).toBe(400);

    const bound = await server.rest('POST', '/v1/datasets/tags/binding', { key, json: { tag_ids: [created.body.id, second.body.id], target_id: datasetId } });
    expect(bound.body).toEqual({ result: 'success' });
    await server.rest('POST', '/v1/datasets/tags/binding', { key, json: { tag_ids: [created.body.id], target_id: datasetId } });
    const list = await server.rest('GET', '/v1/datasets/tags', { key });
    expect(Array.isArray(list.body)).toBe(true);
    expect(list.body.map((t: { name: string; binding_count: string }) => [t.name, t.binding_count])).toEqual([
      ['legal', '1'],
      ['finance', '1'],
    ]);
    for (const method of ['GET', 'POST']) {
      const ofDataset = await server.rest(method, `/v1/datasets/${datasetId}/tags`, { key });
      expect(ofDataset.body.total).toBe(2);
      expect(ofDataset.body.data.map((t: { name: string }) => t.name).sort()).toEqual(['finance', 'legal']);
    }
    const filtered = await server.rest('GET', `/v1/datasets?tag_ids=${created.body.id}`, { key });
    expect(filtered.body.data.map((d: { id: string }) => d.id)).toEqual([datasetId]);
    const detail = await server.rest('GET', `/v1/datasets/${datasetId}`, { key });
    expect(detail.body.tags.map((t: { name: string }) => t.name).sort()).toEqual(['finance', 'legal']);

    const renamed = await server.rest('PATCH', '/v1/datasets/tags', { key, json: { tag_id: created.body.id, name: 'money' } });
    expect(renamed.body).toMatchObject({ id: created.body.id, name: 'money', binding_count: '1' });
    expect((await server.rest('PATCH', '/v1/datasets/tags', { key, json: { tag_id: created.body.id, name: 'money' } })).body.message).toBe('Tag name already exists');
    expect((await server.rest('PATCH', '/v1/datasets/tags', { key, json: { tag_id: '00000000-0000-0000-0000-000000000000', name: 'n' } })).body).toEqual({
      code: 'not_found', message: 'Tag not found', status: 404,
    });

    expect((await server.rest('POST', '/v1/datasets/tags/unbinding', { key, json: { tag_id: second.body.id, target_id: datasetId } })).body).toEqual({ result: 'success' });
    expect((await server.rest('POST', '/v1/datasets/tags/unbinding', { key, json: { tag_ids: [created.body.id], target_id: datasetId } })).status).toBe(200);
    expect((await server.rest('GET', `/v1/datasets/${datasetId}/tags`, { key })).body).toEqual({ data: [], total: 0 });
    expect((await server.rest('POST', '/v1/datasets/tags/binding', { key, json: { tag_ids: [], target_id: datasetId } })).body.message).toBe('Tag IDs is required.');
    expect((await server.rest('POST', '/v1/datasets/tags/binding', { key, json: { tag_ids: [created.body.id], target_id: '00000000-0000-0000-0000-000000000000' } })).status).toBe(404);

    expect((await server.rest('DELETE', '/v1/datasets/tags', { key, json: { tag_id: second.body.id } })).body).toEqual({ result: 'success' });
    expect((await server.rest('DELETE', '/v1/datasets/tags', { key, json: { tag_id: second.body.id } })).status).toBe(404);

    const other = await server.createKey('other');
    expect((await server.rest('GET', '/v1/datasets/tags', { key: other })).body).toEqual([]);
    expect((await server.rest('DELETE', '/v1/datasets/tags', { key: other, json: { tag_id: created.body.id } })).status).toBe(404);
    expect((await server.rest('POST', '/v1/datasets/tags/binding', { key: other, json: { tag_ids: [created.body.id], target_id: datasetId } })).status).toBe(404);
  });

  it('lists the configured models in Dify\'s shape', async () => {
    const embedding = await server.rest('GET', '/v1/workspaces/current/models/model-types/text-embedding', { key });
    expect(embedding.status).toBe(200);
    expect(embedding.body.data[0]).toMatchObject({
      provider: 'knowledge-gateway',
      status: 'active',
      models: [
        { model: 'builtin-lexical-stem-1024', model_type: 'text-embedding', status: 'active', deprecated: false, model_properties: { dimensions: 1024 } },
        // The earlier built-in model, still there for the datasets it embedded.
        { model: 'builtin-lexical-384', model_type: 'text-embedding', status: 'active', deprecated: false, model_properties: { dimensions: 384 } },
      ],
    });
    expect((await server.rest('GET', '/v1/workspaces/current/models/model-types/rerank', { key })).body).toEqual({ data: [] });
    expect((await server.rest('GET', '/v1/workspaces/current/models/model-types/images', { key })).status).toBe(400);
    expect((await server.rest('GET', '/v1/workspaces/current/models/model-types/rerank')).status).toBe(401);
  });

  it('answers Dify\'s External Knowledge API and downloads documents as a ZIP', async () => {
    const ids: string[] = [];
    for (const [name, text] of [['guide.txt', 'How to brew tea: steep leaves in hot water.'], ['guide.txt', 'duplicate']] as const) {
      const form = new FormData();
      form.append('file', new Blob([text]), name);
      form.append('data', JSON.stringify({ duplicate: false, process_rule: { mode: 'automatic' } }));
      const res = await fetch(`${server.url}/v1/datasets/${datasetId}/document/create-by-file`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: form });
      const body = (await res.json()) as { document: { id: string }; batch: string };
      ids.push(body.document.id);
      await waitCompleted(body.batch);
    }
    const external = await fetch(`${server.url}/v1/retrieval`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ knowledge_id: datasetId, query: 'brew tea', retrieval_setting: { top_k: 2, score_threshold: 0 } }),
    });
    const records = ((await external.json()) as { records: Array<{ content: string; score: number; title: string; metadata: Record<string, unknown> }> }).records;
    expect(records[0]).toMatchObject({ content: 'How to brew tea: steep leaves in hot water.', title: 'guide.txt', metadata: { document_id: ids[0] } });
    expect(records[0]?.score).toBeGreaterThan(0);
    const noAuth = await fetch(`${server.url}/v1/retrieval`, { method: 'POST', body: '{}' });
    expect(noAuth.status).toBe(403);
    expect(await noAuth.json()).toMatchObject({ error_code: 1001 });
    const badKey = await fetch(`${server.url}/v1/retrieval`, { method: 'POST', headers: { Authorization: 'Bearer dataset-nope' }, body: '{}' });
    expect(await badKey.json()).toMatchObject({ error_code: 1002 });
    const missing = await fetch(`${server.url}/v1/retrieval`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
      body: JSON.stringify({ knowledge_id: '00000000-0000-0000-0000-000000000000', query: 'tea', retrieval_setting: { top_k: 1 } }),
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_code: 2001 });

    const zip = await fetch(`${server.url}/v1/datasets/${datasetId}/documents/download-zip`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ document_ids: ids }),
    });
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zip.headers.get('content-disposition')).toMatch(/^attachment; filename="[0-9a-f]{32}\.zip"$/);
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['guide (1).txt', 'guide.txt']);
    expect(new TextDecoder().decode(files['guide (1).txt'])).toBe('duplicate');
    const bad = await server.rest('POST', `/v1/datasets/${datasetId}/documents/download-zip`, { key, json: { document_ids: [ids[0], '00000000-0000-0000-0000-000000000000'] } });
    expect(bad.status).toBe(404);
  });
});
