import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('REST metadata', () => {
  let server: TestServer;
  let key: string;
  let datasetId: string;
  let documentId: string;
  const base = () => `/v1/datasets/${datasetId}`;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '100' });
    key = await server.createKey('acme');
    datasetId = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'meta', indexing_technique: 'economy' } })).body.id;
    const doc = await server.rest('POST', `${base()}/document/create-by-text`, { key, json: { name: 'report', text: 'quarterly report' } });
    documentId = doc.body.document.id;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      const s = await server.rest('GET', `${base()}/documents/${doc.body.batch}/indexing-status`, { key });
      if (s.body.data[0].indexing_status === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(() => server.close());

  it('creates, lists with counts, renames and deletes fields', async () => {
    const created = await server.rest('POST', `${base()}/metadata`, { key, json: { type: 'string', name: 'author' } });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body)).toEqual(['id', 'type', 'name']);
    expect(created.body).toMatchObject({ type: 'string', name: 'author' });
    const year = await server.rest('POST', `${base()}/metadata`, { key, json: { type: 'number', name: 'year' } });

    expect((await server.rest('POST', `${base()}/metadata`, { key, json: { type: 'string', name: 'author' } })).body).toEqual({
      code: 'invalid_param', message: 'Metadata name already exists.', status: 400,
    });
    expect((await server.rest('POST', `${base()}/metadata`, { key, json: { type: 'string', name: 'uploader' } })).body.message).toBe(
      'Metadata name already exists in Built-in fields.',
    );
    expect((await server.rest('POST', `${base()}/metadata`, { key, json: { type: 'string', name: 'x'.repeat(256) } })).body.message).toBe(
      'Metadata name cannot exceed 255 characters.',
    );
    expect((await server.rest('POST', `${base()}/metadata`, { key, json: { type: 'color', name: 'hue' } })).status).toBe(400);

    const set = await server.rest('POST', `${base()}/documents/metadata`, {
      key,
      json: { operation_data: [{ document_id: documentId, metadata_list: [{ id: created.body.id, name: 'author', value: 'Ada' }, { id: year.body.id, name: 'year', value: 2024 }] }] },
    });
    expect(set.body).toEqual({ result: 'success' });
    const list = await server.rest('GET', `${base()}/metadata`, { key });
    expect(list.body).toEqual({
      doc_metadata: [
        { id: created.body.id, name: 'author', type: 'string', count: 1, use_count: 1 },
        { id: year.body.id, name: 'year', type: 'number', count: 1, use_count: 1 },
      ],
      built_in_field_enabled: false,
    });
    const detail = await server.rest('GET', `${base()}/documents/${documentId}`, { key });
    expect(detail.body.doc_metadata).toEqual([
      { id: created.body.id, name: 'author', type: 'string', value: 'Ada' },
      { id: year.body.id, name: 'year', type: 'number', value: 2024 },
    ]);

    const wrongType = await server.rest('POST', `${base()}/documents/metadata`, {
      key,
      json: { operation_data: [{ document_id: documentId, metadata_list: [{ id: year.body.id, name: 'year', value: 'soon' }] }] },
    });
    expect(wrongType.body.code).toBe('invalid_param');
    expect(wrongType.body.message).toMatch(/year is of type number/);

    const renamed = await server.rest('PATCH', `${base()}/metadata/${created.body.id}`, { key, json: { name: 'writer' } });
    expect(renamed.body).toEqual({ id: created.body.id, type: 'string', name: 'writer' });
    const same = await server.rest('PATCH', `${base()}/metadata/${created.body.id}`, { key, json: { name: 'writer' } });
    expect(same.body.message).toBe('Metadata name already exists.');
    const doc = await server.prisma.document.findUniqueOrThrow({ where: { id: documentId } });
    expect(doc.docMetadata).toEqual({ writer: 'Ada', year: 2024 });

    expect((await server.rest('DELETE', `${base()}/metadata/${year.body.id}`, { key })).status).toBe(204);
    expect((await server.prisma.document.findUniqueOrThrow({ where: { id: documentId } })).docMetadata).toEqual({ writer: 'Ada' });
    expect((await server.rest('DELETE', `${base()}/metadata/${year.body.id}`, { key })).status).toBe(404);
  });

  it('lists and toggles built-in fields', async () => {
    const fields = await server.rest('GET', `${base()}/metadata/built-in`, { key });
    expect(fields.body).toEqual({
      fields: [
        { name: 'document_name', type: 'string' },
        { name: 'uploader', type: 'string' },
        { name: 'upload_date', type: 'time' },
        { name: 'last_update_date', type: 'time' },
        { name: 'source', type: 'string' },
      ],
    });
    expect((await server.rest('POST', `${base()}/metadata/built-in/enable`, { key, json: {} })).body).toEqual({ result: 'success' });
    const doc = await server.prisma.document.findUniqueOrThrow({ where: { id: documentId } });
    expect(doc.docMetadata).toMatchObject({ document_name: 'report', uploader: 'acme owner', source: 'file_upload' });
    expect((await server.rest('GET', `${base()}/metadata`, { key })).body.built_in_field_enabled).toBe(true);
    const detail = await server.rest('GET', `${base()}/documents/${documentId}?metadata=only`, { key });
    expect(detail.body.doc_metadata.map((m: { name: string }) => m.name)).toContain('document_name');
    await server.rest('POST', `${base()}/metadata/built-in/disable`, { key });
    const after = await server.prisma.document.findUniqueOrThrow({ where: { id: documentId } });
    expect(after.docMetadata).not.toHaveProperty('document_name');
    expect((await server.rest('POST', `${base()}/metadata/built-in/sideways`, { key })).body).toEqual({ result: 'success' });
  });

  it('accepts doc_metadata when a document is created, and checks it', async () => {
    const field = await server.rest('POST', `${base()}/metadata`, { key, json: { type: 'time', name: 'published' } });
    const ok = await server.rest('POST', `${base()}/document/create-by-text`, {
      key,
      json: { name: 'with meta', text: 'x', doc_metadata: [{ id: field.body.id, value: 1700000000 }] },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.document.doc_metadata).toEqual([{ id: field.body.id, name: 'published', type: 'time', value: 1700000000 }]);
    const byName = await server.rest('POST', `${base()}/document/create-by-text`, { key, json: { name: 'by name', text: 'x', doc_metadata: { published: '1700000001' } } });
    expect(byName.body.document.doc_metadata[0].value).toBe(1700000001);
    const bad = await server.rest('POST', `${base()}/document/create-by-text`, { key, json: { name: 'bad meta', text: 'x', doc_metadata: { published: 'yesterday' } } });
    expect(bad.status).toBe(400);
    const unknown = await server.rest('POST', `${base()}/document/create-by-text`, { key, json: { name: 'bad meta', text: 'x', doc_metadata: { nope: 1 } } });
    expect(unknown.body.message).toMatch(/nope does not exist/);
    expect(await server.prisma.document.count({ where: { name: 'bad meta' } })).toBe(0);
  });

  it('hides other workspaces', async () => {
    const other = await server.createKey('other');
    expect((await server.rest('GET', `${base()}/metadata`, { key: other })).status).toBe(404);
    expect((await server.rest('POST', `${base()}/metadata`, { key: other, json: { type: 'string', name: 'z' } })).status).toBe(404);
  });
});
