// A frontend's day with Apollo Client's normalized cache: every write answers enough for the cache to update itself,
// and keyset cursors page through a list that changes between pages without repeating an item.
import { readFileSync } from 'node:fs';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { buildSchema, isAbstractType } from 'graphql';
import { relayStylePagination } from '@apollo/client/utilities';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DOCUMENTS = gql`
  query Documents($id: ID!, $after: String) {
    dataset(id: $id) {
      id
      documentCount
      documents(first: 2, after: $after) {
        edges { cursor node { id name } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

const CREATE_DOCUMENT = gql`
  mutation CreateDocument($datasetId: ID!, $name: String!) {
    createDocumentByText(input: { datasetId: $datasetId, name: $name, text: "some text" }) {
      __typename
      ... on CreateDocumentByTextPayload { document { id name } dataset { id documentCount } }
      ... on Error { code message }
    }
  }
`;

/** Apollo matches fragments on interfaces and unions (`... on Error`) only with the schema's possible types. */
function possibleTypes() {
  const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
  return Object.fromEntries(
    Object.values(schema.getTypeMap())
      .filter(isAbstractType)
      .map((type) => [type.name, schema.getPossibleTypes(type).map((t) => t.name)]),
  );
}

interface DocumentsData {
  dataset: {
    id: string;
    documentCount: number;
    documents: { edges: { cursor: string; node: { id: string; name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
  };
}

describe('Apollo Client against the API', () => {
  let server: TestServer;
  let client: ApolloClient;
  let requests = 0;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off' });
    const key = await server.createKey('acme');
    client = new ApolloClient({
      cache: new InMemoryCache({
        possibleTypes: possibleTypes(),
        typePolicies: { Dataset: { fields: { documents: relayStylePagination(['keyword', 'status']) } } },
      }),
      link: new HttpLink({
        uri: `${server.url}/graphql`,
        headers: { Authorization: `Bearer ${key}` },
        fetch: (input, init) => {
          requests++;
          return fetch(input, init);
        },
      }),
    });
  });
  afterAll(() => server.close());

  const names = (data: DocumentsData | null) => data?.dataset.documents.edges.map((e) => e.node.name);

  it('creates, pages with an insert between pages, edits and deletes with the cache kept right and no refetch', async () => {
    const created = await client.mutate<{ createDataset: { dataset: { id: string } } }>({
      mutation: gql`mutation { createDataset(input: { name: "apollo", indexingTechnique: ECONOMY }) {
        ... on CreateDatasetPayload { dataset { id name } } } }`,
    });
    const datasetId = created.data?.createDataset.dataset.id as string;
    for (const n of [1, 2, 3, 4, 5]) await client.mutate({ mutation: CREATE_DOCUMENT, variables: { datasetId, name: `doc-${n}` } });

    const first = await client.query<DocumentsData>({ query: DOCUMENTS, variables: { id: datasetId } });
    expect(names(first.data as DocumentsData)).toEqual(['doc-5', 'doc-4']);

    // Someone adds a document between two pages: the next page continues after doc-4, with no repeat.
    const inserted = await client.mutate({ mutation: CREATE_DOCUMENT, variables: { datasetId, name: 'doc-6' } });
    expect(inserted.data).toMatchObject({ createDocumentByText: { dataset: { documentCount: 6 } } });
    await client.query({ query: DOCUMENTS, variables: { id: datasetId, after: first.data?.dataset.documents.pageInfo.endCursor }, fetchPolicy: 'network-only' });
    const merged = client.readQuery<DocumentsData>({ query: DOCUMENTS, variables: { id: datasetId } });
    expect(names(merged)).toEqual(['doc-5', 'doc-4', 'doc-3', 'doc-2']);
    expect(merged?.dataset.documentCount).toBe(6);

    const doc4 = merged?.dataset.documents.edges[1]?.node.id as string;
    const doc3 = merged?.dataset.documents.edges[2]?.node.id as string;
    const before = requests;
    await client.mutate({
      mutation: gql`mutation Rename($datasetId: ID!, $id: ID!) { updateDocument(input: { datasetId: $datasetId, documentId: $id, name: "doc-4 renamed" }) {
        ... on UpdateDocumentPayload { document { id name } } } }`,
      variables: { datasetId, id: doc4 },
    });
    expect(names(client.readQuery<DocumentsData>({ query: DOCUMENTS, variables: { id: datasetId } }))).toEqual(['doc-5', 'doc-4 renamed', 'doc-3', 'doc-2']);

    await client.mutate({
      mutation: gql`mutation Delete($datasetId: ID!, $id: ID!) { deleteDocument(input: { datasetId: $datasetId, documentId: $id }) {
        ... on DeleteDocumentPayload { deletedDocumentId dataset { id documentCount } } } }`,
      variables: { datasetId, id: doc3 },
      update: (cache, { data }) => {
        const deletedId = (data as { deleteDocument: { deletedDocumentId: string } }).deleteDocument.deletedDocumentId;
        cache.evict({ id: cache.identify({ __typename: 'Document', id: deletedId }) });
        cache.gc();
      },
    });
    const after = client.readQuery<DocumentsData>({ query: DOCUMENTS, variables: { id: datasetId } });
    expect(names(after)).toEqual(['doc-5', 'doc-4 renamed', 'doc-2']);
    expect(after?.dataset.documentCount).toBe(5);
    expect(requests - before).toBe(2);
  });
});
