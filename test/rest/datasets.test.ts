import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Every key of Dify's DatasetDetail (spec §3.3), in Dify's order. */
const DATASET_KEYS = [
  'id',
  'name',
  'description',
  'provider',
  'permission',
  'data_source_type',
  'indexing_technique',
  'app_count',
  'document_count',
  'word_count',
  'created_by',
  'author_name',
  'created_at',
  'updated_by',
  'updated_at',
  'embedding_model',
  'embedding_model_provider',
  'embedding_available',
  'retrieval_model_dict',
  'summary_index_setting',
  'tags',
  'doc_form',
  'external_knowledge_info',
  'external_retrieval_model',
  'doc_metadata',
  'built_in_field_enabled',
  'pipeline_id',
  'runtime_mode',
  'chunk_structure',
  'icon_info',
  'is_published',
  'total_documents',
  'total_available_documents',
  'enable_api',
  'is_multimodal',
];

const NOT_FOUND_URL =
  'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';

describe('REST /v1/datasets', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer();
    key = await server.createKey('acme');
  });
  afterAll(() => server.close());

  const create = (json: unknown) => server.rest('POST', '/v1/datasets', { key, json });

  describe('POST /v1/datasets', () => {
    it("creates an empty dataset and answers 200 with Dify's DatasetDetail", async () => {
      const before = Math.floor(Date.now() / 1000);
      const res = await create({
        name: 'Handbook',
        description: 'Company handbook',
        indexing_technique: 'high_quality',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(Object.keys(res.body)).toEqual(DATASET_KEYS);
      const d = res.body;
      expect(d.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(d).toMatchObject({
        name: 'Handbook',
        description: 'Company handbook',
        provider: 'vendor',
        permission: 'only_me',
        data_source_type: null,
        indexing_technique: 'high_quality',
        app_count: 0,
        document_count: 0,
        word_count: 0,
        embedding_model: 'builtin-lexical-stem-1024',
        embedding_model_provider: 'knowledge-gateway',
        embedding_available: true,
        retrieval_model_dict: {
          search_method: 'semantic_search',
          reranking_enable: false,
          reranking_mode: null,
          reranking_model: { reranking_provider_name: '', reranking_model_name: '' },
          weights: null,
          top_k: 2,
          score_threshold_enabled: false,
          score_threshold: null,
        },
        tags: [],
        doc_form: null,
        external_knowledge_info: null,
        external_retrieval_model: { top_k: 2, score_threshold: 0, score_threshold_enabled: null },
        doc_metadata: [],
        built_in_field_enabled: false,
        runtime_mode: 'general',
        is_published: false,
        total_documents: 0,
        total_available_documents: 0,
        enable_api: true,
        is_multimodal: false,
      });
      expect(d.created_by).toBe(d.updated_by);
      expect(d.author_name).toBe('acme owner');
      expect(Number.isInteger(d.created_at)).toBe(true);
      expect(d.created_at).toBeGreaterThanOrEqual(before);
      expect(d.updated_at).toBe(d.created_at);
    });

    it('defaults to no indexing technique, no embedding model and an empty description', async () => {
      const res = await create({ name: 'Bare' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ description: '', indexing_technique: null, embedding_model: null });
    });

    it('stores a retrieval model given in Dify JSON and shows it back', async () => {
      const retrieval_model = {
        search_method: 'hybrid_search',
        reranking_enable: false,
        reranking_mode: 'weighted_score',
        weights: {
          weight_type: 'customized',
          vector_setting: { vector_weight: 0.7, embedding_provider_name: 'p', embedding_model_name: 'm' },
          keyword_setting: { keyword_weight: 0.3 },
        },
        top_k: 6,
        score_threshold_enabled: true,
        score_threshold: 0.5,
      };
      const res = await create({ name: 'Tuned', retrieval_model, permission: 'all_team_members' });
      expect(res.status).toBe(200);
      expect(res.body.permission).toBe('all_team_members');
      expect(res.body.retrieval_model_dict).toEqual({
        search_method: 'hybrid_search',
        reranking_enable: false,
        reranking_mode: 'weighted_score',
        // Not sent, so Dify's display default shows through the merge.
        reranking_model: { reranking_provider_name: '', reranking_model_name: '' },
        weights: {
          weight_type: 'customized',
          keyword_setting: { keyword_weight: 0.3 },
          vector_setting: { vector_weight: 0.7, embedding_model_name: 'm', embedding_provider_name: 'p' },
        },
        top_k: 6,
        score_threshold_enabled: true,
        score_threshold: 0.5,
      });
      expect(res.body.external_retrieval_model).toEqual({
        top_k: 6,
        score_threshold: 0.5,
        score_threshold_enabled: true,
      });
    });

    it('answers 409 dataset_name_duplicate for a name the workspace already has', async () => {
      await create({ name: 'Twice' });
      const res = await create({ name: 'Twice' });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        code: 'dataset_name_duplicate',
        message: 'The dataset name already exists. Please modify your dataset name.',
        status: 409,
      });
    });

    it('validates name (1–40 characters, counted as Dify counts them) and description (≤ 400)', async () => {
      const cases: [unknown, RegExp][] = [
        [{ name: 'x'.repeat(41) }, /name.*at most 40/],
        [{ name: '' }, /name.*at least 1/],
        [{}, /name/],
        [{ name: 42 }, /name/],
        [{ name: 'ok', description: 'd'.repeat(401) }, /description.*at most 400/],
        [{ name: 'ok', indexing_technique: 'fastest' }, /indexing_technique/],
        [{ name: 'ok', permission: 'everyone' }, /permission/],
        [{ name: 'ok', retrieval_model: { search_method: 'semantic_search' } }, /reranking_enable|top_k/],
        [
          {
            name: 'ok',
            retrieval_model: {
              search_method: 'psychic',
              reranking_enable: false,
              top_k: 2,
              score_threshold_enabled: false,
            },
          },
          /search_method/,
        ],
      ];
      for (const [json, message] of cases) {
        const res = await create(json);
        expect(res.status, JSON.stringify(json)).toBe(400);
        expect(res.body.code).toBe('invalid_param');
        expect(res.body.status).toBe(400);
        expect(res.body.message).toMatch(message);
      }
      const cjk = await create({ name: '知'.repeat(40) });
      expect(cjk.status).toBe(200);
      const emoji = await create({ name: '📚'.repeat(40) });
      expect(emoji.status).toBe(200);
      expect(emoji.body.name).toBe('📚'.repeat(40));
      const list = await server.rest('GET', `/v1/datasets?keyword=${encodeURIComponent('📚')}`, { key });
      expect(list.body.total).toBe(1);
    });

    it('rejects an embedding or rerank model that is not configured, as Dify does', async () => {
      const embedding = await create({
        name: 'M1',
        embedding_model: 'text-embedding-3-large',
        embedding_model_provider: 'openai',
      });
      expect(embedding.status).toBe(400);
      expect(embedding.body.message).toMatch(/No Embedding Model available/);
      const rerank = await create({
        name: 'M2',
        retrieval_model: {
          search_method: 'semantic_search',
          reranking_enable: true,
          reranking_model: { reranking_provider_name: 'cohere', reranking_model_name: 'rerank-v3' },
          top_k: 3,
          score_threshold_enabled: false,
        },
      });
      expect(rerank.status).toBe(400);
      expect(rerank.body.message).toMatch(/No Rerank Model available/);
      const builtIn = await create({
        name: 'M3',
        indexing_technique: 'high_quality',
        embedding_model: 'builtin-lexical-384',
        embedding_model_provider: 'knowledge-gateway',
      });
      expect(builtIn.status).toBe(200);
    });

    it('ignores fields Dify does not know, as its request models do', async () => {
      const res = await create({ name: 'Extra', something_new: { nested: true } });
      expect(res.status).toBe(200);
    });

    it('answers malformed JSON with 400 and a non-JSON body with 415', async () => {
      const broken = await server.rest('POST', '/v1/datasets', {
        key,
        raw: '{"name": ',
        contentType: 'application/json',
      });
      expect(broken.status).toBe(400);
      expect(broken.body).toEqual({
        code: 'bad_request',
        message: 'Invalid JSON payload received or JSON payload is empty.',
        status: 400,
      });
      const empty = await server.rest('POST', '/v1/datasets', { key, raw: '', contentType: 'application/json' });
      expect(empty.status).toBe(400);
      const form = await server.rest('POST', '/v1/datasets', {
        key,
        raw: 'name=x',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(form.status).toBe(415);
      expect(form.body.code).toBe('unsupported_media_type');
      const array = await server.rest('POST', '/v1/datasets', { key, json: [{ name: 'x' }] });
      expect(array.status).toBe(400);
      expect(array.body.code).toBe('invalid_param');
    });
  });

  describe('GET /v1/datasets', () => {
    let pager: TestServer;
    let pagerKey: string;
    beforeAll(async () => {
      pager = await startTestServer();
      pagerKey = await pager.createKey('pages');
      for (const name of ['alpha', 'Beta', 'gamma', 'delta', 'a_b', 'axb', '100%', '1000']) {
        const res = await pager.rest('POST', '/v1/datasets', { key: pagerKey, json: { name } });
        expect(res.status).toBe(200);
      }
    });
    afterAll(() => pager.close());

    const list = (query = '') => pager.rest('GET', `/v1/datasets${query}`, { key: pagerKey });

    it('lists newest first with Dify pagination keys', async () => {
      const res = await list();
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['data', 'has_more', 'limit', 'total', 'page']);
      expect(res.body).toMatchObject({ has_more: false, limit: 20, total: 8, page: 1 });
      expect(res.body.data.map((d: { name: string }) => d.name)).toEqual([
        '1000',
        '100%',
        'axb',
        'a_b',
        'delta',
        'gamma',
        'Beta',
        'alpha',
      ]);
      expect(Object.keys(res.body.data[0])).toEqual(DATASET_KEYS);
    });

    it('pages with page and limit; has_more is page * limit < total', async () => {
      const first = await list('?page=1&limit=3');
      expect(first.body).toMatchObject({ has_more: true, limit: 3, total: 8, page: 1 });
      const third = await list('?page=3&limit=3');
      expect(third.body).toMatchObject({ has_more: false, limit: 3, total: 8, page: 3 });
      expect(third.body.data.map((d: { name: string }) => d.name)).toEqual(['Beta', 'alpha']);
      const names = [];
      for (let page = 1; page <= 3; page++) {
        names.push(...(await list(`?page=${page}&limit=3`)).body.data.map((d: { name: string }) => d.name));
      }
      expect(new Set(names).size).toBe(8);
      const beyond = await list('?page=9&limit=3');
      expect(beyond.body).toMatchObject({ data: [], has_more: false, total: 8, page: 9 });
    });

    it('parses page and limit leniently and caps limit at 100', async () => {
      expect((await list('?page=&limit=')).body).toMatchObject({ page: 1, limit: 20, total: 8 });
      expect((await list('?page=abc&limit=-4')).body).toMatchObject({ page: 1, limit: 20 });
      expect((await list('?page=0&limit=0')).body).toMatchObject({ page: 1, limit: 20 });
      const capped = await list('?limit=1000');
      expect(capped.body).toMatchObject({ limit: 100, total: 8 });
      expect(capped.body.data).toHaveLength(8);
    });

    it('filters by keyword case-insensitively, with % and _ taken literally', async () => {
      const names = async (keyword: string) =>
        (await list(`?keyword=${encodeURIComponent(keyword)}`)).body.data.map((d: { name: string }) => d.name);
      expect(await names('BETA')).toEqual(['Beta']);
      expect(await names('_')).toEqual(['a_b']);
      expect(await names('%')).toEqual(['100%']);
      expect(await names('100')).toEqual(['1000', '100%']);
      expect(await names('nothing')).toEqual([]);
      expect((await list('?keyword=')).body.total).toBe(8);
    });

    it('filters by tag_ids, requiring every tag given', async () => {
      const all = (await list()).body.data as { id: string; name: string }[];
      const byName = Object.fromEntries(all.map((d) => [d.name, d.id]));
      const workspace = await pager.prisma.dataset.findUniqueOrThrow({ where: { id: byName.alpha } });
      const tag = (name: string) =>
        pager.prisma.tag.create({ data: { workspaceId: workspace.workspaceId, name, createdBy: workspace.createdBy } });
      const red = await tag('red');
      const blue = await tag('blue');
      const bind = (tagId: string, datasetId: string) =>
        pager.prisma.tagBinding.create({
          data: { workspaceId: workspace.workspaceId, tagId, datasetId, createdBy: workspace.createdBy },
        });
      await bind(red.id, byName.alpha as string);
      await bind(blue.id, byName.alpha as string);
      await bind(red.id, byName.gamma as string);

      const names = async (query: string) => (await list(query)).body.data.map((d: { name: string }) => d.name);
      expect(await names(`?tag_ids=${red.id}`)).toEqual(['gamma', 'alpha']);
      expect(await names(`?tag_ids=${red.id}&tag_ids=${blue.id}`)).toEqual(['alpha']);
      expect(await names('?tag_ids=6f1c1a57-0000-4000-8000-000000000000')).toEqual([]);
      const alpha = (await list(`?tag_ids=${blue.id}`)).body.data[0];
      expect(alpha.tags).toEqual([
        { id: red.id, name: 'red', type: 'knowledge' },
        { id: blue.id, name: 'blue', type: 'knowledge' },
      ]);
    });
  });

  describe('GET, PATCH and DELETE /v1/datasets/{id}', () => {
    it('shows a dataset', async () => {
      const created = (await create({ name: 'Detail' })).body;
      const res = await server.rest('GET', `/v1/datasets/${created.id}`, { key });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(created);
    });

    it('answers 404 for an unknown UUID and Flask’s plain 404 for a malformed id', async () => {
      const unknown = await server.rest('GET', '/v1/datasets/6f1c1a57-0000-4000-8000-000000000000', { key });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ code: 'not_found', message: 'Dataset not found.', status: 404 });
      const malformed = await server.rest('GET', '/v1/datasets/not-a-uuid', { key });
      expect(malformed.status).toBe(404);
      expect(malformed.body).toEqual({ code: 'not_found', message: NOT_FOUND_URL, status: 404 });
      const unknownPath = await server.rest('GET', '/v1/nothing-here', { key });
      expect(unknownPath.status).toBe(404);
      expect(unknownPath.body.code).toBe('not_found');
    });

    it('answers 405 for a method the path does not take', async () => {
      const created = (await create({ name: 'Methods' })).body;
      const res = await server.rest('PUT', `/v1/datasets/${created.id}`, { key, json: {} });
      expect(res.status).toBe(405);
      expect(res.body).toEqual({
        code: 'method_not_allowed',
        message: 'The method is not allowed for the requested URL.',
        status: 405,
      });
      expect((await server.rest('DELETE', '/v1/datasets', { key })).status).toBe(405);
    });

    it('updates only the fields given; description null clears it', async () => {
      const created = (await create({ name: 'Patchable', description: 'before' })).body;
      const path = `/v1/datasets/${created.id}`;
      const renamed = await server.rest('PATCH', path, { key, json: { name: 'Patched' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'Patched', description: 'before', partial_member_list: [] });
      expect(Object.keys(renamed.body)).toEqual([...DATASET_KEYS, 'partial_member_list']);
      const cleared = await server.rest('PATCH', path, { key, json: { description: null, indexing_technique: null } });
      expect(cleared.body).toMatchObject({ name: 'Patched', description: null, indexing_technique: null });
      const economy = await server.rest('PATCH', path, { key, json: { indexing_technique: 'economy' } });
      expect(economy.body).toMatchObject({ indexing_technique: 'economy', embedding_model: null });
      const high = await server.rest('PATCH', path, { key, json: { indexing_technique: 'high_quality' } });
      expect(high.body).toMatchObject({ indexing_technique: 'high_quality', embedding_model: 'builtin-lexical-stem-1024' });
      const detail = await server.rest('GET', path, { key });
      expect(detail.body.name).toBe('Patched');
      expect(detail.body.updated_at).toBeGreaterThanOrEqual(created.updated_at);
    });

    it('grants partial members and shows them while permission is partial_members', async () => {
      const created = (await create({ name: 'Partial' })).body;
      const member = '0b8f2c8e-1c1d-4f3e-9a55-3d7a7f0c1e11';
      const res = await server.rest('PATCH', `/v1/datasets/${created.id}`, {
        key,
        json: { permission: 'partial_members', partial_member_list: [{ user_id: member }] },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ permission: 'partial_members', partial_member_list: [member] });
      const detail = await server.rest('GET', `/v1/datasets/${created.id}`, { key });
      expect(detail.body.partial_member_list).toEqual([member]);
      const back = await server.rest('PATCH', `/v1/datasets/${created.id}`, { key, json: { permission: 'only_me' } });
      expect(back.body.partial_member_list).toEqual([]);
    });

    it('refuses a name another dataset has with 400 (not 409), as Dify does on update', async () => {
      await create({ name: 'Taken' });
      const mine = (await create({ name: 'Mine' })).body;
      const res = await server.rest('PATCH', `/v1/datasets/${mine.id}`, { key, json: { name: 'Taken' } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 'invalid_param', message: 'Dataset name already exists', status: 400 });
      const same = await server.rest('PATCH', `/v1/datasets/${mine.id}`, { key, json: { name: 'Mine' } });
      expect(same.status).toBe(200);
      const tooLong = await server.rest('PATCH', `/v1/datasets/${mine.id}`, { key, json: { name: 'n'.repeat(41) } });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.code).toBe('invalid_param');
    });

    it('deletes with 204 and an empty body; the dataset is gone afterwards', async () => {
      const created = (await create({ name: 'Doomed' })).body;
      const res = await server.rest('DELETE', `/v1/datasets/${created.id}`, {
        key,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await server.rest('GET', `/v1/datasets/${created.id}`, { key })).status).toBe(404);
      expect((await server.rest('DELETE', `/v1/datasets/${created.id}`, { key })).status).toBe(404);
      expect((await create({ name: 'Doomed' })).status).toBe(200);
    });

    it('answers 403 when the dataset has API access switched off', async () => {
      const created = (await create({ name: 'Closed' })).body;
      await server.prisma.dataset.update({ where: { id: created.id }, data: { enableApi: false } });
      const res = await server.rest('GET', `/v1/datasets/${created.id}`, { key });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ code: 'forbidden', message: 'Dataset api access is not enabled.', status: 403 });
      expect((await server.rest('PATCH', `/v1/datasets/${created.id}`, { key, json: { name: 'x' } })).status).toBe(403);
      expect((await server.rest('DELETE', `/v1/datasets/${created.id}`, { key })).status).toBe(403);
    });
  });

  describe('authentication', () => {
    it("answers 401 with Dify's messages and WWW-Authenticate", async () => {
      const cases: [Record<string, string>, string][] = [
        [{}, "Authorization header must be provided and start with 'Bearer'"],
        [{ Authorization: 'Bearer' }, "Authorization header must be provided and start with 'Bearer'"],
        [{ Authorization: 'Basic abc' }, "Authorization scheme must be 'Bearer'"],
        [{ Authorization: 'Bearer dataset-aaaaaaaaaaaaaaaaaaaaaaaa' }, 'Access token is invalid'],
        [{ Authorization: 'Bearer app-aaaaaaaaaaaaaaaaaaaaaaaa' }, 'Access token is invalid'],
      ];
      for (const [headers, message] of cases) {
        const res = await server.rest('GET', '/v1/datasets', { headers });
        expect(res.status, JSON.stringify(headers)).toBe(401);
        expect(res.body).toEqual({ code: 'unauthorized', message, status: 401 });
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      }
      const lower = await server.rest('GET', '/v1/datasets', { headers: { Authorization: `bearer ${key}` } });
      expect(lower.status).toBe(200);
    });

    it('routes before it authenticates: an unknown path is 404 even without a key', async () => {
      expect((await server.rest('GET', '/v1/datasets/not-a-uuid')).status).toBe(404);
      expect((await server.rest('PUT', '/v1/datasets')).status).toBe(405);
    });
  });
});

