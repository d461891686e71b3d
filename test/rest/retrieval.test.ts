import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** A small labelled corpus: each query's expected document. */
const CORPUS: Record<string, string> = {
  plants: 'Photosynthesis converts sunlight, water and carbon dioxide into glucose and oxygen in plant leaves.',
  eiffel: 'The Eiffel Tower in Paris was completed in 1889 and is made of wrought iron.',
  python: 'Python lists are mutable sequences; tuples are immutable sequences.',
  health: 'Regular exercise improves cardiovascular health and lowers blood pressure.',
  beijing: '北京是中国的首都，也是政治和文化中心。',
  wall: '长城是中国古代的军事防御工程，全长两万多公里。',
  tokyo: '東京は日本の首都で、人口が最も多い都市です。',
  coffee: 'Coffee beans are roasted seeds of the Coffea plant; espresso is brewed under pressure.',
};
const QUERIES: Array<[string, string]> = [
  ['how do plants make oxygen from sunlight', 'plants'],
  ['when was the Eiffel Tower completed', 'eiffel'],
  ['mutable python sequences', 'python'],
  ['中国的首都是哪里', 'beijing'],
  ['长城有多长', 'wall'],
  ['東京の人口', 'tokyo'],
  ['espresso coffee beans', 'coffee'],
];

const model = (searchMethod: string, extra: Record<string, unknown> = {}) => ({
  search_method: searchMethod,
  reranking_enable: false,
  top_k: 3,
  score_threshold_enabled: false,
  ...extra,
});

