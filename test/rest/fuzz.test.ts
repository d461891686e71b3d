import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillRoute, isByFileRoute, ROUTE_TEMPLATES, type RouteIds } from '../helpers/rest-routes.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Property: whatever the body, headers and query string, no REST route answers 5xx and the server stays up
 * (issue 8). Requests go to real ids (a dataset, document and segment that exist) and to unknown ones.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);

/** Field names Dify's routes read, so generated bodies reach past "Field required". */
const FIELDS = [
  'name', 'text', 'description', 'indexing_technique', 'permission', 'process_rule', 'rules', 'mode', 'segmentation',
  'pre_processing_rules', 'separator', 'max_tokens', 'chunk_overlap', 'doc_form', 'doc_language', 'doc_metadata',
  'retrieval_model', 'search_method', 'top_k', 'score_threshold', 'score_threshold_enabled', 'reranking_enable',
  'metadata_filtering_conditions', 'conditions', 'logical_operator', 'comparison_operator', 'value', 'query',
  'document_ids', 'operation_data', 'document_id', 'metadata_list', 'partial_update', 'segments', 'segment', 'content',
  'answer', 'keywords', 'enabled', 'tag_id', 'tag_ids', 'target_id', 'type', 'id', 'knowledge_id', 'retrieval_setting',
  'metadata_condition', 'embedding_model', 'embedding_model_provider', 'original_document_id', 'duplicate',
];

const nasty = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '../../etc/passwd', 'C:\\x', '%00', '{}', 'null', 'NaN', '💥', '\ud800', 'x'.repeat(3000)),
  fc.constantFrom(-1, 0, 1, 2 ** 31, -(2 ** 53), 1e308, 0.5, Number.MAX_SAFE_INTEGER),
  fc.constantFrom('11111111-1111-4111-8111-111111111111', 'high_quality', 'economy', 'custom', 'automatic', 'hierarchical', 'keyword_search', 'and', 'is', 'string'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nasty,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 5 }),
  ),
})).value;
const shapedBody = fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 8 });

const boundary = 'fuzzBoundary';
const multipartBody = fc
  .record({
    parts: fc.array(
      fc.record({
        name: fc.constantFrom('file', 'data', 'x', ''),
        filename: fc.option(fc.constantFrom('a.txt', '', '../x.md', 'x.exe', 'x.html', 'a\u0000.txt', 'noext'), { nil: undefined }),
        type: fc.option(fc.constantFrom('text/plain', 'application/octet-stream', 'text/html', 'image/svg+xml', 'x'), { nil: undefined }),
        content: fc.oneof(fc.string({ maxLength: 200 }), shapedBody.map((b) => JSON.stringify(b))),
      }),
      { maxLength: 4 },
    ),
    closed: fc.boolean(),
    cut: fc.option(fc.nat({ max: 400 }), { nil: undefined }),
  })
  .map(({ parts, closed, cut }) => {
    let out = '';
    for (const p of parts) {
      const filename = p.filename === undefined ? '' : `; filename="${p.filename}"`;
      const type = p.type === undefined ? '' : `\r\nContent-Type: ${p.type}`;
      out += `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${filename}${type}\r\n\r\n${p.content}\r\n`;
    }
    if (closed) out += `--${boundary}--\r\n`;
    return cut === undefined ? out : out.slice(0, cut);
  });

const UNKNOWN_IDS: RouteIds = {
  D: '11111111-1111-4111-8111-111111111111',
  DOC: '22222222-2222-4222-8222-222222222222',
  SEG: '33333333-3333-4333-8333-333333333333',
  CHILD: '44444444-4444-4444-8444-444444444444',
  META: '55555555-5555-4555-8555-555555555555',
  BATCH: '20240101000000123456',
  ACTION: 'enable',
};

/** A body every JSON route accepts (routes ignore fields they do not read); cases mutate a few of its fields. */
const baseBody = (ids: RouteIds) => ({
  name: 'fuzz', text: 'fuzz text', query: 'fuzz', content: 'fuzz', type: 'string', indexing_technique: 'economy',
  process_rule: { mode: 'automatic' }, tag_id: ids.META, tag_ids: [ids.META], target_id: ids.D, knowledge_id: ids.D,
  document_ids: [ids.DOC], segments: [{ content: 'fuzz', keywords: ['k'] }], segment: { content: 'fuzz', keywords: ['k'] },
  operation_data: [{ document_id: ids.DOC, metadata_list: [{ name: 'key', value: 'v' }] }],
  doc_metadata: { key: 'v' },
  retrieval_model: {
    search_method: 'keyword_search', reranking_enable: false, top_k: 2, score_threshold_enabled: false,
    metadata_filtering_conditions: { logical_operator: 'and', conditions: [{ name: 'key', comparison_operator: 'is', value: 'v' }] },
  },
});
const BASE_KEYS = Object.keys(baseBody(UNKNOWN_IDS));

