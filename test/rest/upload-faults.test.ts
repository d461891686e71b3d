import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filePartStart, multipartHead, sendRaw, statusOf } from '../helpers/raw-http.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Aborted and truncated uploads on every by-file route (issue 8, item 1): the server answers or drops the request,
 * stays up, and stores nothing.
 */
describe('faulty uploads on the by-file routes', () => {
  let server: TestServer;
  let key: string;
  let routes: Array<[string, string]>;

  // In this process an unhandled stream error would end the server: record them instead of letting vitest do it.
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);
  const alive = async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(uncaught).toEqual([]);
  };
  const storedFiles = () => server.prisma.uploadFile.count();
  const settle = () => new Promise((r) => setTimeout(r, 150));

  beforeAll(async () => {
    process.on('uncaughtException', record);
    server = await startTestServer({ INDEXING_WORKER: 'off', UPLOAD_FILE_SIZE_LIMIT: '1' });
    key = await server.createKey('faults');
    const dataset = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'faults' } })).body.id as string;
    const created = await server.rest('POST', `/v1/datasets/${dataset}/document/create-by-text`, {
      key,
      json: { name: 'doc', text: 'some text', indexing_technique: 'economy' },
    });
    const doc = created.body.document.id as string;
    const d = `/v1/datasets/${dataset}`;
    routes = [
      ['POST', `${d}/document/create-by-file`],
      ['POST', `${d}/document/create_by_file`],
      ['POST', `${d}/documents/${doc}/update-by-file`],
      ['POST', `${d}/documents/${doc}/update_by_file`],
      ['PATCH', `${d}/documents/${doc}`],
      ['POST', `${d}/document/${doc}/create_by_file`],
    ];
  });
  afterAll(async () => {
    await server.close();
    process.off('uncaughtException', record);
  });

  it('answers 400 to a body that ends before its closing boundary, on every route', async () => {
    const before = await storedFiles();
    for (const [method, path] of routes) {
      const boundary = 'xBOUNDARYx';
      const body = `${filePartStart(boundary)}hello, this file never ends`;
      const response = await sendRaw(server.url, [multipartHead(path, key, boundary, Buffer.byteLength(body), method), body], {
        // The whole (malformed) body is sent: wait for the answer rather than half-closing, which reads as leaving.
        destroyAfterMs: 10_000,
      });
      expect(statusOf(response), `${method} ${path}: ${response}`).toBe(400);
      expect(response).toContain('"code":"invalid_param"');
      await alive();
    }
    await settle();
    expect(await storedFiles()).toBe(before);
  });

  it('survives a client that disconnects mid-upload, on every route', async () => {
    const before = await storedFiles();
    for (const [method, path] of routes) {
      const boundary = 'yBOUNDARYy';
      const part = `${filePartStart(boundary)}${'x'.repeat(4096)}`;
      await sendRaw(server.url, [multipartHead(path, key, boundary, 1_000_000, method), part], { destroyAfterMs: 50 });
      await settle();
      await alive();
    }
    expect(await storedFiles()).toBe(before);
  });

  it('survives a client that half-closes before the declared length, on every route', async () => {
    const before = await storedFiles();
    for (const [method, path] of routes) {
      const boundary = 'zBOUNDARYz';
      const part = `${filePartStart(boundary)}${'x'.repeat(100)}`;
      await sendRaw(server.url, [multipartHead(path, key, boundary, 50_000, method), part]);
      await settle();
      await alive();
    }
    expect(await storedFiles()).toBe(before);
  });

  it('survives truncated and aborted GraphQL multipart uploads too', async () => {
    const before = await storedFiles();
    const boundary = 'gqlBOUNDARY';
    const operations = JSON.stringify({
      query: 'mutation($d: ID!, $f: Upload!) { createDocumentByFile(input: { datasetId: $d, file: $f }) { __typename } }',
      variables: { d: /datasets\/([^/]+)\//.exec(routes[0]?.[1] ?? '')?.[1], f: null },
    });
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.f"]}\r\n--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="a.txt"\r\n\r\n${'x'.repeat(2048)}`;
    const request = (length: number) =>
      [`POST /graphql HTTP/1.1`, 'Host: localhost', `Authorization: Bearer ${key}`, `Content-Type: multipart/form-data; boundary=${boundary}`, 'GraphQL-Preflight: 1', `Content-Length: ${length}`, 'Connection: close', '', ''].join('\r\n');
    await sendRaw(server.url, [request(Buffer.byteLength(head)), head]);
    await sendRaw(server.url, [request(1_000_000), head], { destroyAfterMs: 50 });
    await sendRaw(server.url, [request(50_000), head]);
    await settle();
    await alive();
    expect(await storedFiles()).toBe(before);
  });

  it('answers a client that half-closes after a whole request (GET and a complete upload)', async () => {
    const get = await sendRaw(server.url, [`GET /v1/datasets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\n`]);
    expect(statusOf(get), get).toBe(200);
    const [method, path] = routes[0] as [string, string];
    const boundary = 'xHALFx';
    const body = `${filePartStart(boundary)}a whole file\r\n--${boundary}--\r\n`;
    const upload = await sendRaw(server.url, [multipartHead(path, key, boundary, Buffer.byteLength(body), method), body]);
    expect(statusOf(upload), upload).toBe(200);
    await alive();
  });

  it('still accepts a whole upload afterwards', async () => {
    const form = new FormData();
    form.append('file', new Blob(['after the faults']), 'after.txt');
    form.append('data', JSON.stringify({ indexing_technique: 'economy', process_rule: { mode: 'automatic' } }));
    const [, path] = routes[0] as [string, string];
    const res = await fetch(server.url + path, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: form });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  const send = (method: string, path: string, body: BodyInit, contentType?: string) =>
    fetch(server.url + path, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(contentType ? { 'Content-Type': contentType } : {}) },
      body,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const DATA = JSON.stringify({ indexing_technique: 'economy', process_rule: { mode: 'automatic' } });

  it('accepts a file of exactly UPLOAD_FILE_SIZE_LIMIT bytes and refuses one byte more (item 15)', async () => {
    const [method, path] = routes[0] as [string, string];
    const limit = 1024 * 1024;
    for (const [size, status] of [
      [limit, 200],
      [limit + 1, 413],
    ] as const) {
      const form = new FormData();
      form.append('file', new Blob(['y'.repeat(size)]), `exact-${size}.txt`);
      form.append('data', DATA);
      const res = await send(method, path, form);
      expect(res.status, `${size} bytes: ${JSON.stringify(res.body)}`).toBe(status);
      if (status === 413) expect(res.body).toMatchObject({ code: 'file_too_large', status: 413 });
    }
  });

  it('GraphQL uploads: a file of exactly the limit is accepted, one byte more is FileTooLarge (item 15)', async () => {
    const dataset = /datasets\/([^/]+)\//.exec(routes[0]?.[1] ?? '')?.[1] as string;
    const limit = 1024 * 1024;
    for (const [size, typename] of [
      [limit, 'CreateDocumentByFilePayload'],
      [limit + 1, 'FileTooLarge'],
    ] as const) {
      const form = new FormData();
      form.append('operations', JSON.stringify({
        query: 'mutation($i: CreateDocumentByFileInput!) { createDocumentByFile(input: $i) { __typename ... on Error { message } } }',
        variables: { i: { datasetId: dataset, file: null, processRule: { mode: 'AUTOMATIC' } } },
      }));
      form.append('map', JSON.stringify({ 0: ['variables.i.file'] }));
      form.append('0', new Blob(['z'.repeat(size)]), `gql-${size}.txt`);
      const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'GraphQL-Preflight': '1' }, body: form });
      const json = await res.json();
      expect(json.data?.createDocumentByFile?.__typename, `${size}: ${JSON.stringify(json)}`).toBe(typename);
    }
  });

  it('answers filename_not_exists_error to a file part with filename="" and a text type, on every route (item 19)', async () => {
    const boundary = 'emptyNameBoundary';
    const body = `${filePartStart(boundary, '', 'text/plain')}some text\r\n--${boundary}\r\nContent-Disposition: form-data; name="data"\r\n\r\n${DATA}\r\n--${boundary}--\r\n`;
    for (const [method, path] of routes) {
      const res = await send(method, path, body, `multipart/form-data; boundary=${boundary}`);
      expect(res, `${method} ${path}`).toEqual({
        status: 400,
        body: { code: 'filename_not_exists_error', message: 'The specified filename does not exist.', status: 400 },
      });
    }
  });

  it('answers no_file_uploaded to a create-by-file body that is not multipart (item 21)', async () => {
    for (const path of [routes[0]?.[1], routes[1]?.[1]] as string[]) {
      for (const [body, type] of [
        ['name=x&data=%7B%7D', 'application/x-www-form-urlencoded'],
        ['{"name":"x"}', 'application/json'],
        ['', undefined],
      ] as const) {
        const res = await send('POST', path, body, type);
        expect(res, `${path} ${type}`).toEqual({
          status: 400,
          body: { code: 'no_file_uploaded', message: 'Please upload your file.', status: 400 },
        });
      }
    }
  });

  it('answers 413 request_entity_too_large to a JSON body over 64 MiB, before reading it', async () => {
    const path = routes[0]?.[1].replace('create-by-file', 'create-by-text') as string;
    const head = [`POST ${path} HTTP/1.1`, 'Host: localhost', `Authorization: Bearer ${key}`, 'Content-Type: application/json', `Content-Length: ${64 * 1024 * 1024 + 1}`, 'Connection: close', '', ''].join('\r\n');
    const response = await sendRaw(server.url, [head, '{"name": "x", "text": "'], { destroyAfterMs: 2000 });
    expect(statusOf(response), response).toBe(413);
    expect(response).toContain('{"code":"request_entity_too_large","message":"The data value transmitted exceeds the capacity limit.","status":413}');
    await alive();
  });

  it('survives a JSON body cut short, and refuses a chunked one over 64 MiB with 413', async () => {
    const path = routes[0]?.[1].replace('create-by-file', 'create-by-text') as string;
    const documents = () => server.prisma.document.count();
    const before = await documents();
    const head = (length: string) =>
      [`POST ${path} HTTP/1.1`, 'Host: localhost', `Authorization: Bearer ${key}`, 'Content-Type: application/json', length, 'Connection: close', '', ''].join('\r\n');
    // 1,000 bytes announced, 20 sent, then the connection is dropped: nothing is created, and the server goes on.
    await sendRaw(server.url, [head('Content-Length: 1000'), '{"name": "cut.txt", '], { destroyAfterMs: 300 });
    await settle();
    expect(await documents()).toBe(before);
    await alive();
    // Without a length the body is counted while it streams.
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const chunks = [head('Transfer-Encoding: chunked'), ...Array.from({ length: 65 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]))];
    const response = await sendRaw(server.url, chunks, { destroyAfterMs: 3000 });
    expect(statusOf(response), response.slice(0, 300)).toBe(413);
    await alive();
  });
});
