// Every mutation takes one `input` and answers a payload named after it, with what it changed under the object's own
// name: the selections a normalized client cache needs to update itself.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlData, startTestServer, type TestServer } from '../helpers/server.ts';

describe('GraphQL mutation payloads', () => {
  let server: TestServer;
  let key: string;

  const run = (query: string, variables: Record<string, unknown> = {}) => gqlData(server, key, query, variables);

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
    (await run('mutation ($name: String!) { createDataset(input: { name: $name, indexingTechnique: ECONOMY }) { ... on CreateDatasetPayload { dataset { id } } } }', { name }))
      .createDataset.dataset.id as string;

  const createDocument = async (datasetId: string, name: string, text: string) => {
    const data = await run(
      `mutation ($datasetId: ID!, $name: String!, $text: String!) {
        createDocumentByText(input: { datasetId: $datasetId, name: $name, text: $text, processRule: { mode: CUSTOM, rules: { preProcessingRules: [], segmentation: { separator: "\\n", maxTokens: 100 } } } }) {
          __typename ... on CreateDocumentByTextPayload { document { id } dataset { id documentCount } }
        }
      }`,
      { datasetId, name, text },
    );
    const { document, dataset } = data.createDocumentByText;
    return { id: document.id as string, dataset: dataset as { id: string; documentCount: number } };
  };

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '50' });
    key = await server.createKey('acme');
  });
  afterAll(() => server.close());

  it('tag writes answer the dataset with its tags, and deleting answers the global ID', async () => {
    const datasetId = await createDataset('tagged');
    const tag = (await run('mutation { createTag(input: { name: "red" }) { ... on CreateTagPayload { tag { id name bindingCount } } } }')).createTag.tag;
    expect(tag).toMatchObject({ name: 'red', bindingCount: 0 });

    const bound = await run(
      `mutation ($datasetId: ID!, $tagIds: [ID!]!) { bindTags(input: { datasetId: $datasetId, tagIds: $tagIds }) {
        __typename ... on BindTagsPayload { dataset { id tags { id name bindingCount } } } } }`,
      { datasetId, tagIds: [tag.id] },
    );
    expect(bound.bindTags.dataset).toEqual({ id: datasetId, tags: [{ id: tag.id, name: 'red', bindingCount: 1 }] });

    const unbound = await run(
      `mutation ($datasetId: ID!, $tagIds: [ID!]!) { unbindTags(input: { datasetId: $datasetId, tagIds: $tagIds }) {
        __typename ... on UnbindTagsPayload { dataset { id tags { id } docMetadata { id name } } } } }`,
      { datasetId, tagIds: [tag.id] },
    );
    expect(unbound.unbindTags.dataset).toEqual({ id: datasetId, tags: [], docMetadata: [] });

    const deleted = await run(
      'mutation ($id: ID!) { deleteTag(input: { tagId: $id }) { __typename ... on DeleteTagPayload { deletedTagId } } }',
      { id: tag.id },
    );
    expect(deleted.deleteTag).toEqual({ __typename: 'DeleteTagPayload', deletedTagId: tag.id });
    expect(decodeGlobalID(tag.id).typename).toBe('Tag');
  });

  it('metadata writes answer the field with its dataset, the dataset after built-in toggles, and deletions by global ID', async () => {
    const datasetId = await createDataset('meta');
    const created = await run(
      `mutation ($datasetId: ID!) { createMetadataField(input: { datasetId: $datasetId, type: STRING, name: "author" }) {
        __typename ... on CreateMetadataFieldPayload { metadataField { id name } dataset { id docMetadata { id name } } } } }`,
      { datasetId },
    );
    const field = created.createMetadataField.metadataField;
    expect(created.createMetadataField.dataset.docMetadata).toEqual([{ id: field.id, name: 'author' }]);

    const builtIn = await run(
      `mutation ($datasetId: ID!) { setBuiltInMetadataFields(input: { datasetId: $datasetId, enabled: true }) {
        __typename ... on SetBuiltInMetadataFieldsPayload { dataset { id builtInFieldEnabled tags { id } docMetadata { id name } } } } }`,
      { datasetId },
    );
    expect(builtIn.setBuiltInMetadataFields.dataset.builtInFieldEnabled).toBe(true);
    expect(builtIn.setBuiltInMetadataFields.dataset.docMetadata.map((f: { name: string }) => f.name)).toContain('document_name');

    const deleted = await run(
      `mutation ($datasetId: ID!, $id: ID!) { deleteMetadataField(input: { datasetId: $datasetId, metadataFieldId: $id }) {
        __typename ... on DeleteMetadataFieldPayload { deletedMetadataFieldId dataset { id docMetadata { name } } } } }`,
      { datasetId, id: field.id },
    );
    expect(deleted.deleteMetadataField.deletedMetadataFieldId).toBe(field.id);
    expect(deleted.deleteMetadataField.dataset.docMetadata.map((f: { name: string }) => f.name)).not.toContain('author');
  });

  it('document and segment writes answer the parent with its new counts', async () => {
    const datasetId = await createDataset('docs');
    const document = await createDocument(datasetId, 'a.txt', 'first line\nsecond line');
    expect(document.dataset).toEqual({ id: datasetId, documentCount: 1 });
    await waitCompleted(document.id);

    const segments = await run(
      `mutation ($datasetId: ID!, $documentId: ID!) { createSegments(input: { datasetId: $datasetId, documentId: $documentId, segments: [{ content: "third line" }] }) {
        __typename ... on CreateSegmentsPayload { segments { id documentId } document { id segmentCount } } } }`,
      { datasetId, documentId: document.id },
    );
    const [segment] = segments.createSegments.segments;
    expect(segment.documentId).toBe(document.id);
    expect(segments.createSegments.document).toEqual({ id: document.id, segmentCount: 3 });

    const deletedSegment = await run(
      `mutation ($datasetId: ID!, $documentId: ID!, $segmentId: ID!) { deleteSegment(input: { datasetId: $datasetId, documentId: $documentId, segmentId: $segmentId }) {
        __typename ... on DeleteSegmentPayload { deletedSegmentId document { id segmentCount } } } }`,
      { datasetId, documentId: document.id, segmentId: segment.id },
    );
    expect(deletedSegment.deleteSegment).toEqual({
      __typename: 'DeleteSegmentPayload',
      deletedSegmentId: segment.id,
      document: { id: document.id, segmentCount: 2 },
    });

    const statuses = await run(
      `mutation ($datasetId: ID!, $ids: [ID!]!) { updateDocumentsStatus(input: { datasetId: $datasetId, action: DISABLE, documentIds: $ids }) {
        __typename ... on UpdateDocumentsStatusPayload { documents { id enabled } } } }`,
      { datasetId, ids: [document.id] },
    );
    expect(statuses.updateDocumentsStatus.documents).toEqual([{ id: document.id, enabled: false }]);

    const deletedDocument = await run(
      `mutation ($datasetId: ID!, $documentId: ID!) { deleteDocument(input: { datasetId: $datasetId, documentId: $documentId }) {
        __typename ... on DeleteDocumentPayload { deletedDocumentId dataset { id documentCount } } } }`,
      { datasetId, documentId: document.id },
    );
    expect(deletedDocument.deleteDocument).toEqual({
      __typename: 'DeleteDocumentPayload',
      deletedDocumentId: document.id,
      dataset: { id: datasetId, documentCount: 0 },
    });

    const deletedDataset = await run(
      'mutation ($id: ID!) { deleteDataset(input: { datasetId: $id }) { __typename ... on DeleteDatasetPayload { deletedDatasetId } } }',
      { id: datasetId },
    );
    expect(deletedDataset.deleteDataset.deletedDatasetId).toBe(datasetId);
  });

  it('setDocumentsMetadata answers the documents with their new values', async () => {
    const datasetId = await createDataset('values');
    const field = (
      await run(
        `mutation ($datasetId: ID!) { createMetadataField(input: { datasetId: $datasetId, type: STRING, name: "lang" }) {
          ... on CreateMetadataFieldPayload { metadataField { id } } } }`,
        { datasetId },
      )
    ).createMetadataField.metadataField;
    const document = await createDocument(datasetId, 'b.txt', 'hello');
    const set = await run(
      `mutation ($datasetId: ID!, $ops: [DocumentMetadataInput!]!) { setDocumentsMetadata(input: { datasetId: $datasetId, operations: $ops }) {
        __typename ... on SetDocumentsMetadataPayload { documents { id metadata { field { id } name value } } } } }`,
      { datasetId, ops: [{ documentId: document.id, metadataList: [{ id: field.id, value: 'en' }] }] },
    );
    expect(set.setDocumentsMetadata.documents).toEqual([{ id: document.id, metadata: [{ field: { id: field.id }, name: 'lang', value: 'en' }] }]);
  });

  it('a failure in the selection after a committed write nulls only that field, never the payload', async () => {
    // `first: 500` over the page limit fails inside the written dataset's selection, after the write committed.
    const res = await server.gql(
      key,
      `mutation { createDataset(input: { name: "kept", indexingTechnique: ECONOMY }) {
        __typename ... on CreateDatasetPayload { dataset { id documents(first: 500) { totalCount } } } } }`,
    );
    expect(res.body.data).toEqual({ createDataset: { __typename: 'CreateDatasetPayload', dataset: null } });
    expect(res.body.errors?.map((e) => [e.extensions?.code, (e as { path?: unknown }).path])).toEqual([
      ['EXCESSIVE_PAGINATION', ['createDataset', 'dataset', 'documents']],
    ]);
    const datasets = await run('{ datasets(keyword: "kept") { edges { node { name } } } }');
    expect(datasets.datasets.edges).toEqual([{ node: { name: 'kept' } }]);

    // The rest of the payload still answers: the batch to follow and the parent's new counts.
    const datasetId = await createDataset('kept-too');
    const created = await server.gql(
      key,
      `mutation ($datasetId: ID!) { createDocumentByText(input: { datasetId: $datasetId, name: "c.txt", text: "hello" }) {
        __typename ... on CreateDocumentByTextPayload { batch document { id segments(first: 500) { totalCount } } dataset { documentCount } } } }`,
      { datasetId },
    );
    expect(created.body.errors?.[0]?.extensions?.code).toBe('EXCESSIVE_PAGINATION');
    expect(created.body.data?.createDocumentByText).toEqual({
      __typename: 'CreateDocumentByTextPayload',
      batch: expect.stringMatching(/^\d{20}$/),
      document: null,
      dataset: { documentCount: 1 },
    });
  });
});