/** Replaces the value at a path of the body (creating objects on the way) or deletes it. */
function mutate(target: Record<string, unknown>, path: readonly (string | number)[], replacement: unknown, remove: boolean) {
  let node: unknown = target;
  for (const [i, step] of path.entries()) {
    if (node === null || typeof node !== 'object') return;
    const container = node as Record<string | number, unknown>;
    const key = Array.isArray(container) ? Math.min(Number(step) || 0, container.length) : String(step);
    if (i === path.length - 1) {
      if (remove && !Array.isArray(container)) delete container[key];
      else container[key] = replacement;
      return;
    }
    node = container[key];
  }
}

const mutation = fc.record({
  path: fc.oneof(
    fc.tuple(fc.constantFrom(...BASE_KEYS)),
    fc.tuple(fc.constantFrom('retrieval_model', 'process_rule', 'segment', 'doc_metadata'), fc.constantFrom(...FIELDS)),
    fc.tuple(fc.constantFrom('segments', 'operation_data', 'document_ids', 'tag_ids'), fc.nat({ max: 1 }), fc.constantFrom(...FIELDS)),
    fc.tuple(fc.constantFrom('segments', 'operation_data', 'document_ids', 'tag_ids'), fc.nat({ max: 1 })),
    fc.tuple(fc.constantFrom('retrieval_model', 'operation_data'), fc.constantFrom(...FIELDS), fc.constantFrom(...FIELDS)),
    fc.constant(['retrieval_model', 'metadata_filtering_conditions', 'conditions', 0, 'value'] as const),
    fc.constant(['operation_data', 0, 'metadata_list', 0, 'value'] as const),
  ),
  value: fc.oneof(
    { arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\u0000\u0000'), weight: 2 },
    { arbitrary: nasty, weight: 3 },
    { arbitrary: value, weight: 2 },
  ),
  remove: fc.boolean(),
});

type Body = { text: string; type: string } | null;
const mutatedJson = (ids: RouteIds) =>
  fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => {
    const b = structuredClone(baseBody(ids)) as Record<string, unknown>;
    for (const m of ms) mutate(b, m.path as readonly (string | number)[], m.value, m.remove);
    return { text: JSON.stringify(b), type: 'application/json' };
  });
const mutatedData = (ids: RouteIds) =>
  mutatedJson(ids).map(({ text }) => `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nfuzz\r\n--${boundary}\r\nContent-Disposition: form-data; name="data"\r\n\r\n${text}\r\n--${boundary}--\r\n`);

/** Bodies for a route: mostly of its own kind (JSON, or multipart for by-file routes), sometimes anything. */
const body = (ids: RouteIds, byFile: boolean): fc.Arbitrary<Body> =>
  fc.oneof(
    { arbitrary: mutatedJson(ids), weight: byFile ? 1 : 12 },
    { arbitrary: mutatedData(ids).map((text) => ({ text, type: `multipart/form-data; boundary=${boundary}` })), weight: byFile ? 6 : 0 },
    { arbitrary: multipartBody.map((text) => ({ text, type: `multipart/form-data; boundary=${boundary}` })), weight: byFile ? 6 : 1 },
    { arbitrary: shapedBody.map((b) => ({ text: JSON.stringify(b), type: 'application/json' })), weight: 1 },
    { arbitrary: fc.json().map((text) => ({ text, type: 'application/json' })), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ text, type: 'application/json' })), weight: 1 },
    { arbitrary: multipartBody.map((text) => ({ text, type: 'multipart/form-data' })), weight: 1 },
    { arbitrary: shapedBody.map((b) => ({ text: new URLSearchParams(Object.entries(b).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])).toString(), type: 'application/x-www-form-urlencoded' })), weight: 1 },
    { arbitrary: fc.string({ maxLength: 100 }).map((text) => ({ text, type: 'text/plain' })), weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
  );

const printable = fc.string({ unit: 'grapheme-ascii', maxLength: 60 });
const headers = fc.record({
  // Mostly the body's own type; sometimes a wrong or broken one.
  contentType: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 8 },
    { arbitrary: fc.oneof(fc.constantFrom('application/json', 'application/json; charset=latin1', 'multipart/form-data; boundary=', 'multipart/mixed', 'application/x-www-form-urlencoded', '*/*'), printable), weight: 2 },
  ),
  auth: fc.oneof({ arbitrary: fc.constant('key'), weight: 8 }, { arbitrary: fc.constantFrom('none', 'garbage', 'foreign'), weight: 2 }),
  extra: fc.dictionary(fc.constantFrom('Accept', 'Accept-Encoding', 'X-Request-Id', 'Content-Language', 'Range'), printable, { maxKeys: 2 }),
});

