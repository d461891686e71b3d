// The schema and the resolvers agree: what the schema allows works, what it refuses is a typed error; closed sets
// are enums in answers and arguments alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlData, startTestServer, type TestServer } from '../helpers/server.ts';

describe('GraphQL document writes', () => {
  let server: TestServer;
  let key: string;

  const run = (query: string, variables: Record<string, unknown> = {}) => gqlData(server, key, query, variables);

  const upload = async (datasetId: string, name: string, text: string) => {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: `mutation ($input: CreateDocumentByFileInput!) { createDocumentByFile(input: $input) {
          __typename ... on CreateDocumentByFilePayload { document { id name processRule { mode } } }
          ... on Error { code message } } }`,
        variables: { input: { datasetId, file: null } },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.input.file'] }));
    form.append('0', new Blob([text]), name);
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: form });
    // biome-ignore lint/suspicious/noExplicitAny: read field by field
    return ((await response.json()) as any).data.createDocumentByFile;
  };

  const waitFor = async (id: string, status: string) => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const { node } = await run('query ($id: ID!) { node(id: $id) { ... on Document { indexingStatus } } }', { id });
      if (node.indexingStatus === status) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`document never reached ${status}`);
  };

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '50' });
    key = await server.createKey('acme');
  });
  afterAll(() => server.close());

  it('creates by file without a process rule, renames without re-indexing, and refuses to pause a completed document', async () => {
    const datasetId = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'writes', indexing_technique: 'economy' } })).body.id;
    const created = await upload(datasetId, 'notes.txt', 'one\n\ntwo');
    expect(created).toMatchObject({ __typename: 'CreateDocumentByFilePayload', document: { name: 'notes.txt', processRule: { mode: 'AUTOMATIC' } } });
    const id = created.document.id;
    await waitFor(id, 'COMPLETED');

    const renamed = await run(
      `mutation ($datasetId: ID!, $id: ID!) { updateDocument(input: { datasetId: $datasetId, documentId: $id, name: "renamed.txt" }) {
        __typename ... on UpdateDocumentPayload { document { id name indexingStatus displayStatus } } } }`,
      { datasetId, id },
    );
    expect(renamed.updateDocument.document).toEqual({ id, name: 'renamed.txt', indexingStatus: 'COMPLETED', displayStatus: 'AVAILABLE' });

    const paused = await run(
      `mutation ($datasetId: ID!, $id: ID!) { pauseDocumentIndexing(input: { datasetId: $datasetId, documentId: $id }) {
        __typename ... on Error { code message } } }`,
      { datasetId, id },
    );
    expect(paused.pauseDocumentIndexing).toMatchObject({ __typename: 'InvalidAction', code: 'INVALID_ACTION' });
  });

  it('filters and changes documents with the same enums it answers with', async () => {
    const datasetId = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'enums', indexing_technique: 'economy' } })).body.id;
    const { document } = await upload(datasetId, 'a.txt', 'alpha');
    await waitFor(document.id, 'COMPLETED');
    const archived = await run(
      `mutation ($datasetId: ID!, $ids: [ID!]!) { updateDocumentsStatus(input: { datasetId: $datasetId, action: ARCHIVE, documentIds: $ids }) {
        ... on UpdateDocumentsStatusPayload { documents { id displayStatus } } } }`,
      { datasetId, ids: [document.id] },
    );
    expect(archived.updateDocumentsStatus.documents).toEqual([{ id: document.id, displayStatus: 'ARCHIVED' }]);
    const list = async (status: string) =>
      (await run(`query ($id: ID!) { dataset(id: $id) { documents(status: ${status}) { totalCount } } }`, { id: datasetId })).dataset
        .documents.totalCount;
    expect(await list('ARCHIVED')).toBe(1);
    expect(await list('AVAILABLE')).toBe(0);
    const wrong = await server.gql(key, `query ($id: ID!) { dataset(id: $id) { documents(status: "archived") { totalCount } } }`, { id: datasetId });
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers the remaining closed sets as enums, and takes them as enums', async () => {
    const datasetId = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'closed sets', indexing_technique: 'economy' } })).body.id;
    const tag = (await run('mutation { createTag(input: { name: "blue" }) { ... on CreateTagPayload { tag { id } } } }')).createTag.tag;
    await run('mutation ($d: ID!, $t: ID!) { bindTags(input: { datasetId: $d, tagIds: [$t] }) { __typename } }', { d: datasetId, t: tag.id });
    await run('mutation ($d: ID!) { createDocumentByText(input: { datasetId: $d, name: "e.txt", text: "enums" }) { __typename } }', { d: datasetId });
    const data = await run(
      `query ($id: ID!) { dataset(id: $id) { runtimeMode tags { type } documents { edges { node { createdFrom } } } }
        models(modelType: TEXT_EMBEDDING) { provider } }`,
      { id: datasetId },
    );
    expect(data.dataset).toEqual({ runtimeMode: 'GENERAL', tags: [{ type: 'KNOWLEDGE' }], documents: { edges: [{ node: { createdFrom: 'API' } }] } });
    const typeOf = async (type: string, field: string) => {
      const { __type } = await run(`{ __type(name: "${type}") { fields { name type { name ofType { name } } } inputFields { name type { name } } } }`);
      const found = [...(__type.fields ?? []), ...(__type.inputFields ?? [])].find((f: { name: string }) => f.name === field);
      return found.type.name ?? found.type.ofType.name;
    };
    expect(await typeOf('Dataset', 'chunkStructure')).toBe('DocForm');
    expect(await typeOf('ChildChunk', 'type')).toBe('ChildChunkType');
    expect(await typeOf('PreProcessingRuleInput', 'id')).toBe('PreProcessingRuleId');
    expect(await typeOf('IndexingProgress', 'errorCode')).toBe('IndexingErrorCode');
    expect(await typeOf('ModelInfo', 'modelType')).toBe('ModelType');
    const asString = await server.gql(key, '{ models(modelType: "text-embedding") { provider } }');
    expect(asString.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
