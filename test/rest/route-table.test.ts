import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillRoute, ROUTE_TEMPLATES } from '../helpers/rest-routes.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const NOT_FOUND_URL =
  'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
const D = '11111111-1111-4111-8111-111111111111';
const DOC = '22222222-2222-4222-8222-222222222222';
const SEG = '33333333-3333-4333-8333-333333333333';
const CHILD = '44444444-4444-4444-8444-444444444444';
const META = '55555555-5555-4555-8555-555555555555';

/**
 * Every route of the spec's route table (§0.1) with every alias spelling: each must be routed to a handler (with a
 * key of another workspace, the answer is the handler's own 404 or 400, never the router's "URL not found" or 405).
 */
const ROUTES: Array<[string, string]> = ROUTE_TEMPLATES.map(([method, path]) => [
  method,
  fillRoute(path, { D, DOC, SEG, CHILD, META, BATCH: '20240101000000123456', ACTION: 'enable' }),
]);

describe('the Dify route table', () => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off' });
    key = await server.createKey('routes');
  });
  afterAll(() => server.close());

  it.each(ROUTES)('%s %s is routed', async (method, path) => {
    const multipart = /by[-_]file|create_by_file$/.test(path) || (method === 'PATCH' && path === `/datasets/${D}/documents/${DOC}`);
    const init: RequestInit = { method, headers: { Authorization: `Bearer ${key}` } };
    if (multipart) {
      const form = new FormData();
      form.append('file', new Blob(['x']), 'x.txt');
      init.body = form;
    } else if (method !== 'GET') {
      init.body = JSON.stringify({ name: 'x', text: 'x', query: 'x', tag_id: META, tag_ids: [META], target_id: D, segments: [{ content: 'x' }], content: 'x', type: 'string', document_ids: [DOC], operation_data: [], knowledge_id: D });
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    const res = await fetch(`${server.url}/v1${path}`, init);
    const text = await res.text();
    expect(res.status, text).not.toBe(405);
    expect(text).not.toContain(NOT_FOUND_URL);
    expect(res.status, text).toBeLessThan(500);
  });
});
