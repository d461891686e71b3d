// Every error carries a machine `code` in `extensions`, and GraphQL-over-HTTP status codes follow the media type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const RESPONSE_JSON = 'application/graphql-response+json';

describe('GraphQL error codes and HTTP status', () => {
  let server: TestServer;
  let key: string;

  const post = async (body: unknown, accept = RESPONSE_JSON) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: accept, Authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read the error list
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    server = await startTestServer({
      INDEXING_WORKER: 'off',
      GRAPHQL_MAX_DEPTH: '5',
      GRAPHQL_MAX_ALIASES: '3',
      GRAPHQL_MAX_TOKENS: '400',
      UPLOAD_FILE_SIZE_LIMIT: '1',
    });
    key = await server.createKey('acme');
  });
  afterAll(() => server.close());

  it('typed errors expose a code field', async () => {
    const create = 'mutation { createDataset(input: { name: "twice" }) { __typename ... on Error { code message } } }';
    await post({ query: create });
    const res = await post({ query: create });
    expect(res.body.data.createDataset).toMatchObject({ __typename: 'DatasetNameTaken', code: 'DATASET_NAME_TAKEN' });
    const missing = await post({
      query: 'mutation { renameTag(input: { tagId: "00000000-0000-0000-0000-000000000000", name: "x" }) { ... on Error { code } } }',
    });
    expect(missing.body.data.renameTag.code).toBe('NOT_FOUND');
  });

  it.each([
    ['depth', '{ datasets { edges { node { documents { edges { node { name } } } } } } }', 'MAX_DEPTH_EXCEEDED'],
    ['aliases', '{ a: tags { id } b: tags { id } c: tags { id } d: tags { id } }', 'MAX_ALIASES_EXCEEDED'],
    ['tokens', `{ ${Array.from({ length: 200 }, () => 'tags { id }').join(' ')} }`, 'MAX_TOKENS_EXCEEDED'],
    ['cost', '{ datasets(first: 100) { edges { node { documents(first: 100) { totalCount } } } } }', 'QUERY_TOO_COMPLEX'],
    ['validation', '{ nothingHere }', 'GRAPHQL_VALIDATION_FAILED'],
    ['syntax', '{ tags { ', 'GRAPHQL_PARSE_FAILED'],
  ])('a %s failure answers 400 with a code', async (_name, query, code) => {
    const res = await post({ query });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe(code);
    expect(res.body.errors[0].message).not.toMatch(/^Syntax Error: Query/);
  });

  it('a variable coercion failure answers 400 under graphql-response+json and 200 under application/json', async () => {
    const request = { query: 'query ($first: Int) { datasets(first: $first) { totalCount } }', variables: { first: 'ten' } };
    const strict = await post(request);
    expect(strict.status).toBe(400);
    expect(strict.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const legacy = await post(request, 'application/json');
    expect(legacy.status).toBe(200);
    expect(legacy.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('bad global IDs and bad cursors have codes', async () => {
    const node = await post({ query: '{ node(id: "not-a-global-id") { id } }' });
    expect(node.body.errors[0].extensions.code).toBe('INVALID_ID');
    const cursor = await post({ query: '{ datasets(after: "nope") { totalCount } }' });
    expect(cursor.body.errors[0].extensions.code).toBe('INVALID_CURSOR');
  });

  it('an upload over the limit is the typed FileTooLarge, not a masked error', async () => {
    const dataset = await post({ query: 'mutation { createDataset(input: { name: "uploads" }) { ... on CreateDatasetPayload { dataset { id } } } }' });
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: `mutation ($datasetId: ID!, $file: Upload!) { createDocumentByFile(input: { datasetId: $datasetId, file: $file }) {
          __typename ... on Error { code message } ... on FileTooLarge { limitBytes } } }`,
        variables: { datasetId: dataset.body.data.createDataset.dataset.id, file: null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([new Uint8Array(2 * 1024 * 1024).fill(97)]), 'big.txt');
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: form });
    const body = (await response.json()) as { data: { createDocumentByFile: Record<string, unknown> } };
    expect(body.data.createDocumentByFile).toMatchObject({ __typename: 'FileTooLarge', code: 'FILE_TOO_LARGE', limitBytes: 1024 * 1024 });
  });

  it('unauthenticated requests have a code and 401', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: RESPONSE_JSON },
      body: JSON.stringify({ query: '{ tags { id } }' }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});
