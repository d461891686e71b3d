import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Issue 8, item 11: file bytes leave `upload_files` with the last document that references them. */
describe('upload files without documents are deleted', () => {
  let server: TestServer;
  let key: string;

  const files = () => server.prisma.uploadFile.count();
  const newDataset = async (name: string) => (await server.rest('POST', '/v1/datasets', { key, json: { name } })).body.id as string;
  const byText = async (dataset: string, name: string, text: string) => {
    const res = await server.rest('POST', `/v1/datasets/${dataset}/document/create-by-text`, {
      key,
      json: { name, text, indexing_technique: 'economy' },
    });
    expect(res.status, res.text).toBe(200);
    return res.body as { document: { id: string }; batch: string };
  };
  const completed = async (dataset: string, batch: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await server.rest('GET', `/v1/datasets/${dataset}/documents/${batch}/indexing-status`, { key });
      if (res.body.data?.every((d: { indexing_status: string }) => d.indexing_status === 'completed')) return;
      if (Date.now() > deadline) throw new Error(res.text);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '100' });
    key = await server.createKey('orphans');
  });
  afterAll(() => server.close());

  it('when a same-name create replaces a document', async () => {
    const dataset = await newDataset('replace');
    const first = await byText(dataset, 'same', 'one');
    const before = await files();
    const second = await byText(dataset, 'same', 'two');
    expect(second.document.id).toBe(first.document.id);
    expect(await files()).toBe(before);
  });

  it('when a document is updated by text or by file', async () => {
    const dataset = await newDataset('update');
    const created = await byText(dataset, 'doc', 'original');
    await completed(dataset, created.batch);
    const before = await files();
    const updated = await server.rest('POST', `/v1/datasets/${dataset}/documents/${created.document.id}/update-by-text`, {
      key,
      json: { name: 'doc', text: 'changed' },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(await files()).toBe(before);
    await completed(dataset, created.batch);

    const form = new FormData();
    form.append('file', new Blob(['from a file']), 'doc.txt');
    const byFile = await fetch(`${server.url}/v1/datasets/${dataset}/documents/${created.document.id}/update-by-file`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    });
    expect(byFile.status, await byFile.clone().text()).toBe(200);
    expect(await files()).toBe(before);
  });

  it('when a dataset is deleted, leaving other datasets\' files alone', async () => {
    const kept = await newDataset('kept');
    await byText(kept, 'stays', 'stays');
    const doomed = await newDataset('doomed');
    await byText(doomed, 'a', 'a');
    await byText(doomed, 'b', 'b');
    const before = await files();
    const res = await server.rest('DELETE', `/v1/datasets/${doomed}`, { key });
    expect(res.status).toBe(204);
    expect(await files()).toBe(before - 2);
    expect(await server.prisma.uploadFile.count({ where: { name: 'stays' } })).toBe(1);
  });
});
