// Every entity reference is a global ID that node(id:) resolves; plain UUIDs stay available as `uuid` for REST users.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlData, startTestServer, type TestServer } from '../helpers/server.ts';

describe('GraphQL global IDs', () => {
  let server: TestServer;
  let key: string;

  const run = (query: string, variables: Record<string, unknown> = {}) => gqlData(server, key, query, variables);

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '50' });
    key = await server.createKey('acme');
  });
  afterAll(() => server.close());

  it('built-in metadata fields have unique, stable IDs that node(id:) resolves, as do custom ones', async () => {
    const a = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'meta a' } })).body.id as string;
    const b = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'meta b' } })).body.id as string;
    await server.rest('POST', `/v1/datasets/${a}/metadata`, { key, json: { type: 'string', name: 'author' } });
    await server.rest('POST', `/v1/datasets/${a}/metadata/built-in/enable`, { key });
    const query = `query ($id: ID!) { dataset(id: $id) { docMetadata { id uuid name builtIn } builtInMetadataFields { id } } }`;
    const first = (await run(query, { id: a })).dataset;
    const again = (await run(query, { id: a })).dataset;
    const other = (await run(query, { id: b })).dataset;
    const ids = first.docMetadata.map((f: { id: string }) => f.id);
    expect(new Set(ids).size).toBe(6);
    expect(again.docMetadata).toEqual(first.docMetadata);
    expect(first.docMetadata.filter((f: { builtIn: boolean }) => f.builtIn).every((f: { uuid: string }) => f.uuid === 'built-in')).toBe(true);
    expect(other.builtInMetadataFields.map((f: { id: string }) => f.id)).not.toContain(first.builtInMetadataFields[0].id);

    for (const field of first.docMetadata) {
      const node = await run('query ($id: ID!) { node(id: $id) { __typename id ... on MetadataField { name } } }', { id: field.id });
      expect(node.node).toEqual({ __typename: 'MetadataField', id: field.id, name: field.name });
    }
    const stranger = await server.createKey('stranger');
    const hidden = await server.gql(stranger, 'query ($id: ID!) { node(id: $id) { id } }', { id: ids[0] });
    expect(hidden.body.data).toEqual({ node: null });
  });

  it('references between documents, segments, files, rules and progress records are global IDs', async () => {
    const datasetId = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'refs', indexing_technique: 'economy' } })).body.id as string;
    const form = new FormData();
    form.append('data', JSON.stringify({ indexing_technique: 'economy', process_rule: { mode: 'automatic' } }));
    form.append('file', new Blob(['first paragraph\n\nsecond paragraph']), 'refs.txt');
    const created = await fetch(`${server.url}/v1/datasets/${datasetId}/document/create-by-file`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    });
    const { batch } = (await created.json()) as { batch: string };
    const deadline = Date.now() + 30_000;
    let data: any;
    for (;;) {
      data = await run(
        `query ($id: ID!, $batch: String!) { dataset(id: $id) {
          indexingStatus(batch: $batch) { documentId documentUuid indexingStatus document { id } }
          documents(first: 1) { edges { node { id uuid uploadFile { id uuid } processRule { id dataset { id } }
            segments(first: 1) { edges { node { id documentId } } } } } }
        } }`,
        { id: datasetId, batch },
      );
      if (data.dataset.indexingStatus[0].indexingStatus === 'COMPLETED' || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const document = data.dataset.documents.edges[0].node;
    const [progress] = data.dataset.indexingStatus;
    expect(progress).toMatchObject({ documentId: document.id, documentUuid: document.uuid, document: { id: document.id } });
    expect(document.segments.edges[0].node.documentId).toBe(document.id);
    expect(document.processRule.dataset.id).toBe((await run('query ($id: ID!) { dataset(id: $id) { id } }', { id: datasetId })).dataset.id);
    for (const id of [document.uploadFile.id, document.processRule.id, document.segments.edges[0].node.id]) {
      expect((await run('query ($id: ID!) { node(id: $id) { id } }', { id })).node).toEqual({ id });
    }
  });
});
