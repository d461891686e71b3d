// The Meilisearch adapter's side of the protocol, against a stand-in server: what it sends, that writes wait for
// their task, and that failures become readable errors. Search quality is the contract suite's job.
import { afterEach, describe, expect, it } from 'vitest';
import { FullTextEngineError, MeilisearchFullTextIndex } from '../../../src/search/fulltext/meilisearch.ts';
import type { FullTextEntry } from '../../../src/search/fulltext/port.ts';
import { MASTER_KEY, startFakeMeilisearch, type TaskOutcome } from './meilisearch-server.ts';

const entry = (n: number): FullTextEntry => ({
  nodeId: `node-${n}`,
  workspaceId: 'w',
  datasetId: 'd',
  documentId: `doc-${n}`,
  segmentId: `seg-${n}`,
  childChunkId: null,
  content: `text ${n}`,
});

describe('Meilisearch adapter (protocol)', () => {
  let server: Awaited<ReturnType<typeof startFakeMeilisearch>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function open(options: Parameters<typeof startFakeMeilisearch>[0] = {}, apiKey = MASTER_KEY) {
    server = await startFakeMeilisearch(options);
    return { server, index: new MeilisearchFullTextIndex({ url: server.url, apiKey, indexName: 'segments', batchSize: 2 }) };
  }

  it('creates the index with node_id as primary key and filterable ids, keeping an existing index', async () => {
    const { server, index } = await open({
      outcome: (r): TaskOutcome =>
        r.path === '/indexes' ? { status: 'failed', error: { message: 'Index `segments` already exists.', code: 'index_already_exists' } } : { status: 'succeeded' },
    });
    await index.init();
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /indexes', 'PATCH /indexes/segments/settings']);
    expect(server.requests[0]?.body).toEqual({ uid: 'segments', primaryKey: 'node_id' });
    expect(server.requests[1]?.body).toMatchObject({
      filterableAttributes: expect.arrayContaining(['dataset_id', 'document_id', 'segment_id']),
      searchableAttributes: ['content'],
    });
  });

  it('waits for each write’s task, in batches', async () => {
    const { server, index } = await open();
    await index.upsert([entry(1), entry(2), entry(3)]);
    const writes = server.requests.filter((r) => r.path === '/indexes/segments/documents');
    expect(writes.map((r) => (r.body as unknown[]).length)).toEqual([2, 1]);
    expect(writes[0]?.query.get('primaryKey')).toBe('node_id');
    expect((writes[0]?.body as unknown[])[0]).toEqual({
      node_id: 'node-1',
      workspace_id: 'w',
      dataset_id: 'd',
      document_id: 'doc-1',
      segment_id: 'seg-1',
      child_chunk_id: null,
      content: 'text 1',
    });
    // Two tasks, each polled until it ended (processing, then succeeded).
    expect(server.polls()).toBe(4);
  });

  it('fails when a task fails, with Meilisearch’s reason', async () => {
    const { index } = await open({
      outcome: () => ({ status: 'failed', error: { message: 'Document identifier `a b` is invalid.', code: 'invalid_document_id' } }),
    });
    const failure = index.upsert([entry(1)]);
    await expect(failure).rejects.toBeInstanceOf(FullTextEngineError);
    await expect(failure).rejects.toThrow(
      'Meilisearch indexing on index segments failed: Document identifier `a b` is invalid. (invalid_document_id)',
    );
  });

  it('deletes by ids and by filters', async () => {
    const { server, index } = await open();
    await index.deleteByNodeIds(['node-1', 'node-2']);
    await index.deleteByNodeIds([]);
    await index.deleteByDocument('doc-1');
    await index.deleteByDataset('d"1');
    expect(server.requests.map((r) => [r.path, r.body])).toEqual([
      ['/indexes/segments/documents/delete-batch', ['node-1', 'node-2']],
      ['/indexes/segments/documents/delete', { filter: 'document_id = "doc-1"' }],
      ['/indexes/segments/documents/delete', { filter: 'dataset_id = "d\\"1"' }],
    ]);
  });

  it('searches inside the dataset (and documents) with ranking scores', async () => {
    const { server, index } = await open({
      hits: [{ node_id: 'node-1', segment_id: 'seg-1', child_chunk_id: 'child-1', _rankingScore: 0.75 }],
    });
    const hits = await index.search('d', 'travel policy', { topK: 3, documentIds: ['doc-1', 'doc-2'] });
    expect(hits).toEqual([{ nodeId: 'node-1', segmentId: 'seg-1', childChunkId: 'child-1', score: 0.75 }]);
    expect(server.requests[0]?.path).toBe('/indexes/segments/search');
    expect(server.requests[0]?.body).toMatchObject({
      q: 'travel policy',
      filter: ['dataset_id = "d"', 'document_id IN ["doc-1", "doc-2"]'],
      limit: 3,
      showRankingScore: true,
      matchingStrategy: 'frequency',
    });
    expect(await index.search('d', ' ?! ', { topK: 3 })).toEqual([]);
    expect(await index.search('d', 'travel', { topK: 3, documentIds: [] })).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('turns API and connection errors into readable errors', async () => {
    const { server, index } = await open({}, 'wrong-key');
    await expect(index.search('d', 'x', { topK: 1 })).rejects.toThrow(
      'Meilisearch search on index segments failed: HTTP 401 (invalid_api_key): The provided API key is invalid.',
    );
    await server.close();
    await expect(index.upsert([entry(1)])).rejects.toThrow(/^Meilisearch indexing on index segments failed: .*fetch failed.*ECONNREFUSED/);
  });
});
