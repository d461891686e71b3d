import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const invalid = (message: string) => ({ code: 'invalid_param', message, status: 400 });

/** Issue 8, items 12, 13, 14, 20 and 22: bad input is a 400 that names the field, in Dify's words. */
describe('REST and GraphQL input validation', () => {
  let server: TestServer;
  let key: string;
  let dataset: string;
  let documentId: string;

  const completed = async (batch: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await server.rest('GET', `/v1/datasets/${dataset}/documents/${batch}/indexing-status`, { key });
      if (res.body.data?.every((d: { indexing_status: string }) => d.indexing_status === 'completed')) return;
      if (Date.now() > deadline) throw new Error(res.text);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const metadataOf = async (id: string) =>
    (await server.rest('GET', `/v1/datasets/${dataset}/documents/${id}?metadata=only`, { key })).body.doc_metadata as Array<{ name: string; value: unknown }>;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '100' });
    key = await server.createKey('validation');
    dataset = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'validation', indexing_technique: 'economy' } })).body.id;
    const field = await server.rest('POST', `/v1/datasets/${dataset}/metadata`, { key, json: { type: 'string', name: 'key' } });
    expect(field.status).toBe(201);
    const created = await server.rest('POST', `/v1/datasets/${dataset}/document/create-by-text`, {
      key,
      json: { name: 'doc', text: 'the cat sat on the mat', doc_metadata: { key: 'kept' } },
    });
    expect(created.status, created.text).toBe(200);
    documentId = created.body.document.id;
    await completed(created.body.batch);
  });
  afterAll(() => server.close());

  it('item 12: update_documents_metadata without metadata_list is a 400 and erases nothing', async () => {
    expect(await metadataOf(documentId)).toEqual([expect.objectContaining({ name: 'key', value: 'kept' })]);
    const res = await server.rest('POST', `/v1/datasets/${dataset}/documents/metadata`, {
      key,
      json: { operation_data: [{ document_id: documentId, metadata: { key: 'value' } }] },
    });
    expect(res.body).toEqual(invalid('operation_data.0.metadata_list: Field required'));
    expect(await metadataOf(documentId)).toEqual([expect.objectContaining({ name: 'key', value: 'kept' })]);
  });

  it('item 14: malformed operation_data entries and doc_metadata are 400s', async () => {
    const post = (json: unknown) => server.rest('POST', `/v1/datasets/${dataset}/documents/metadata`, { key, json });
    expect((await post({ operation_data: [5] })).body).toEqual(invalid('operation_data.0: Input should be a valid dictionary'));
    expect((await post({ operation_data: 'x' })).body).toEqual(invalid('operation_data: Input should be a valid list'));
    expect((await post({})).body).toEqual(invalid('operation_data: Field required'));
    expect((await post({ operation_data: [{ document_id: documentId, metadata_list: [7] }] })).body).toEqual(
      invalid('operation_data.0.metadata_list.0: Input should be a valid dictionary'),
    );
    expect((await post({ operation_data: [{ document_id: 5, metadata_list: [] }] })).body).toEqual(
      invalid('operation_data.0.document_id: Input should be a valid string'),
    );

    const documents = await server.prisma.document.count();
    for (const docMetadata of ['zzz', 5, [5], true]) {
      const res = await server.rest('POST', `/v1/datasets/${dataset}/document/create-by-text`, {
        key,
        json: { name: `bad metadata ${JSON.stringify(docMetadata)}`, text: 'x', doc_metadata: docMetadata },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body.code).toBe('invalid_param');
      expect(res.body.message).toMatch(/doc_metadata/);
    }
    expect(await server.prisma.document.count()).toBe(documents);
  });

  it('item 20: remove_stopwords is accepted alongside the other rules and ignored when cleaning', async () => {
    const text = 'the cat is on the mat and it is a cat';
    const res = await server.rest('POST', `/v1/datasets/${dataset}/document/create-by-text`, {
      key,
      json: {
        name: 'stopwords',
        text,
        process_rule: {
          mode: 'custom',
          rules: {
            pre_processing_rules: [
              { id: 'remove_stopwords', enabled: true },
              { id: 'remove_extra_spaces', enabled: true },
              { id: 'remove_urls_emails', enabled: false },
            ],
            segmentation: { separator: '\n', max_tokens: 500 },
          },
        },
      },
    });
    expect(res.status, res.text).toBe(200);
    await completed(res.body.batch);
    const segments = await server.rest('GET', `/v1/datasets/${dataset}/documents/${res.body.document.id}/segments`, { key });
    expect(segments.body.data.map((s: { content: string }) => s.content)).toEqual([text]);
    const detail = await server.rest('GET', `/v1/datasets/${dataset}/documents/${res.body.document.id}`, { key });
    expect(detail.body.document_process_rule.rules.pre_processing_rules).toContainEqual({ id: 'remove_stopwords', enabled: true });
  });

  it('item 22: a wrong type is not "Field required", and messages carry Dify field names only', async () => {
    const byText = (json: unknown) => server.rest('POST', `/v1/datasets/${dataset}/document/create-by-text`, { key, json });
    expect((await byText({ name: 'n', text: 123 })).body).toEqual(invalid('text: Input should be a valid string'));
    expect((await byText({ name: 'n' })).body).toEqual(invalid('text: Field required'));
    expect((await byText({ name: ['n'], text: 't' })).body).toEqual(invalid('name: Input should be a valid string'));
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', `/v1/datasets/${dataset}/document/create-by-text`, { name: 'n', text: 't', process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\n', max_tokens: 'many' } } } }, 'process_rule.rules.segmentation.max_tokens: Input should be a valid integer'],
      ['POST', `/v1/datasets/${dataset}/document/create-by-text`, { name: 'n', text: 't', process_rule: 'automatic' }, 'process_rule: Input should be a valid dictionary'],
      ['POST', `/v1/datasets/${dataset}/document/create-by-text`, { name: 'n', text: 't', process_rule: { mode: 'custom', rules: { pre_processing_rules: [{ id: 'remove_urls_emails', enabled: 'yes' }] } } }, 'process_rule.rules.pre_processing_rules.0.enabled: Input should be a valid boolean'],
      ['POST', `/v1/datasets/${dataset}/retrieve`, { query: 'cat', retrieval_model: { search_method: 'keyword_search', reranking_enable: false, score_threshold_enabled: false, top_k: 'ten' } }, 'retrieval_model.top_k: Input should be a valid integer'],
      ['POST', `/v1/datasets/${dataset}/retrieve`, { query: 'cat', retrieval_model: { search_method: 'keyword_search', reranking_enable: false, top_k: 2, score_threshold_enabled: 'no' } }, 'retrieval_model.score_threshold_enabled: Input should be a valid boolean'],
      ['POST', `/v1/datasets/${dataset}/retrieve`, { query: 'cat', retrieval_model: { search_method: 'keyword_search', reranking_enable: false, top_k: 2, score_threshold_enabled: false, metadata_filtering_conditions: { logical_operator: 'and', conditions: [{ name: 7, comparison_operator: 'is', value: 'x' }] } } }, 'retrieval_model.metadata_filtering_conditions.conditions.0.name: Input should be a valid string'],
      ['PATCH', `/v1/datasets/${dataset}`, { name: 5 }, 'name: Input should be a valid string'],
      ['POST', '/v1/datasets/tags', { name: 5 }, 'name: Input should be a valid string'],
      ['POST', `/v1/datasets/${dataset}/metadata`, { type: 'string', name: false }, 'name: Input should be a valid string'],
    ];
    for (const [method, path, json, message] of cases) {
      const res = await server.rest(method, path, { key, json });
      expect(res.body, `${method} ${path} ${JSON.stringify(json)}`).toEqual(invalid(message));
    }
  });

  it('item 22: rule violations found by the services also name fields in Dify\'s words', async () => {
    const model = { search_method: 'keyword_search', reranking_enable: false, top_k: 500, score_threshold_enabled: false };
    const patched = await server.rest('PATCH', `/v1/datasets/${dataset}`, { key, json: { retrieval_model: model } });
    expect(patched.status).toBe(400);
    expect(patched.body.message).toMatch(/^retrieval_model\.top_k: /);
    const rule = { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\n', max_tokens: -5 } } };
    const created = await server.rest('POST', `/v1/datasets/${dataset}/document/create-by-text`, { key, json: { name: 'n', text: 't', process_rule: rule } });
    expect(created.body).toEqual(invalid('Process rule segmentation max_tokens must be a non-negative integer'));
    for (const res of [patched, created]) expect(res.body.message).not.toMatch(/[a-z][A-Z]/);
  });

  it('item 22: no REST error message shows GraphQL internals', async () => {
    const bodies: unknown[] = [
      { name: 1, text: 2, indexing_technique: 3, doc_form: 4, doc_language: 5, process_rule: 6, retrieval_model: 7 },
      { name: 'n', text: 't', retrieval_model: { search_method: 'nope', top_k: [] } },
      { name: 'n', text: 't', indexing_technique: 'nope' },
      { name: 'n', text: 't', doc_form: { a: 1 } },
    ];
    for (const json of bodies) {
      const res = await server.rest('POST', `/v1/datasets/${dataset}/document/create-by-text`, { key, json });
      expect(res.status, `${JSON.stringify(json)}: ${res.text}`).toBe(400);
      expect(res.body.message).not.toMatch(/Variable|\$input|GraphQL|cannot represent|Int!|String!|Input!|enum/);
    }
  });

  describe('item 13: NUL characters are a 400 naming the field, never a 500', () => {
    it('REST bodies, query strings and multipart', async () => {
      const nul = 'a\u0000b';
      const cases: Array<[string, string, unknown, RegExp]> = [
        ['POST', '/v1/datasets', { name: nul }, /^name: /],
        ['PATCH', `/v1/datasets/${dataset}`, { description: nul }, /^description: /],
        ['POST', `/v1/datasets/${dataset}/document/create-by-text`, { name: nul, text: 't' }, /^name: /],
        ['POST', `/v1/datasets/${dataset}/documents/${documentId}/segments`, { segments: [{ content: 'c', keywords: ['k', nul] }] }, /^segments\.0\.keywords\.1: /],
        ['POST', '/v1/datasets/tags', { name: nul }, /^name: /],
        ['POST', `/v1/datasets/${dataset}/metadata`, { type: 'string', name: nul }, /^name: /],
        ['POST', `/v1/datasets/${dataset}/retrieve`, { query: 'cat', retrieval_model: { search_method: 'keyword_search', reranking_enable: false, top_k: 2, score_threshold_enabled: false, metadata_filtering_conditions: { logical_operator: 'and', conditions: [{ name: 'key', comparison_operator: 'is', value: nul }] } } }, /^retrieval_model\.metadata_filtering_conditions\.conditions\.0\.value: /],
        ['POST', `/v1/datasets/${dataset}/documents/metadata`, { operation_data: [{ document_id: documentId, metadata_list: [{ name: 'key', value: nul }] }] }, /^operation_data\.0\.metadata_list\.0\.value: /],
      ];
      for (const [method, path, json, message] of cases) {
        const res = await server.rest(method, path, { key, json });
        expect(res.status, `${method} ${path}: ${res.text}`).toBe(400);
        expect(res.body.code).toBe('invalid_param');
        expect(res.body.message).toMatch(message);
      }
      for (const path of ['/v1/datasets?keyword=%00', `/v1/datasets/${dataset}/documents?keyword=a%00`, `/v1/datasets/${dataset}/documents/${documentId}/segments?keyword=%00`, `/v1/datasets/${dataset}/documents/%00/indexing-status`]) {
        const res = await server.rest('GET', path, { key });
        expect(res.status, `${path}: ${res.text}`).toBe(400);
        expect(res.body.message).toMatch(/^(keyword|batch): /);
      }
      const form = new FormData();
      form.append('file', new Blob(['x']), 'x.txt');
      form.append('data', JSON.stringify({ indexing_technique: 'economy', process_rule: { mode: 'automatic' }, doc_language: nul }));
      const upload = await fetch(`${server.url}/v1/datasets/${dataset}/document/create-by-file`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: form });
      expect(upload.status).toBe(400);
      expect((await upload.json()).message).toMatch(/^doc_language: /);
      expect(await metadataOf(documentId)).toEqual([expect.objectContaining({ name: 'key', value: 'kept' })]);
    });

    it('GraphQL answers typed errors', async () => {
      const tag = await server.gql(key, 'mutation($n: String!) { createTag(input: { name: $n }) { __typename ... on ValidationError { issues { path message } } } }', { n: 'a\u0000b' });
      expect(tag.body.data).toEqual({ createTag: { __typename: 'ValidationError', issues: [{ path: ['name'], message: expect.stringMatching(/NUL/) }] } });
      const doc = await server.gql(
        key,
        'mutation($i: CreateDocumentByTextInput!) { createDocumentByText(input: $i) { __typename ... on ValidationError { issues { path } } } }',
        { i: { datasetId: dataset, name: 'ok', text: 'x\u0000y' } },
      );
      expect(doc.body.data).toEqual({ createDocumentByText: { __typename: 'ValidationError', issues: [{ path: ['text'] }] } });
      const search = await server.gql(
        key,
        'query($d: ID!, $f: MetadataFilterInput) { retrieve(datasetId: $d, query: "cat", metadataFilter: $f) { __typename ... on ValidationError { issues { path } } } }',
        { d: dataset, f: { logicalOperator: 'AND', conditions: [{ name: 'key', comparisonOperator: 'IS', value: '\u0000' }] } },
      );
      expect(search.body.data).toEqual({ retrieve: { __typename: 'ValidationError', issues: [{ path: ['metadataFilter', 'conditions', '0', 'value'] }] } });
      // List arguments reach SQL as they are: PostgreSQL's refusal of NUL becomes a client error, not a masked one.
      for (const query of [
        'query($k: String) { datasets(first: 5, keyword: $k) { totalCount } }',
        'query($d: ID!, $k: String) { dataset(id: $d) { documents(first: 5, keyword: $k) { totalCount } } }',
      ]) {
        const listed = await server.gql(key, query, { d: dataset, k: 'a\u0000b' });
        expect(listed.body.errors?.[0]?.extensions?.code, JSON.stringify(listed.body)).toBe('BAD_USER_INPUT');
        expect(listed.body.errors?.[0]?.message).toMatch(/NUL/);
      }
    });
  });
});
