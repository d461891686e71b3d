import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Stored XSS through upload-file links (issue 8, item 7) and `nosniff` on every response. */
describe('file links and security headers', () => {
  let server: TestServer;
  let key: string;
  let dataset: string;

  const uploadAndLink = async (name: string, body: string, type: string) => {
    const form = new FormData();
    form.append('file', new Blob([body], { type }), name);
    form.append('data', JSON.stringify({ indexing_technique: 'economy', process_rule: { mode: 'automatic' } }));
    const created = await fetch(`${server.url}/v1/datasets/${dataset}/document/create-by-file`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    });
    const json = await created.json();
    expect(created.status, JSON.stringify(json)).toBe(200);
    const file = await server.rest('GET', `/v1/datasets/${dataset}/documents/${json.document.id}/upload-file`, { key });
    expect(file.status).toBe(200);
    return file.body as { url: string; download_url: string };
  };

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off' });
    key = await server.createKey('links');
    dataset = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'links' } })).body.id;
  });
  afterAll(() => server.close());

  it('never serves an uploaded HTML page inline as HTML', async () => {
    const link = await uploadAndLink('evil.html', '<html><script>alert(document.cookie)</script></html>', 'text/html');
    for (const url of [link.url, link.download_url]) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).not.toMatch(/html|xml|svg|javascript/i);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toContain('<script>');
    }
  });

  it('ignores the declared type of an upload and serves the type of its extension', async () => {
    for (const declared of ['image/svg+xml', 'application/xhtml+xml', 'text/html', 'application/javascript', 'text/xml']) {
      const link = await uploadAndLink(`notes-${declared.replace(/\W/g, '')}.txt`, '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', declared);
      const res = await fetch(link.url);
      expect(res.headers.get('content-type'), declared).toBe('text/plain');
      expect(res.headers.get('content-disposition')).toMatch(/^inline;/);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      const download = await fetch(link.download_url);
      expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    }
  });

  it('sends X-Content-Type-Options: nosniff on every kind of response', async () => {
    const responses = [
      await fetch(`${server.url}/healthz`),
      await fetch(`${server.url}/nowhere`),
      await fetch(`${server.url}/v1/datasets`, { headers: { Authorization: `Bearer ${key}` } }),
      await fetch(`${server.url}/v1/datasets`),
      await fetch(`${server.url}/v1/datasets`, { method: 'PUT', headers: { Authorization: `Bearer ${key}` } }),
      await fetch(`${server.url}/files/00000000-0000-4000-8000-000000000000/file-preview?sign=x`),
      await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
      await fetch(`${server.url}/graphql`, { headers: { Accept: 'text/html' } }),
    ];
    for (const res of responses) expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
  });
});
