import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SEGMENT_KEYS = [
  'id', 'position', 'document_id', 'content', 'sign_content', 'answer', 'word_count', 'tokens', 'keywords',
  'index_node_id', 'index_node_hash', 'hit_count', 'enabled', 'disabled_at', 'disabled_by', 'status', 'created_by',
  'created_at', 'updated_at', 'updated_by', 'indexing_at', 'completed_at', 'error', 'stopped_at', 'child_chunks',
  'attachments', 'summary',
];

describe('REST segments and child chunks', () => {
  let server: TestServer;
  let key: string;

  const waitCompleted = async (datasetId: string, batch: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${batch}/indexing-status`, { key });
      const status = res.body?.data?.[0]?.indexing_status;
      if (status === 'completed') return;
      if (status === 'error' || Date.now() > deadline) throw new Error(`indexing ended ${res.text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  async function documentWith(technique: string, body: Record<string, unknown>) {
    const ds = await server.rest('POST', '/v1/datasets', { key, json: { name: `ds ${Math.random()}`, indexing_technique: technique } });
    const doc = await server.rest('POST', `/v1/datasets/${ds.body.id}/document/create-by-text`, { key, json: body });
    await waitCompleted(ds.body.id, doc.body.batch);
    return { datasetId: ds.body.id as string, documentId: doc.body.document.id as string, base: `/v1/datasets/${ds.body.id}/documents/${doc.body.document.id}` };
  }

  const vectorsOf = (segmentId: string) => server.prisma.embedding.findMany({ where: { segmentId } });
  const fullTextOf = (segmentId: string) => server.prisma.fullTextEntry.findMany({ where: { segmentId } });

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '100' });
    key = await server.createKey('acme');
  });
  afterAll(() => server.close());

  it('creates, lists, reads, updates and deletes segments, keeping vectors and full-text in step', async () => {
    const { base, documentId } = await documentWith('high_quality', { name: 'seg', text: 'first line\nsecond line', process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\\n', max_tokens: 100 } } } });

    const created = await server.rest('POST', `${base}/segments`, {
      key,
      json: { segments: [{ content: 'added segment about whales', keywords: ['whale'] }, { content: 'another one' }] },
    });
    expect(created.status).toBe(200);
    expect(created.body.doc_form).toBe('text_model');
    expect(Object.keys(created.body.data[0])).toEqual(SEGMENT_KEYS);
    const [whale] = created.body.data;
    expect(whale).toMatchObject({ position: 3, status: 'completed', enabled: true, keywords: ['whale'], word_count: 26, document_id: documentId, child_chunks: [] });
    expect(whale.tokens).toBeGreaterThan(0);
    expect((await vectorsOf(whale.id)).length).toBe(1);
    expect((await fullTextOf(whale.id))[0]?.content).toBe('added segment about whales');

    const list = await server.rest('GET', `${base}/segments?limit=2&page=2`, { key });
    expect(list.body).toMatchObject({ total: 4, has_more: false, limit: 2, page: 2, doc_form: 'text_model' });
    expect(list.body.data.map((s: { content: string }) => s.content)).toEqual(['added segment about whales', 'another one']);
    const keyword = await server.rest('GET', `${base}/segments?keyword=WHALE`, { key });
    expect(keyword.body.data).toHaveLength(1);
    const detail = await server.rest('GET', `${base}/segments/${whale.id}`, { key });
    expect(detail.body.data.id).toBe(whale.id);

    const updated = await server.rest('POST', `${base}/segments/${whale.id}`, { key, json: { segment: { content: 'segment about dolphins' } } });
    expect(updated.status).toBe(200);
    expect(Array.isArray(updated.body.data)).toBe(false);
    expect(updated.body.data).toMatchObject({ content: 'segment about dolphins', word_count: 22 });
    expect(updated.body.data.index_node_hash).not.toBe(whale.index_node_hash);
    expect((await fullTextOf(whale.id))[0]?.content).toBe('segment about dolphins');

    const disabled = await server.rest('POST', `${base}/segments/${whale.id}`, { key, json: { segment: { enabled: false, content: 'ignored' } } });
    expect(disabled.body.data).toMatchObject({ enabled: false, content: 'segment about dolphins' });
    const refused = await server.rest('POST', `${base}/segments/${whale.id}`, { key, json: { segment: { content: 'x' } } });
    expect(refused.body).toEqual({ code: 'invalid_param', message: "Can't update disabled segment", status: 400 });

    const before = (await server.prisma.document.findUniqueOrThrow({ where: { id: documentId } })).wordCount ?? 0;
    const deleted = await server.rest('DELETE', `${base}/segments/${whale.id}`, { key });
    expect(deleted.body).toEqual({ result: 'success' });
    expect((await vectorsOf(whale.id)).length).toBe(0);
    expect((await fullTextOf(whale.id)).length).toBe(0);
    expect((await server.prisma.document.findUniqueOrThrow({ where: { id: documentId } })).wordCount).toBe(before - 22);
    const gone = await server.rest('GET', `${base}/segments/${whale.id}`, { key });
    expect(gone.body).toEqual({ code: 'not_found', message: 'Segment not found.', status: 404 });
  });

  it('answers Dify\'s errors for bad segment bodies and documents that are not ready', async () => {
    const { base } = await documentWith('economy', { name: 'eco', text: 'economy text' });
    expect((await server.rest('POST', `${base}/segments`, { key, json: {} })).body).toEqual({ error: 'Segments is required' });
    const blank = await server.rest('POST', `${base}/segments`, { key, json: { segments: [{ content: '   ' }] } });
    expect(blank.status).toBe(400);
    expect(blank.body.error).toMatch(/Content cannot be empty/);
    const alias = await server.rest('POST', `${base}/segment`, { key, json: { segments: [{ content: 'economy keywords about rivers and rivers' }] } });
    expect(alias.status).toBe(200);
    expect(alias.body.data[0].keywords).toContain('river');
    expect(alias.body.data[0].tokens).toBe(0);
  });

  it('manages child chunks of parent-child documents, with regeneration', async () => {
    const { base } = await documentWith('high_quality', {
      name: 'pc',
      text: 'parent one a\nparent one b\n\nparent two a',
      doc_form: 'hierarchical_model',
      process_rule: {
        mode: 'hierarchical',
        rules: {
          pre_processing_rules: [],
          parent_mode: 'paragraph',
          segmentation: { separator: '\\n\\n', max_tokens: 500 },
          subchunk_segmentation: { separator: '\\n', max_tokens: 100 },
        },
      },
    });
    const segments = await server.rest('GET', `${base}/segments`, { key });
    expect(segments.body.doc_form).toBe('hierarchical_model');
    const parent = segments.body.data[0];
    expect(parent.child_chunks.map((c: { content: string }) => c.content)).toEqual(['parent one a', 'parent one b']);
    expect((await vectorsOf(parent.id)).length).toBe(2);

    const created = await server.rest('POST', `${base}/segments/${parent.id}/child_chunks`, { key, json: { content: 'custom child' } });
    expect(created.body.data).toMatchObject({ content: 'custom child', position: 3, type: 'customized', segment_id: parent.id });
    expect((await vectorsOf(parent.id)).length).toBe(3);
    const listed = await server.rest('GET', `${base}/segments/${parent.id}/child_chunks?limit=2`, { key });
    expect(listed.body).toMatchObject({ total: 3, total_pages: 2, page: 1, limit: 2 });
    const patched = await server.rest('PATCH', `${base}/segments/${parent.id}/child_chunks/${created.body.data.id}`, { key, json: { content: 'edited child' } });
    expect(patched.body.data).toMatchObject({ content: 'edited child', word_count: 12 });
    const removed = await server.rest('DELETE', `${base}/segments/${parent.id}/child_chunks/${created.body.data.id}`, { key });
    expect(removed.status).toBe(204);
    expect((await vectorsOf(parent.id)).length).toBe(2);
    const missing = await server.rest('DELETE', `${base}/segments/${parent.id}/child_chunks/${created.body.data.id}`, { key });
    expect(missing.body.message).toBe('Child chunk not found.');

    const regenerated = await server.rest('POST', `${base}/segments/${parent.id}`, {
      key,
      json: { segment: { content: 'new x\nnew y\nnew z', regenerate_child_chunks: true } },
    });
    expect(regenerated.body.data.child_chunks.map((c: { content: string }) => c.content)).toEqual(['new x', 'new y', 'new z']);
    expect((await vectorsOf(parent.id)).length).toBe(3);
  });

  it('hides segments from other workspaces', async () => {
    const { base } = await documentWith('economy', { name: 'private', text: 'private text' });
    const other = await server.createKey('other');
    expect((await server.rest('GET', `${base}/segments`, { key: other })).status).toBe(404);
    expect((await server.rest('POST', `${base}/segments`, { key: other, json: { segments: [{ content: 'x' }] } })).status).toBe(404);
  });
});