const QUERY_KEYS = ['page', 'limit', 'keyword', 'status', 'metadata', 'include_all', 'tag_ids', 'enabled', 'model_type'];
const query = fc.dictionary(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 5 })), fc.oneof(nasty.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))), fc.string({ unit: 'binary', maxLength: 30 })), { maxKeys: 4 });


describe('REST fuzz: no 5xx, server alive', () => {
  let server: TestServer;
  let key: string;
  let foreign: string;
  let real: RouteIds;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '100', UPLOAD_FILE_SIZE_LIMIT: '1' });
    key = await server.createKey('fuzz');
    foreign = await server.createKey('fuzz-other');
    const dataset = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'fuzz', indexing_technique: 'economy' } })).body.id;
    const meta = (await server.rest('POST', `/v1/datasets/${dataset}/metadata`, { key, json: { type: 'string', name: 'key' } })).body.id;
    const created = await server.rest('POST', `/v1/datasets/${dataset}/document/create-by-text`, { key, json: { name: 'doc', text: 'fuzz text\n\nmore text' } });
    const doc = created.body.document.id;
    let segment = UNKNOWN_IDS.SEG;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      const list = await server.rest('GET', `/v1/datasets/${dataset}/documents/${doc}/segments`, { key });
      if (list.body?.data?.length) {
        segment = list.body.data[0].id;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    real = { D: dataset, DOC: doc, SEG: segment, CHILD: UNKNOWN_IDS.CHILD, META: meta, BATCH: created.body.batch, ACTION: 'enable' };
  });
  afterAll(() => server.close());

  it(`answers every generated request below 500 (${RUNS} cases)`, async () => {
    const route = fc.record({
      template: fc.constantFrom(...ROUTE_TEMPLATES),
      ids: fc.oneof({ arbitrary: fc.constant('real'), weight: 5 }, { arbitrary: fc.constant('unknown'), weight: 1 }),
      // Mostly the route's own method (a wrong one only reaches the router's 405).
      method: fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE'), weight: 1 }),
      action: fc.oneof(fc.constantFrom('enable', 'disable', 'archive', 'un_archive'), fc.string({ maxLength: 12 })),
      batch: fc.oneof(fc.constant('real'), fc.string({ maxLength: 25 })),
    });
    await fc.assert(
      fc.asyncProperty(route.chain((r) => fc.tuple(fc.constant(r), body(real, isByFileRoute(...r.template)))), headers, query, async ([r, b], h, q) => {
        const [templateMethod, template] = r.template;
        // Deleting the fixtures would turn every later case into a 404: deletes go to unknown ids.
        const which = r.ids === 'real' && templateMethod !== 'DELETE' ? real : UNKNOWN_IDS;
        const ids: RouteIds = { ...which, ACTION: encodeURIComponent(r.action) || 'x' };
        if (r.batch !== 'real') ids.BATCH = encodeURIComponent(r.batch) || 'x';
        const search = new URLSearchParams(Object.entries(q)).toString();
        const url = `${server.url}/v1${fillRoute(template, ids)}${search ? `?${search}` : ''}`;
        const method = r.method ?? templateMethod;
        const init: Record<string, string> = { ...h.extra };
        if (h.auth === 'key') init.Authorization = `Bearer ${key}`;
        if (h.auth === 'foreign') init.Authorization = `Bearer ${foreign}`;
        if (h.auth === 'garbage') init.Authorization = 'Bearer dataset-garbage';
        const type = h.contentType ?? b?.type ?? (isByFileRoute(templateMethod, template) ? `multipart/form-data; boundary=${boundary}` : undefined);
        if (type !== undefined) init['Content-Type'] = type;
        const sendBody = method !== 'GET' && b !== null ? b.text : undefined;
        const res = await fetch(url, { method, headers: init, body: sendBody });
        const text = await res.text();
        if (process.env.FUZZ_DEBUG) console.log('FUZZ', res.status, method, template, text.slice(0, 120));
        expect(res.status, `${method} ${url}\n${JSON.stringify(init)}\n${JSON.stringify(sendBody)?.slice(0, 500)}\n→ ${text.slice(0, 300)}`).toBeLessThan(500);
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(200);
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined, endOnFailure: true },
    );
  }, Math.max(120_000, RUNS * 150));
});