describe('REST retrieve / hit-testing', () => {
  let server: TestServer;
  let key: string;
  let datasetId: string;
  const docIds: Record<string, string> = {};
  let reranker: Server;
  let rerankCalls = 0;

  const waitCompleted = async (dataset: string, batch: string) => {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      const res = await server.rest('GET', `/v1/datasets/${dataset}/documents/${batch}/indexing-status`, { key });
      if (res.body.data.every((d: { indexing_status: string }) => d.indexing_status === 'completed')) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('indexing did not finish');
  };
  const retrieve = (json: unknown, path = 'retrieve', dataset = datasetId) =>
    server.rest('POST', `/v1/datasets/${dataset}/${path}`, { key, json });
  const docOf = (res: { body: { records: Array<{ segment: { document: { id: string } } }> } }) =>
    res.body.records.map((r) => Object.entries(docIds).find(([, id]) => id === r.segment.document.id)?.[0]);

  beforeAll(async () => {
    reranker = createServer(async (req, res) => {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      rerankCalls++;
      const { documents } = JSON.parse(raw) as { documents: string[] };
      // Prefers documents mentioning "iron", to show that its order wins.
      const results = documents.map((d, index) => ({ index, relevance_score: d.includes('iron') ? 0.99 : 0.1 }));
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ results: results.sort((a, b) => b.relevance_score - a.relevance_score) }));
    });
    await new Promise<void>((resolve) => reranker.listen(0, '127.0.0.1', resolve));
    const address = reranker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    server = await startTestServer({ INDEXING_POLL_MS: '100', RERANK_BASE_URL: `http://127.0.0.1:${port}`, RERANK_PROVIDER: 'jina', RERANK_MODEL: 'jina-reranker' });
    key = await server.createKey('acme');
    datasetId = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'corpus', indexing_technique: 'high_quality' } })).body.id;
    for (const [name, text] of Object.entries(CORPUS)) {
      const res = await server.rest('POST', `/v1/datasets/${datasetId}/document/create-by-text`, { key, json: { name, text } });
      docIds[name] = res.body.document.id;
      await waitCompleted(datasetId, res.body.batch);
    }
  });
  afterAll(async () => {
    await server.close();
    reranker.close();
  });

  for (const method of ['semantic_search', 'full_text_search', 'hybrid_search']) {
    it(`${method}: each query finds its document in the top 3 (English, Chinese, Japanese)`, async () => {
      for (const [query, expected] of QUERIES) {
        const res = await retrieve({ query, retrieval_model: model(method) });
        expect(res.status, res.text).toBe(200);
        expect(docOf(res).slice(0, 3), `${method}: ${query}`).toContain(expected);
      }
    });
  }

  it('a dataset of the earlier built-in model (builtin-lexical-384) still indexes and finds with its own vectors', async () => {
    const created = await server.rest('POST', '/v1/datasets', {
      key,
      json: { name: 'earlier model', indexing_technique: 'high_quality', embedding_model: 'builtin-lexical-384', embedding_model_provider: 'knowledge-gateway' },
    });
    expect(created.body).toMatchObject({ embedding_model: 'builtin-lexical-384' });
    const earlier = created.body.id as string;
    for (const name of ['eiffel', 'coffee', 'health']) {
      const res = await server.rest('POST', `/v1/datasets/${earlier}/document/create-by-text`, { key, json: { name, text: CORPUS[name] } });
      await waitCompleted(earlier, res.body.batch);
    }
    const dimensions = await server.prisma.$queryRawUnsafe<{ dimension: number }[]>(
      'SELECT DISTINCT dimension FROM embeddings WHERE dataset_id = $1::uuid',
      earlier,
    );
    expect(dimensions).toEqual([{ dimension: 384 }]);
    const res = await retrieve({ query: 'espresso coffee beans', retrieval_model: model('semantic_search') }, 'retrieve', earlier);
    expect(res.status, res.text).toBe(200);
    expect(res.body.records[0].segment.content).toBe(CORPUS.coffee);
  });

  it("answers Dify's record shape, on both paths", async () => {
    for (const path of ['retrieve', 'hit-testing']) {
      const res = await retrieve({ query: 'Eiffel Tower', retrieval_model: model('semantic_search') }, path);
      expect(res.body.query).toEqual({ content: 'Eiffel Tower' });
      const [record] = res.body.records;
      expect(Object.keys(record)).toEqual(['segment', 'child_chunks', 'score', 'tsne_position', 'files', 'summary']);
      expect(record.segment.document).toEqual({ id: docIds.eiffel, data_source_type: 'upload_file', name: 'eiffel', doc_type: null, doc_metadata: null });
      expect(record.segment).toMatchObject({ content: CORPUS.eiffel, status: 'completed', enabled: true });
      expect(record.score).toBeGreaterThan(0);
      const scores = res.body.records.map((r: { score: number }) => r.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
  });

  it('uses the dataset settings without retrieval_model, and applies top_k and the score threshold after ranking', async () => {
    const res = await retrieve({ query: 'Eiffel Tower' });
    expect(res.body.records.length).toBeLessThanOrEqual(4);
    const top1 = await retrieve({ query: 'Eiffel Tower', retrieval_model: model('semantic_search', { top_k: 1 }) });
    expect(top1.body.records).toHaveLength(1);
    const strict = await retrieve({ query: 'Eiffel Tower', retrieval_model: model('hybrid_search', { score_threshold_enabled: true, score_threshold: 0.2, top_k: 10 }) });
    expect(strict.body.records.length).toBeGreaterThan(0);
    expect(strict.body.records.every((r: { score: number }) => r.score >= 0.2)).toBe(true);
    expect(docOf(strict)).not.toContain('coffee');
  });

  it('reranks with the configured model, and refuses an unknown one', async () => {
    const before = rerankCalls;
    const res = await retrieve({
      query: 'Paris tower',
      retrieval_model: model('hybrid_search', { reranking_enable: true, reranking_mode: 'reranking_model', reranking_model: { reranking_provider_name: 'jina', reranking_model_name: 'jina-reranker' } }),
    });
    expect(rerankCalls).toBe(before + 1);
    expect(docOf(res)[0]).toBe('eiffel');
    expect(res.body.records[0].score).toBeCloseTo(0.99);
    const unknown = await retrieve({
      query: 'Paris',
      retrieval_model: model('semantic_search', { reranking_enable: true, reranking_model: { reranking_provider_name: 'x', reranking_model_name: 'y' } }),
    });
    expect(unknown.body).toMatchObject({ code: 'provider_not_initialize', status: 400 });
  });

  it('weighted hybrid scores follow the weights', async () => {
    const weights = (vector: number, keyword: number) =>
      model('hybrid_search', {
        reranking_mode: 'weighted_score',
        weights: { vector_setting: { vector_weight: vector, embedding_provider_name: '', embedding_model_name: '' }, keyword_setting: { keyword_weight: keyword } },
      });
    const keywordOnly = await retrieve({ query: 'roasted coffee', retrieval_model: weights(0, 1) });
    expect(docOf(keywordOnly)[0]).toBe('coffee');
    expect(keywordOnly.body.records[0].score).toBeLessThanOrEqual(1);
  });

  it('never returns disabled segments or disabled documents, and filters by metadata before ranking', async () => {
    await server.rest('PATCH', `/v1/datasets/${datasetId}/documents/status/disable`, { key, json: { document_ids: [docIds.eiffel] } });
    const res = await retrieve({ query: 'Eiffel Tower Paris', retrieval_model: model('hybrid_search', { top_k: 10 }) });
    expect(docOf(res)).not.toContain('eiffel');
    await server.rest('PATCH', `/v1/datasets/${datasetId}/documents/status/enable`, { key, json: { document_ids: [docIds.eiffel] } });

    await server.prisma.document.update({ where: { id: docIds.coffee }, data: { docMetadata: { topic: 'food', year: 2020 } } });
    await server.prisma.document.update({ where: { id: docIds.health }, data: { docMetadata: { topic: 'body', year: 2010 } } });
    const filtered = (conditions: unknown[], logical = 'and', method = 'semantic_search') =>
      retrieve({ query: 'Eiffel Tower Paris iron', retrieval_model: model(method, { top_k: 1, metadata_filtering_conditions: { logical_operator: logical, conditions } }) });
    // The best match overall is the Eiffel document, but the filter allows only coffee: it still comes back (top_k 1).
    for (const method of ['semantic_search', 'full_text_search', 'hybrid_search']) {
      const byTopic = await filtered([{ name: 'topic', comparison_operator: 'is', value: 'food' }], 'and', method);
      expect(docOf(byTopic), method).toEqual(method === 'full_text_search' ? [] : ['coffee']);
    }
    expect(docOf(await filtered([{ name: 'year', comparison_operator: '>', value: 2015 }]))).toEqual(['coffee']);
    expect(docOf(await filtered([{ name: 'year', comparison_operator: '≤', value: 2010 }]))).toEqual(['health']);
    expect(docOf(await filtered([{ name: 'topic', comparison_operator: 'in', value: ['body'] }]))).toEqual(['health']);
    expect(docOf(await filtered([{ name: 'topic', comparison_operator: 'contains', value: 'oo' }]))).toEqual(['coffee']);
    expect(docOf(await filtered([{ name: 'document_name', comparison_operator: 'start with', value: 'eif' }]))).toEqual(['eiffel']);
    expect(docOf(await filtered([{ name: 'topic', comparison_operator: 'is', value: 'none' }]))).toEqual([]);
    const either = await filtered([{ name: 'topic', comparison_operator: 'is', value: 'food' }, { name: 'document_name', comparison_operator: 'is', value: 'eiffel' }], 'or');
    expect(docOf(either)).toEqual(['eiffel']);
    const notEmpty = await retrieve({ query: 'health', retrieval_model: model('semantic_search', { top_k: 10, metadata_filtering_conditions: { conditions: [{ name: 'topic', comparison_operator: 'not empty' }] } }) });
    expect(docOf(notEmpty).sort()).toEqual(['coffee', 'health']);
    const bad = await filtered([{ name: 'topic', comparison_operator: 'like', value: 'x' }]);
    expect(bad.body.code).toBe('invalid_param');
  });

  it('validates the query and the model', async () => {
    expect((await retrieve({ query: 'x'.repeat(251) })).body).toEqual({ code: 'invalid_param', message: 'Query cannot exceed 250 characters', status: 400 });
    expect((await retrieve({ query: '文'.repeat(250) })).status).toBe(200);
    expect((await retrieve({})).status).toBe(400);
    const unknown = await retrieve({ query: 'x', retrieval_model: model('magic_search') });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('invalid_param');
    const partial = await retrieve({ query: 'x', retrieval_model: { search_method: 'semantic_search' } });
    expect(partial.status).toBe(400);
    const other = await server.createKey('other');
    expect((await server.rest('POST', `/v1/datasets/${datasetId}/retrieve`, { key: other, json: { query: 'x' } })).status).toBe(404);
  });

  it('keyword_search on an economy dataset, and parent-child datasets return parents with matching children', async () => {
    const eco = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'eco', indexing_technique: 'economy' } })).body.id;
    for (const [name, text] of Object.entries({ rivers: 'Rivers flow into the sea. Rivers carry sediment.', bread: 'Bread is baked from flour and water.' })) {
      const res = await server.rest('POST', `/v1/datasets/${eco}/document/create-by-text`, { key, json: { name, text } });
      await waitCompleted(eco, res.body.batch);
    }
    const res = await retrieve({ query: 'sediment in rivers', retrieval_model: model('keyword_search') }, 'retrieve', eco);
    expect(res.body.records[0].segment.content).toMatch(/^Rivers/);
    expect(res.body.records).toHaveLength(1);

    const pc = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'pc', indexing_technique: 'high_quality' } })).body.id;
    const created = await server.rest('POST', `/v1/datasets/${pc}/document/create-by-text`, {
      key,
      json: {
        name: 'pc',
        text: 'Saturn has rings of ice.\nSaturn is a gas giant.\n\nMars is red.\nMars has two moons.',
        doc_form: 'hierarchical_model',
        process_rule: { mode: 'hierarchical', rules: { pre_processing_rules: [], parent_mode: 'paragraph', segmentation: { separator: '\\n\\n', max_tokens: 500 }, subchunk_segmentation: { separator: '\\n', max_tokens: 100 } } },
      },
    });
    await waitCompleted(pc, created.body.batch);
    const hits = await retrieve({ query: 'rings of Saturn', retrieval_model: model('semantic_search', { top_k: 2 }) }, 'retrieve', pc);
    const [parent] = hits.body.records;
    expect(parent.segment.content).toBe('Saturn has rings of ice.\nSaturn is a gas giant.');
    expect(parent.child_chunks[0]).toMatchObject({ content: 'Saturn has rings of ice.', position: 1 });
    expect(parent.score).toBe(parent.child_chunks[0].score);
    const fullDoc = await retrieve({ query: 'Mars moons', retrieval_model: model('full_text_search') }, 'retrieve', pc);
    expect(fullDoc.body.records[0].child_chunks[0].content).toBe('Mars has two moons.');
  });
});
