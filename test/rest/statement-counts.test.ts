import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForDocuments } from '../helpers/indexing.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { statementsSentBy } from '../helpers/statements.ts';

// Counting the statements a request sends counts its round trips: a list whose statements grow with its page size
// has an N+1.
describe('statements per list request', () => {
  // Documents made by text have an upload file too (Dify stores the text as one), so lists join them.
  let server: TestServer;
  let key: string;
  let datasetId: string;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off' });
    key = await server.createKey('statements');
    const dataset = await server.rest('POST', '/v1/datasets', { key, json: { name: 'statements', indexing_technique: 'economy' } });
    datasetId = dataset.body.id;
    const fields = await server.rest('POST', `/v1/datasets/${datasetId}/metadata`, { key, json: { type: 'string', name: 'team' } });
    for (let i = 0; i < 20; i++) {
      const created = await server.rest('POST', `/v1/datasets/${datasetId}/document/create-by-text`, {
        key,
        json: { name: `doc-${i}.txt`, text: `document ${i}`, indexing_technique: 'economy', process_rule: { mode: 'automatic' } },
      });
      await server.rest('POST', `/v1/datasets/${datasetId}/documents/metadata`, {
        key,
        json: {
          operation_data: [
            { document_id: created.body.document.id, metadata_list: [{ id: fields.body.id, name: 'team', value: `t${i}` }] },
          ],
        },
      });
    }
  });
  afterAll(async () => {
    await server.close();
  });

  /** How many statements the request ran; none may read stored file bytes. */
  async function statementsOf(request: () => Promise<unknown>) {
    const { statements } = await statementsSentBy(request);
    expect(statements.filter((s) => s.text.includes('"upload_files"."data"'))).toEqual([]);
    return statements.length;
  }

  it('does not grow with the page size: REST documents list', async () => {
    const list = (limit: number) => () => server.rest('GET', `/v1/datasets/${datasetId}/documents?limit=${limit}`, { key });
    const small = await statementsOf(list(2));
    const large = await statementsOf(list(20));
    expect((await list(20)()).body.data[0].doc_metadata).toEqual([
      expect.objectContaining({ name: 'team', value: expect.stringMatching(/^t\d+$/) }),
    ]);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(12);
  });

  it('retrieve: search, and the segments joined to their documents; a key and a dataset already seen cost no statement', async () => {
    // Indexed first (the worker stops again before counting, so that its polling is not counted).
    await server.services.worker.start();
    await waitForDocuments(server, key, datasetId);
    await server.services.worker.stop();
    const retrieve = () =>
      server.rest('POST', `/v1/datasets/${datasetId}/retrieve`, {
        key,
        json: { query: 'document', retrieval_model: { search_method: 'keyword_search', top_k: 10, reranking_enable: false, score_threshold_enabled: false } },
      });
    expect((await retrieve()).body.records).toHaveLength(10);
    const { statements } = await statementsSentBy(retrieve);
    expect(statements.filter((s) => /api_keys/.test(s.text))).toEqual([]);
    expect(statements.filter((s) => /FROM "public"\."datasets"/.test(s.text))).toEqual([]);
    expect(statements.length).toBeLessThanOrEqual(2);
  });

  it('semantic retrieve: one statement, the search reading the segments and documents it answers with', async () => {
    const hq = await server.rest('POST', '/v1/datasets', { key, json: { name: 'statements-hq', indexing_technique: 'high_quality' } });
    for (let i = 0; i < 3; i++) {
      await server.rest('POST', `/v1/datasets/${hq.body.id}/document/create-by-text`, {
        key,
        json: { name: `hq-${i}.txt`, text: `semantic document ${i}`, indexing_technique: 'high_quality', process_rule: { mode: 'automatic' } },
      });
    }
    await server.services.worker.start();
    await waitForDocuments(server, key, hq.body.id);
    await server.services.worker.stop();
    const retrieve = (method = 'semantic_search') => () =>
      server.rest('POST', `/v1/datasets/${hq.body.id}/retrieve`, {
        key,
        json: { query: 'semantic document', retrieval_model: { search_method: method, top_k: 3, reranking_enable: false, score_threshold_enabled: false } },
      });
    const first = await retrieve()();
    expect(first.body.records).toHaveLength(3);
    const { result, statements } = await statementsSentBy(retrieve());
    expect(statements).toHaveLength(1);
    expect(result.body).toEqual(first.body);
    // The embedded full-text engine's statement brings them too; hybrid reads the rows of its final top-k in a second one.
    const fullText = await statementsSentBy(retrieve('full_text_search'));
    expect(fullText.result.body.records).toHaveLength(3);
    expect(fullText.statements).toHaveLength(1);
    const hybrid = await statementsSentBy(retrieve('hybrid_search'));
    expect(hybrid.result.body.records).toHaveLength(3);
    expect(hybrid.statements).toHaveLength(3);
    expect(hybrid.result.body.records.map((r: { segment: unknown }) => r.segment)).toEqual(
      expect.arrayContaining(first.body.records.map((r: { segment: unknown }) => r.segment)),
    );

    // The rows read by the search are the rows Prisma reads: same fields, same values, same types.
    const ids = first.body.records.map((r: { segment: { id: string } }) => r.segment.id);
    const dataset = await server.prisma.dataset.findUniqueOrThrow({ where: { id: hq.body.id } });
    const { vectors } = await server.services.indexes.embedderFor(dataset)!.embed(['semantic document']);
    const fromSearch = await server.services.indexes.vectors.searchUsable(hq.body.id, vectors[0]!, 3, null, { rows: true });
    const fromPrisma = await server.prisma.segment.findMany({ where: { id: { in: ids } }, include: { document: true } });
    expect(new Map(fromSearch.map((h) => [h.segmentId, h.row]))).toEqual(new Map(fromPrisma.map((s) => [s.id, s])));

    // A selection beyond the segment and its document (here the document's file) is loaded through Prisma instead.
    const deeper = await server.gql(
      key,
      `query ($id: ID!) { retrieve(datasetId: $id, query: "semantic document", retrievalModel: { searchMethod: SEMANTIC_SEARCH, topK: 3, rerankingEnable: false, scoreThresholdEnabled: false }) {
         ... on QueryRetrieveSuccess { data { records { segment { uuid content document { name uploadFile { name } } } } } } } }`,
      { id: hq.body.id },
    );
    expect(deeper.body.errors).toBeUndefined();
    const records = (deeper.body.data as { retrieve: { data: { records: { segment: { uuid: string; content: string; document: { name: string; uploadFile: { name: string } } } }[] } } }).retrieve.data.records;
    expect(records.map((r) => r.segment.uuid)).toEqual(ids);
    expect(records.map((r) => r.segment.document.uploadFile.name)).toEqual(records.map((r) => r.segment.document.name));
  });

  it('does not grow with the page size: GraphQL documents with their counts and metadata', async () => {
    const query = (first: number) => () =>
      server.gql(
        key,
        `query ($id: ID!, $first: Int!) { dataset(id: $id) { ... on Dataset { documents(first: $first) { edges { node {
           id name segmentCount hitCount averageSegmentLength metadata { field { name } value } uploadFile { name } } } } } } }`,
        { id: datasetId, first },
      );
    const small = await statementsOf(query(2));
    const large = await statementsOf(query(20));
    const answer = await query(20)();
    expect(answer.body.errors).toBeUndefined();
    expect(large).toBe(small);
  });
});
