import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Issue 8, item 10: download-zip entries are safe base names, whatever the documents are called. */
describe('download-zip entry names', () => {
  let server: TestServer;
  let key: string;
  let dataset: string;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off' });
    key = await server.createKey('zip-names');
    dataset = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'zip' } })).body.id;
  });
  afterAll(() => server.close());

  it('strips paths, drives, control characters and dot names, and keeps names unique', async () => {
    const names = ['../../evil.sh', '/etc/cron.d/evil', 'C:\\Windows\\System32\\evil.sh', 'tab\u0001\u001fname.txt', '..', 'EVIL', 'x/..', 'a:b|c?.txt'];
    const ids: string[] = [];
    for (const name of names) {
      const res = await server.rest('POST', `/v1/datasets/${dataset}/document/create-by-text`, {
        key,
        json: { name, text: `content of ${name}`, indexing_technique: 'economy', duplicate: false },
      });
      expect(res.status, res.text).toBe(200);
      ids.push(res.body.document.id);
    }
    const zip = await fetch(`${server.url}/v1/datasets/${dataset}/documents/download-zip`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ document_ids: ids }),
    });
    expect(zip.status).toBe(200);
    const entries = Object.keys(unzipSync(new Uint8Array(await zip.arrayBuffer())));
    expect(entries).toEqual(['evil.sh', 'evil', 'evil (1).sh', 'tabname.txt', 'file', 'EVIL (1)', 'file (1)', 'a_b_c_.txt']);
    for (const entry of entries) {
      expect(entry).not.toMatch(/[/\\\u0000-\u001f]|^\.\.?$|^[A-Za-z]:/);
    }
    expect(new Set(entries.map((e) => e.toLowerCase())).size).toBe(entries.length);
  });
});
