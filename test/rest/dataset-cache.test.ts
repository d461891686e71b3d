// Searches remember their dataset between requests (no round trip for it), and a change still takes effect: at once
// for this server's own writes, within a second for a change made anywhere else (the database's notice).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../src/events/pubsub.ts';
import { waitForDocuments } from '../helpers/indexing.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { statementsSentBy } from '../helpers/statements.ts';

const TEXT = ['apples are red', 'bananas are yellow', 'cherries are dark red', 'grapes are green or purple'].join('\n\n');

describe('datasets remembered between searches', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer();
    key = await server.createKey('dataset-cache');
  });
  afterAll(async () => {
    await server.close();
  });

  async function indexedDataset(name: string) {
    const dataset = await server.rest('POST', '/v1/datasets', { key, json: { name, indexing_technique: 'high_quality' } });
    expect(dataset.status).toBe(200);
    const id: string = dataset.body.id;
    const created = await server.rest('POST', `/v1/datasets/${id}/document/create-by-text`, {
      key,
      json: {
        name: 'fruit.txt',
        text: TEXT,
        indexing_technique: 'high_quality',
        process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\n\n', max_tokens: 100 } } },
      },
    });
    expect(created.status).toBe(200);
    await waitForDocuments(server, key, id);
    return id;
  }
  /** A search with the dataset's own retrieval settings (no retrieval_model in the request). */
  const search = (id: string, as = key) => server.rest('POST', `/v1/datasets/${id}/retrieve`, { key: as, json: { query: 'red fruit' } });
  const datasetReads = async (work: () => Promise<unknown>) =>
    (await statementsSentBy(work)).statements.filter((s) => /FROM "public"\."datasets"/.test(s.text)).length;
  const settings = (topK: number) => ({
    retrieval_model: { search_method: 'semantic_search', reranking_enable: false, top_k: topK, score_threshold_enabled: false },
  });

  it('reads a dataset once, then searches it without reading it again', async () => {
    const id = await indexedDataset('remembered');
    expect(await datasetReads(() => search(id))).toBe(1);
    expect(await datasetReads(() => search(id))).toBe(0);
    const graphql = await server.gql(key, 'query ($id: ID!) { retrieve(datasetId: $id, query: "red") { __typename } }', { id });
    expect(graphql.body.errors).toBeUndefined();
  });

  it("applies this server's own change to the settings at once", async () => {
    const id = await indexedDataset('own-change');
    expect((await server.rest('PATCH', `/v1/datasets/${id}`, { key, json: settings(1) })).status).toBe(200);
    expect((await search(id)).body.records).toHaveLength(1);
    expect((await server.rest('PATCH', `/v1/datasets/${id}`, { key, json: settings(3) })).status).toBe(200);
    expect((await search(id)).body.records).toHaveLength(3);
  });

  it('applies a change made elsewhere (another process, a statement) within a second', async () => {
    const id = await indexedDataset('elsewhere');
    expect((await server.rest('PATCH', `/v1/datasets/${id}`, { key, json: settings(1) })).status).toBe(200);
    expect((await search(id)).body.records).toHaveLength(1);
    await server.prisma.$executeRaw`UPDATE datasets SET retrieval_model = jsonb_set(retrieval_model, '{topK}', '2') WHERE id = ${id}::uuid`;
    await vi.waitFor(async () => expect((await search(id)).body.records).toHaveLength(2), { timeout: 1_000, interval: 5 });

    await server.prisma.$executeRaw`UPDATE datasets SET enable_api = false WHERE id = ${id}::uuid`;
    await vi.waitFor(async () => expect((await search(id)).status).toBe(403), { timeout: 1_000, interval: 5 });
    await server.prisma.$executeRaw`UPDATE datasets SET enable_api = true WHERE id = ${id}::uuid`;
    await vi.waitFor(async () => expect((await search(id)).status).toBe(200), { timeout: 1_000, interval: 5 });

    await server.prisma.$executeRaw`DELETE FROM datasets WHERE id = ${id}::uuid`;
    await vi.waitFor(async () => expect((await search(id)).status).toBe(404), { timeout: 1_000, interval: 5 });
  });

  it("forgets a dataset deleted through the API at once", async () => {
    const id = await indexedDataset('deleted');
    expect((await search(id)).status).toBe(200);
    expect((await server.rest('DELETE', `/v1/datasets/${id}`, { key })).status).toBe(204);
    expect((await search(id)).status).toBe(404);
  });

  it("never shows a remembered dataset to another workspace's key", async () => {
    const id = await indexedDataset('private');
    expect((await search(id)).status).toBe(200);
    const stranger = await server.createKey('dataset-cache-other');
    const answer = await search(id, stranger);
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('not_found');
    const graphql = await server.gql(stranger, 'query ($id: ID!) { retrieve(datasetId: $id, query: "red") { __typename } }', { id });
    expect(JSON.stringify(graphql.body)).not.toContain('QueryRetrieveSuccess');
  });

  it('sends no notice when only the document counter or a name changes', async () => {
    const id = await indexedDataset('quiet');
    const heard: unknown[] = [];
    const stop = await server.services.pubsub.subscribe(CHANNELS.datasetChanged, (notice) => heard.push(notice));
    try {
      await server.rest('POST', `/v1/datasets/${id}/document/create-by-text`, {
        key,
        json: { name: 'more.txt', text: 'plums are purple', indexing_technique: 'high_quality', process_rule: { mode: 'automatic' } },
      });
      await server.rest('PATCH', `/v1/datasets/${id}`, { key, json: { name: 'quiet, renamed' } });
      await server.rest('PATCH', `/v1/datasets/${id}`, { key, json: settings(2) });
      await vi.waitFor(() => expect(heard).toEqual([{ datasetId: id }]), { timeout: 1_000, interval: 5 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toHaveLength(1);
    } finally {
      stop();
    }
  });
});
