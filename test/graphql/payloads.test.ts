// Every mutation answers what it changed, with the selections a normalized client cache needs to update itself.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('GraphQL mutation payloads', () => {
  let server: TestServer;
  let key: string;

  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields it selected
  const run = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const res = await server.gql(key, query, variables);
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    return res.body.data;
  };

  const waitCompleted = async (documentId: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const data = await run('query ($id: ID!) { node(id: $id) { ... on Document { indexingStatus } } }', { id: documentId });
      if (data.node.indexingStatus === 'COMPLETED' || data.node.indexingStatus === 'completed') return;
      if (Date.now() > deadline) throw new Error('indexing did not complete');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const createDataset = async (name: string) =>
    (await run('mutation ($name: String!) { createDataset(input: { name: $name, indexingTechnique: ECONOMY }) { ... on MutationCreateDatasetSuccess { data { id } } } }', { name }))
      .createDataset.data.id as string;

  const createDocument = async (datasetId: string, name: string, text: string) => {
    const data = await run(
      `mutation ($datasetId: ID!, $name: String!, $text: String!) {
        createDocumentByText(datasetId: $datasetId, input: { name: $name, text: $text, processRule: { mode: CUSTOM, rules: { preProcessingRules: [], segmentation: { separator: "\\n", maxTokens: 100 } } } }) {
          __typename ... on MutationCreateDocumentByTextSuccess { data { document { id dataset { id documentCount } } } }
        }
      }`,
      { datasetId, name, text },
    );
    return data.createDocumentByText.data.document as { id: string; dataset: { id: string; documentCount: number } };
  };

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '50' });
    key = await server.createKey('acme');
  });
  afterAll(() => server.close());

  it('tag writes answer the dataset with its tags, and deleting answers the global ID', async () => {
    const datasetId = await createDataset('tagged');
    const tag = (await run('mutation { createTag(name: "red") { ... on MutationCreateTagSuccess { data { id name bindingCount } } } }')).createTag.data;
    expect(tag).toMatchObject({ name: 'red', bindingCount: 0 });

    const bound = await run(
      `mutation ($datasetId: ID!, $tagIds: [ID!]!) { bindTags(datasetId: $datasetId, tagIds: $tagIds) {
        __typename ... on MutationBindTagsSuccess { data { id tags { id name bindingCount } } } } }`,
      { datasetId, tagIds: [tag.id] },
    );
    expect(bound.bindTags.data).toEqual({ id: datasetId, tags: [{ id: tag.id, name: 'red', bindingCount: 1 }] });

    const unbound = await run(
      `mutation ($datasetId: ID!, $tagIds: [ID!]!) { unbindTags(datasetId: $datasetId, tagIds: $tagIds) {
        __typename ... on MutationUnbindTagsSuccess { data { id tags { id } docMetadata { id name } } } } }`,
      { datasetId, tagIds: [tag.id] },
    );
    expect(unbound.unbindTags.data).toEqual({ id: datasetId, tags: [], docMetadata: [] });

    const deleted = await run(
      'mutation ($id: ID!) { deleteTag(tagId: $id) { __typename ... on MutationDeleteTagSuccess { data { deletedId uuid } } } }',
      { id: tag.id },
    );
    expect(deleted.deleteTag.data.deletedId).toBe(tag.id);
    expect(decodeGlobalID(tag.id).id).toBe(deleted.deleteTag.data.uuid);
  });

  it('metadata writes answer the field with its dataset, the dataset after built-in toggles, and deletions by global ID', async () => {
    const datasetId = await createDataset('meta');
    const created = await run(
      `mutation ($datasetId: ID!) { createMetadataField(datasetId: $datasetId, type: STRING, name: "author") {
        __typename ... on MutationCreateMetadataFieldSuccess { data { id name dataset { id docMetadata { id name } } } } } }`,
      { datasetId },
    );
    const field = created.createMetadataField.data;
    expect(field.dataset.docMetadata).toEqual([{ id: field.id, name: 'author' }]);

    const builtIn = await run(
      `mutation ($datasetId: ID!) { setBuiltInMetadataFields(datasetId: $datasetId, enabled: true) {
        __typename ... on MutationSetBuiltInMetadataFieldsSuccess { data { id builtInFieldEnabled tags { id } docMetadata { id name } } } } }`,
      { datasetId },
    );
    expect(builtIn.setBuiltInMetadataFields.data.builtInFieldEnabled).toBe(true);
    expect(builtIn.setBuiltInMetadataFields.data.docMetadata.map((f: { name: string }) => f.name)).toContain('document_name');

    const deleted = await run(
      `mutation ($datasetId: ID!, $id: ID!) { deleteMetadataField(datasetId: $datasetId, metadataId: $id) {
        __typename ... on MutationDeleteMetadataFieldSuccess { data { deletedId dataset { id docMetadata { name } } } } } }`,
      { datasetId, id: field.id },
    );
    expect(deleted.deleteMetadataField.data.deletedId).toBe(field.id);
    expect(deleted.deleteMetadataField.data.dataset.docMetadata.map((f: { name: string }) => f.name)).not.toContain('author');
  });

  it('document and segment writes answer the parent with its new counts', async () => {
    const datasetId = await createDataset('docs');
    const document = await createDocument(datasetId, 'a.txt', 'first line\nsecond line');
    expect(document.dataset).toEqual({ id: datasetId, documentCount: 1 });
    await waitCompleted(document.id);

    const segments = await run(
      `mutation ($datasetId: ID!, $documentId: ID!) { createSegments(datasetId: $datasetId, documentId: $documentId, segments: [{ content: "third line" }]) {
        __typename ... on MutationCreateSegmentsSuccess { data { id documentId document { id segmentCount } } } } }`,
      { datasetId, documentId: document.id },
    );
    const [segment] = segments.createSegments.data;
    expect(segment.documentId).toBe(document.id);
    expect(segment.document).toEqual({ id: document.id, segmentCount: 3 });

    const deletedSegment = await run(
      `mutation ($datasetId: ID!, $documentId: ID!, $segmentId: ID!) { deleteSegment(datasetId: $datasetId, documentId: $documentId, segmentId: $segmentId) {
        __typename ... on MutationDeleteSegmentSuccess { data { deletedId document { id segmentCount } } } } }`,
      { datasetId, documentId: document.id, segmentId: segment.id },
    );
    expect(deletedSegment.deleteSegment.data).toEqual({ deletedId: segment.id, document: { id: document.id, segmentCount: 2 } });

    const statuses = await run(
      `mutation ($datasetId: ID!, $ids: [ID!]!) { updateDocumentsStatus(datasetId: $datasetId, action: DISABLE, documentIds: $ids) {
        __typename ... on MutationUpdateDocumentsStatusSuccess { data { id enabled } } } }`,
      { datasetId, ids: [document.id] },
    );
    expect(statuses.updateDocumentsStatus.data).toEqual([{ id: document.id, enabled: false }]);

    const deletedDocument = await run(
      `mutation ($datasetId: ID!, $documentId: ID!) { deleteDocument(datasetId: $datasetId, documentId: $documentId) {
        __typename ... on MutationDeleteDocumentSuccess { data { deletedId dataset { id documentCount } } } } }`,
      { datasetId, documentId: document.id },
    );
    expect(deletedDocument.deleteDocument.data).toEqual({ deletedId: document.id, dataset: { id: datasetId, documentCount: 0 } });

    const deletedDataset = await run(
      'mutation ($id: ID!) { deleteDataset(id: $id) { __typename ... on MutationDeleteDatasetSuccess { data { deletedId } } } }',
      { id: datasetId },
    );
    expect(deletedDataset.deleteDataset.data.deletedId).toBe(datasetId);
  });

  it('setDocumentsMetadata answers the documents with their new values', async () => {
    const datasetId = await createDataset('values');
    const field = (
      await run(
        `mutation ($datasetId: ID!) { createMetadataField(datasetId: $datasetId, type: STRING, name: "lang") {
          ... on MutationCreateMetadataFieldSuccess { data { id } } } }`,
        { datasetId },
      )
    ).createMetadataField.data;
    const document = await createDocument(datasetId, 'b.txt', 'hello');
    const set = await run(
      `mutation ($datasetId: ID!, $ops: [DocumentMetadataInput!]!) { setDocumentsMetadata(datasetId: $datasetId, operations: $ops) {
        __typename ... on MutationSetDocumentsMetadataSuccess { data { id metadata { field { id } name value } } } } }`,
      { datasetId, ops: [{ documentId: document.id, metadataList: [{ id: field.id, value: 'en' }] }] },
    );
    expect(set.setDocumentsMetadata.data).toEqual([{ id: document.id, metadata: [{ field: { id: field.id }, name: 'lang', value: 'en' }] }]);
  });
});
