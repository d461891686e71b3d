// Indexing work that would run away (a separator pattern that backtracks, a file that expands beyond memory) is
// stopped by the CPU pool's deadline and heap limit: the document fails with a message saying why, and the server
// goes on answering meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docx } from '../helpers/documents.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('runaway indexing work', () => {
  let server: TestServer;
  let key: string;
  let datasetId: string;
  // About 130 MB of WordprocessingML that deflates to well under the upload limit (built before the server starts:
  // building it blocks this thread for seconds).
  const bomb = docx(Array.from({ length: 1_200_000 }, (_, i) => `Paragraph ${i} of a document that expands enormously.`));

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_SPLIT_TIMEOUT_MS: '1500', INDEXING_THREAD_MEMORY_MB: '128', INDEXING_POLL_MS: '100' });
    key = await server.createKey('limits');
    const dataset = await server.rest('POST', '/v1/datasets', { key, json: { name: 'limits', indexing_technique: 'economy' } });
    datasetId = dataset.body.id;
  });
  afterAll(() => server.close());

  async function settled(batch: string, dataset = datasetId, on = server, as = key) {
    for (let i = 0; i < 600; i++) {
      const status = await on.rest('GET', `/v1/datasets/${dataset}/documents/${batch}/indexing-status`, { key: as });
      const [document] = status.body.data;
      if (document.indexing_status === 'completed' || document.indexing_status === 'error') return document;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the document never settled');
  }

  it('fails a document whose separator pattern backtracks for ever, answering requests meanwhile', async () => {
    const text = Array.from({ length: 20 }, () => `${'a'.repeat(40)}b`).join('\n');
    const started = Date.now();
    const created = await server.rest('POST', `/v1/datasets/${datasetId}/document/create-by-text`, {
      key,
      json: {
        name: 'redos.txt',
        text,
        process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '/(a+)+$/', max_tokens: 500 } } },
      },
    });
    expect(created.status).toBe(200);
    const health = await server.rest('GET', '/healthz');
    expect(health.status).toBe(200);
    const document = await settled(created.body.batch);
    expect(document.indexing_status).toBe('error');
    expect(document.error).toMatch(/Splitting the text failed: it took longer than 1\.5 s/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('time-boxes splitting for a segment added through the API, and says why it failed', async () => {
    const dataset = await server.rest('POST', '/v1/datasets', { key, json: { name: 'pc', indexing_technique: 'high_quality' } });
    const created = await server.rest('POST', `/v1/datasets/${dataset.body.id}/document/create-by-text`, {
      key,
      json: {
        name: 'pc.txt',
        text: 'a parent paragraph',
        doc_form: 'hierarchical_model',
        process_rule: {
          mode: 'hierarchical',
          rules: {
            pre_processing_rules: [],
            parent_mode: 'paragraph',
            segmentation: { separator: '\\n\\n', max_tokens: 500 },
            subchunk_segmentation: { separator: '/(a+)+$/', max_tokens: 100 },
          },
        },
      },
    });
    expect(created.status).toBe(200);
    const base = `/v1/datasets/${dataset.body.id}/documents/${created.body.document.id}`;
    expect((await settled(created.body.batch, dataset.body.id)).indexing_status).toBe('completed');
    const started = Date.now();
    const added = await server.rest('POST', `${base}/segments`, { key, json: { segments: [{ content: `${'a'.repeat(40)}b` }] } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(added.status).toBe(200);
    expect(added.body.data[0]).toMatchObject({ status: 'error', enabled: false });
    expect(added.body.data[0].error).toMatch(/Splitting the text failed: it took longer than 1\.5 s/);
  });

  it('fails a document that would split into more segments than allowed, naming the limit', async () => {
    const limited = await startTestServer({ INDEXING_MAX_SEGMENTS: '10', INDEXING_POLL_MS: '100' });
    try {
      const key2 = await limited.createKey('segments');
      const dataset = await limited.rest('POST', '/v1/datasets', { key: key2, json: { name: 'many', indexing_technique: 'economy' } });
      const created = await limited.rest('POST', `/v1/datasets/${dataset.body.id}/document/create-by-text`, {
        key: key2,
        json: {
          name: 'many.txt',
          text: Array.from({ length: 11 }, (_, i) => `line ${i}`).join('\n'),
          process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\\n', max_tokens: 100 } } },
        },
      });
      const document = await settled(created.body.batch, dataset.body.id, limited, key2);
      expect(document.indexing_status).toBe('error');
      expect(document.error).toBe('many.txt would make 11 segments, more than the 10 allowed for one document (INDEXING_MAX_SEGMENTS).');
    } finally {
      await limited.close();
    }
  });

  it('fails a document whose chunk overlap would repeat its text many times over, naming the limit', async () => {
    const dataset = await server.rest('POST', '/v1/datasets', { key, json: { name: 'overlap', indexing_technique: 'economy' } });
    // One paragraph: custom mode splits only pieces longer than the chunk size, and those with the overlap.
    const words = Array.from({ length: 4_000 }, (_, i) => `word${i % 97} says ${i % 7}`);
    const created = await server.rest('POST', `/v1/datasets/${dataset.body.id}/document/create-by-text`, {
      key,
      json: {
        name: 'overlap.txt',
        text: words.join(' '),
        process_rule: {
          mode: 'custom',
          rules: { pre_processing_rules: [], segmentation: { separator: '\\n', max_tokens: 400, chunk_overlap: 390 } },
        },
      },
    });
    expect(created.status).toBe(200);
    const document = await settled(created.body.batch, dataset.body.id);
    expect(document.indexing_status).toBe('error');
    expect(document.error).toMatch(
      /^overlap\.txt would be stored and embedded as [\d.]+ times its own length \([\d,]+ characters from [\d,]+\), more than the 5 times allowed \(INDEXING_MAX_EXPANSION\): lower chunk_overlap\.$/,
    );
  });

  it('fails a document whose parsing needs more memory than a thread may have', async () => {
    const file = bomb;
    expect(file.byteLength).toBeLessThan(15 * 1024 * 1024);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)]), 'bomb.docx');
    form.append('data', JSON.stringify({ indexing_technique: 'economy', process_rule: { mode: 'automatic' } }));
    const response = await fetch(`${server.url}/v1/datasets/${datasetId}/document/create-by-file`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    });
    const created = await response.json();
    expect(response.status, JSON.stringify(created)).toBe(200);
    const document = await settled(created.batch);
    expect(document.indexing_status).toBe('error');
    expect(document.error).toMatch(/bomb\.docx: it needed more than 128 MB of memory while reading it/);
    expect((await server.rest('GET', '/healthz')).status).toBe(200);
  });
});
