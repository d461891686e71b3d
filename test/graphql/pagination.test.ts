// Keyset pagination: cursors hold the row's ordering key, so writes between page requests never repeat or skip rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const PAGE = `query ($datasetId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  dataset(id: $datasetId) {
    documents(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { name } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

interface Page {
  totalCount: number;
  edges: { cursor: string; node: { name: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
}

describe('GraphQL keyset pagination', () => {
  let server: TestServer;
  let key: string;

  const newDataset = async (name: string) => (await server.rest('POST', '/v1/datasets', { key, json: { name } })).body.id as string;
  const addDocument = (datasetId: string, name: string) =>
    server.rest('POST', `/v1/datasets/${datasetId}/document/create-by-text`, {
      key,
      json: { name, text: `text of ${name}`, indexing_technique: 'economy', process_rule: { mode: 'automatic' } },
    });
  const page = async (variables: Record<string, unknown>) => {
    const res = await server.gql<{ dataset: { documents: Page } }>(key, PAGE, variables);
    return res;
  };
  const names = (p: Page) => p.edges.map((e) => e.node.name);

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off' });
    key = await server.createKey('acme');
  });
  afterAll(() => server.close());

  it('an insert and a delete between pages neither repeat nor skip a row', async () => {
    const datasetId = await newDataset('paged');
    for (const n of [1, 2, 3, 4, 5]) await addDocument(datasetId, `doc-${n}`);

    const first = (await page({ datasetId, first: 2 })).body.data?.dataset.documents as Page;
    expect(names(first)).toEqual(['doc-5', 'doc-4']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    await addDocument(datasetId, 'doc-6');
    const second = (await page({ datasetId, first: 2, after: first.pageInfo.endCursor })).body.data?.dataset.documents as Page;
    expect(names(second)).toEqual(['doc-3', 'doc-2']);
    expect(second.totalCount).toBe(6);

    const doc2 = await server.prisma.document.findFirstOrThrow({ where: { datasetId, name: 'doc-2' } });
    await server.rest('DELETE', `/v1/datasets/${datasetId}/documents/${doc2.id}`, { key });
    const third = (await page({ datasetId, first: 2, after: second.pageInfo.endCursor })).body.data?.dataset.documents as Page;
    expect(names(third)).toEqual(['doc-1']);
    expect(third.pageInfo.hasNextPage).toBe(false);

    const back = (await page({ datasetId, last: 2, before: second.pageInfo.startCursor })).body.data?.dataset.documents as Page;
    expect(names(back)).toEqual(['doc-5', 'doc-4']);
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it('refuses pages over 100 with a code instead of cutting them', async () => {
    const datasetId = await newDataset('big pages');
    for (const [argument, value] of [['first', 150], ['last', 101]] as const) {
      const res = await page({ datasetId, [argument]: value });
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'EXCESSIVE_PAGINATION', argument, limit: 100 });
      expect(res.body.errors?.[0]?.message).toContain(`exceeds the \`${argument}\` limit of 100`);
    }
    const negative = await page({ datasetId, first: -1 });
    expect(negative.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses cursors of another list, offset cursors and garbage with INVALID_CURSOR', async () => {
    const a = await newDataset('list a');
    const b = await newDataset('list b');
    await addDocument(a, 'a-1');
    await addDocument(b, 'b-1');
    const cursorOfA = ((await page({ datasetId: a, first: 1 })).body.data?.dataset.documents as Page).pageInfo.endCursor;
    const segmentsOfNothing = Buffer.from(JSON.stringify(['Query.datasets', 'createdAt-desc', ['2026-01-01T00:00:00.000Z', 'x']])).toString('base64url');
    for (const after of [cursorOfA, 'YXJyYXljb25uZWN0aW9uOjA=', 'not a cursor', segmentsOfNothing]) {
      const res = await page({ datasetId: b, first: 1, after });
      expect(res.body.errors?.[0]?.extensions?.code, after).toBe('INVALID_CURSOR');
    }
    const datasets = await server.gql<{ datasets: Page }>(key, 'query ($after: String) { datasets(first: 1, after: $after) { edges { node { name } } } }', {
      after: cursorOfA,
    });
    expect(datasets.body.errors?.[0]?.extensions?.code).toBe('INVALID_CURSOR');
  });
});
