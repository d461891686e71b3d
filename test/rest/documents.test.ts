import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Dify's list/create document representation (spec §4.1), in order. */
const DOCUMENT_KEYS = [
  'id',
  'position',
  'data_source_type',
  'data_source_info',
  'data_source_detail_dict',
  'dataset_process_rule_id',
  'name',
  'created_from',
  'created_by',
  'created_at',
  'tokens',
  'indexing_status',
  'error',
  'enabled',
  'disabled_at',
  'disabled_by',
  'archived',
  'display_status',
  'word_count',
  'hit_count',
  'doc_form',
  'doc_metadata',
  'summary_index_status',
  'need_summary',
];

describe('REST documents', () => {
  let server: TestServer;
  let key: string;
  let datasetId: string;

  const waitForStatus = async (dataset: string, batch: string, statuses = ['completed', 'error']) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await server.rest('GET', `/v1/datasets/${dataset}/documents/${batch}/indexing-status`, { key });
      if (res.status === 200 && res.body.data.every((d: { indexing_status: string }) => statuses.includes(d.indexing_status))) {
        return res.body.data;
      }
      if (Date.now() > deadline) throw new Error(`indexing did not finish: ${res.text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const createByText = (dataset: string, json: Record<string, unknown>, path = 'create-by-text') =>
    server.rest('POST', `/v1/datasets/${dataset}/document/${path}`, { key, json });

  const upload = (dataset: string, path: string, file: { name: string; body: BlobPart; type?: string } | null, data?: unknown, method = 'POST') => {
    const form = new FormData();
    if (file) form.append('file', new Blob([file.body], { type: file.type ?? 'application/octet-stream' }), file.name);
    if (data !== undefined) form.append('data', typeof data === 'string' ? data : JSON.stringify(data));
    return fetch(`${server.url}/v1/datasets/${dataset}/${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    }).then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }));
  };

  beforeAll(async () => {
    server = await startTestServer({ UPLOAD_FILE_SIZE_LIMIT: '1', INDEXING_POLL_MS: '100' });
    key = await server.createKey('acme');
    const res = await server.rest('POST', '/v1/datasets', { key, json: { name: 'docs' } });
    datasetId = res.body.id;
  });
  afterAll(() => server.close());

  it('creates a document from text, answers Dify\'s shape, and indexes it to completed', async () => {
    const text = 'Dify is an LLM app platform.\n\nIt has knowledge bases.\n\nThis gateway speaks its API.';
    const res = await createByText(datasetId, {
      name: 'intro',
      text,
      indexing_technique: 'high_quality',
      process_rule: { mode: 'automatic' },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.document)).toEqual(DOCUMENT_KEYS);
    const doc = res.body.document;
    expect(res.body.batch).toMatch(/^\d{20}$/);
    expect(doc).toMatchObject({
      position: 1,
      data_source_type: 'upload_file',
      name: 'intro',
      created_from: 'api',
      indexing_status: 'waiting',
      display_status: 'queuing',
      enabled: true,
      archived: false,
      doc_form: 'text_model',
      tokens: null,
      word_count: null,
      doc_metadata: [],
    });
    expect(doc.data_source_detail_dict.upload_file).toMatchObject({
      name: 'intro',
      extension: 'txt',
      mime_type: 'text/plain',
      size: [...text].length,
    });
    expect(doc.data_source_info).toEqual({ upload_file_id: doc.data_source_detail_dict.upload_file.id });

    const [status] = await waitForStatus(datasetId, res.body.batch);
    expect(status).toMatchObject({ id: doc.id, indexing_status: 'completed', error: null });
    expect(status.total_segments).toBeGreaterThan(0);
    expect(status.completed_segments).toBe(status.total_segments);
    for (const k of ['processing_started_at', 'parsing_completed_at', 'cleaning_completed_at', 'splitting_completed_at', 'completed_at']) {
      expect(typeof status[k]).toBe('number');
    }

    const detail = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${doc.id}`, { key });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: doc.id,
      indexing_status: 'completed',
      display_status: 'available',
      average_segment_length: expect.any(Number),
      segment_count: status.total_segments,
      dataset_process_rule: { mode: 'automatic' },
      document_process_rule: { mode: 'automatic', dataset_id: datasetId },
    });
    expect(detail.body.tokens).toBeGreaterThan(0);
    expect(detail.body.data_source_info.upload_file.name).toBe('intro');

    const only = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${doc.id}?metadata=only`, { key });
    expect(Object.keys(only.body)).toEqual(['id', 'doc_type', 'doc_metadata']);
    const without = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${doc.id}?metadata=without`, { key });
    expect(without.body).not.toHaveProperty('doc_metadata');
    const bad = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${doc.id}?metadata=some`, { key });
    expect(bad.body).toEqual({ code: 'invalid_metadata', message: 'Invalid metadata value: some', status: 400 });

    const segments = await server.prisma.segment.findMany({ where: { documentId: doc.id } });
    const vectors = await server.prisma.embedding.count({ where: { documentId: doc.id } });
    expect(vectors).toBe(segments.length);
  });

  it('accepts the underscore alias, upserts a duplicate name keeping id and position, and lists newest first', async () => {
    const first = await createByText(datasetId, { name: 'dup', text: 'first version' }, 'create_by_text');
    expect(first.status).toBe(200);
    await waitForStatus(datasetId, first.body.batch);
    const second = await createByText(datasetId, { name: 'dup', text: 'second version' });
    expect(second.body.document.id).toBe(first.body.document.id);
    expect(second.body.document.position).toBe(first.body.document.position);
    expect(second.body.batch).not.toBe(first.body.batch);
    await waitForStatus(datasetId, second.body.batch);
    const segments = await server.prisma.segment.findMany({ where: { documentId: first.body.document.id } });
    expect(segments.map((s) => s.content)).toEqual(['second version']);

    const list = await server.rest('GET', `/v1/datasets/${datasetId}/documents?limit=1&page=1`, { key });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ limit: 1, page: 1, has_more: true });
    expect(list.body.total).toBeGreaterThanOrEqual(2);
    const byKeyword = await server.rest('GET', `/v1/datasets/${datasetId}/documents?keyword=du`, { key });
    expect(byKeyword.body.data.map((d: { name: string }) => d.name)).toEqual(['dup']);
    const available = await server.rest('GET', `/v1/datasets/${datasetId}/documents?status=available`, { key });
    expect(available.body.data.every((d: { display_status: string }) => d.display_status === 'available')).toBe(true);
  });

  it('validates text creation with Dify messages', async () => {
    const ds = await server.rest('POST', '/v1/datasets', { key, json: { name: 'empty one' } });
    const noTechnique = await createByText(ds.body.id, { name: 'a', text: 'b' });
    expect(noTechnique.body).toEqual({ code: 'invalid_param', message: 'indexing_technique is required.', status: 400 });
    const badForm = await createByText(datasetId, { name: 'a', text: 'b', doc_form: 'nope' });
    expect(badForm.body.message).toBe('Invalid doc_form.');
    const otherForm = await createByText(datasetId, { name: 'a', text: 'b', doc_form: 'hierarchical_model' });
    expect(otherForm.body.message).toBe('doc_form is different from the dataset doc_form.');
    const badRule = await createByText(datasetId, { name: 'a', text: 'b', process_rule: { mode: 'weird' } });
    expect(badRule.body.message).toBe('Process rule mode is invalid');
    const noSeg = await createByText(datasetId, { name: 'a', text: 'b', process_rule: { mode: 'custom', rules: { pre_processing_rules: [] } } });
    expect(noSeg.body.message).toBe('Process rule segmentation is required');
    const qa = await createByText(ds.body.id, { name: 'a', text: 'b', indexing_technique: 'high_quality', doc_form: 'qa_model' });
    expect(qa.status).toBe(400);
    expect(qa.body.code).toBe('provider_not_initialize');
    const missing = await createByText(datasetId, { text: 'b' });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('invalid_param');
  });

  it('fails indexing with Dify\'s message when max_tokens is out of range', async () => {
    const res = await createByText(datasetId, {
      name: 'too small',
      text: 'hello world',
      process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\n', max_tokens: 10 } } },
    });
    expect(res.status).toBe(200);
    const [status] = await waitForStatus(datasetId, res.body.batch);
    expect(status).toMatchObject({ indexing_status: 'error', error: 'Custom segment length should be between 50 and 4000.' });
    expect(typeof status.stopped_at).toBe('number');
  });

  it('creates from a file, with Dify\'s upload errors', async () => {
    const ok = await upload(datasetId, 'document/create-by-file', { name: 'notes.md', body: '# Title\n\nSome notes about gateways.' }, {
      process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\n\n', max_tokens: 500 } } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.document.name).toBe('notes.md');
    expect(ok.body.document.data_source_detail_dict.upload_file).toMatchObject({ extension: 'md', name: 'notes.md' });
    const [status] = await waitForStatus(datasetId, ok.body.batch);
    expect(status.indexing_status).toBe('completed');
    const segments = await server.prisma.segment.findMany({ where: { documentId: ok.body.document.id }, orderBy: { position: 'asc' } });
    expect(segments.map((s) => s.content)).toEqual(['Title', 'Some notes about gateways.']);

    const alias = await upload(datasetId, 'document/create_by_file', { name: 'alias.txt', body: 'via the alias' });
    expect(alias.status).toBe(200);

    const none = await upload(datasetId, 'document/create-by-file', null, {});
    expect(none.body).toMatchObject({ code: 'no_file_uploaded', status: 400 });
    const form = new FormData();
    form.append('file', new Blob(['a']), 'a.txt');
    form.append('file2', new Blob(['b']), 'b.txt');
    const two = await fetch(`${server.url}/v1/datasets/${datasetId}/document/create-by-file`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    });
    expect(await two.json()).toMatchObject({ code: 'too_many_files', status: 400 });
    const big = await upload(datasetId, 'document/create-by-file', { name: 'big.txt', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('file_too_large');
    const exe = await upload(datasetId, 'document/create-by-file', { name: 'tool.exe', body: 'MZ' });
    expect(exe.status).toBe(415);
    expect(exe.body.code).toBe('unsupported_file_type');
    const badData = await upload(datasetId, 'document/create-by-file', { name: 'x.txt', body: 'x' }, '{not json');
    expect(badData.body.code).toBe('invalid_param');
    // Nothing of the refused uploads was stored.
    const names = (await server.prisma.uploadFile.findMany({ select: { name: true } })).map((f) => f.name);
    expect(names).not.toContain('big.txt');
    expect(names).not.toContain('tool.exe');
  });

  it('ends a mislabelled file in error with a readable message', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const res = await upload(datasetId, 'document/create-by-file', { name: 'fake.pdf', body: png });
    expect(res.status).toBe(200);
    const [status] = await waitForStatus(datasetId, res.body.batch);
    expect(status.indexing_status).toBe('error');
    expect(status.error).toMatch(/fake\.pdf/);
  });

  it('updates by text and by file keeping the batch, and re-indexes', async () => {
    const created = await createByText(datasetId, { name: 'to update', text: 'old text' });
    await waitForStatus(datasetId, created.body.batch);
    const id = created.body.document.id;
    const byText = await server.rest('POST', `/v1/datasets/${datasetId}/documents/${id}/update-by-text`, {
      key,
      json: { name: 'updated', text: 'new text' },
    });
    expect(byText.status).toBe(200);
    expect(byText.body.batch).toBe(created.body.batch);
    expect(byText.body.document).toMatchObject({ id, name: 'updated', indexing_status: 'waiting' });
    await waitForStatus(datasetId, created.body.batch);
    expect((await server.prisma.segment.findMany({ where: { documentId: id } })).map((s) => s.content)).toEqual(['new text']);

    const rename = await server.rest('POST', `/v1/datasets/${datasetId}/documents/${id}/update_by_text`, { key, json: { name: 'x' } });
    expect(rename.body).toEqual({ code: 'invalid_param', message: 'Data source or Process rule is required', status: 400 });

    for (const [path, method] of [
      [`documents/${id}/update-by-file`, 'POST'],
      [`documents/${id}/update_by_file`, 'POST'],
      [`documents/${id}`, 'PATCH'],
      [`document/${id}/create_by_file`, 'POST'],
    ] as const) {
      await waitForStatus(datasetId, created.body.batch);
      const res = await upload(datasetId, path, { name: 'v2.txt', body: `content via ${path}` }, {}, method);
      expect(res.status, path).toBe(200);
      expect(res.body.batch).toBe(created.body.batch);
      expect(res.body.document.name).toBe('v2.txt');
    }
    const big = await upload(datasetId, `documents/${id}/update-by-file`, { name: 'big.txt', body: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
  });

  it('changes status in batch, refuses to touch archived documents, deletes', async () => {
    const created = await createByText(datasetId, { name: 'status doc', text: 'status text' });
    await waitForStatus(datasetId, created.body.batch);
    const id = created.body.document.id;
    const patch = (action: string, ids: string[]) =>
      server.rest('PATCH', `/v1/datasets/${datasetId}/documents/status/${action}`, { key, json: { document_ids: ids } });

    expect((await patch('disable', [id])).body).toEqual({ result: 'success' });
    let detail = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${id}`, { key });
    expect(detail.body).toMatchObject({ enabled: false, display_status: 'disabled' });
    expect(typeof detail.body.disabled_at).toBe('number');
    await patch('enable', [id]);
    await patch('archive', [id]);
    detail = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${id}`, { key });
    expect(detail.body.display_status).toBe('archived');

    const bad = await patch('explode', [id]);
    expect(bad.body).toEqual({
      code: 'invalid_action',
      message: "Invalid action: explode. Must be one of ['enable', 'disable', 'archive', 'un_archive']",
      status: 400,
    });
    const del = await server.rest('DELETE', `/v1/datasets/${datasetId}/documents/${id}`, { key });
    expect(del.status).toBe(403);
    expect(del.body.code).toBe('archived_document_immutable');
    const upd = await server.rest('POST', `/v1/datasets/${datasetId}/documents/${id}/update-by-text`, { key, json: { name: 'n', text: 't' } });
    expect(upd.status).toBe(403);

    await patch('un_archive', [id]);
    const ok = await server.rest('DELETE', `/v1/datasets/${datasetId}/documents/${id}`, { key });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ result: 'success' });
    expect(await server.prisma.segment.count({ where: { documentId: id } })).toBe(0);
    expect(await server.prisma.embedding.count({ where: { documentId: id } })).toBe(0);
    const again = await server.rest('DELETE', `/v1/datasets/${datasetId}/documents/${id}`, { key });
    expect(again.body).toEqual({ code: 'not_found', message: 'Document Not Exists.', status: 404 });
  });

  it('retries failed documents and serves the upload file', async () => {
    const res = await createByText(datasetId, {
      name: 'will fail',
      text: 'hello',
      process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\n', max_tokens: 5000 } } },
    });
    await waitForStatus(datasetId, res.body.batch);
    const id = res.body.document.id;
    const retry = await server.rest('POST', `/v1/datasets/${datasetId}/documents/retry`, { key, json: { document_ids: [id] } });
    expect(retry.status).toBe(204);
    const [status] = await waitForStatus(datasetId, res.body.batch);
    expect(status.indexing_status).toBe('error');

    const file = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${id}/upload-file`, { key });
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ name: 'will fail', extension: 'txt', mime_type: 'text/plain', size: 5 });
    const content = await fetch(file.body.url);
    expect(await content.text()).toBe('hello');
    const download = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${id}/download`, { key });
    const attachment = await fetch(download.body.url);
    expect(attachment.headers.get('content-disposition')).toMatch(/^attachment/);
    const forged = await fetch(file.body.url.replace(/sign=[^&]+/, 'sign=forged'));
    expect(forged.status).toBe(403);
  });

  it('answers 404 for unknown batches and documents, and hides other workspaces', async () => {
    const missing = await server.rest('GET', `/v1/datasets/${datasetId}/documents/123/indexing-status`, { key });
    expect(missing.body).toEqual({ code: 'not_found', message: 'Documents not found.', status: 404 });
    const other = await server.createKey('other-corp');
    const docs = await server.rest('GET', `/v1/datasets/${datasetId}/documents`, { key: other });
    expect(docs.status).toBe(404);
    const created = await createByText(datasetId, { name: 'secret', text: 'secret' });
    const foreign = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${created.body.document.id}`, { key: other });
    expect(foreign.status).toBe(404);
    const upd = await server.rest('POST', `/v1/datasets/${datasetId}/documents/${created.body.document.id}/update-by-text`, {
      key: other,
      json: { name: 'x', text: 'y' },
    });
    expect(upd.status).toBe(404);
  });
});