describe('REST rate limit', () => {
  it("answers Dify's 403 with Retry-After once a key is over RATE_LIMIT_PER_MINUTE", async () => {
    const server = await startTestServer({ RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const key = await server.createKey('limited');
      const other = await server.createKey('limited');
      expect((await server.rest('GET', '/v1/datasets', { key })).status).toBe(200);
      expect((await server.rest('GET', '/v1/datasets', { key })).status).toBe(200);
      const limited = await server.rest('GET', '/v1/datasets', { key });
      expect(limited.status).toBe(403);
      expect(limited.body).toEqual({
        code: 'forbidden',
        message: 'Sorry, you have reached the knowledge base request rate limit of your subscription.',
        status: 403,
      });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await server.rest('GET', '/v1/datasets', { key: other })).status).toBe(200);

      // The External Knowledge API route counts against the same per-key limit, in that API's error format.
      const external = await server.rest('POST', '/v1/retrieval', { key, json: { knowledge_id: 'x', query: 'q' } });
      expect(external.status).toBe(403);
      expect(external.body).toEqual({
        error_code: 403,
        error_msg: 'Sorry, you have reached the knowledge base request rate limit of your subscription.',
      });
      expect(Number(external.headers.get('retry-after'))).toBeGreaterThan(0);
      const fresh = await server.createKey('limited');
      for (let i = 0; i < 2; i++) {
        const ok = await server.rest('POST', '/v1/retrieval', { key: fresh, json: { knowledge_id: 'x', query: 'q' } });
        expect(ok.status).toBe(404);
      }
      expect((await server.rest('POST', '/v1/retrieval', { key: fresh, json: { knowledge_id: 'x', query: 'q' } })).status).toBe(403);
    } finally {
      await server.close();
    }
  });
});
