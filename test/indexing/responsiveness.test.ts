// The property behind live progress: while a long document indexes, the server keeps answering and a subscriber
// sees the document advance batch by batch (not one event at the end). On both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchProgress } from '../helpers/progress.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('a server indexing a long document', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_BATCH_SIZE: '100', INDEXING_POLL_MS: '100' });
    key = await server.createKey('responsive');
  });
  afterAll(() => server.close());

  it('answers /healthz and streams intermediate progress while it works', async () => {
    const dataset = await server.rest('POST', '/v1/datasets', { key, json: { name: 'long', indexing_technique: 'high_quality' } });
    const lines = Array.from({ length: 1_500 }, (_, i) => `Line ${i}: words that make a segment of their own`);
    const created = await server.rest('POST', `/v1/datasets/${dataset.body.id}/document/create-by-text`, {
      key,
      json: {
        name: 'long.txt',
        text: lines.join('\n'),
        process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\n', max_tokens: 60 } } },
      },
    });
    expect(created.status).toBe(200);

    const healthDuringIndexing: number[] = [];
    const pings: Promise<void>[] = [];
    const events = await watchProgress(server.url, key, dataset.body.id, created.body.document.id, (event, seen) => {
      if (event.status !== 'indexing' || event.completed === 0) return;
      // Asked mid-document: it must be answered before the document completes.
      pings.push(
        server.rest('GET', '/healthz').then((r) => {
          if (r.status === 200 && seen.at(-1)?.status === 'indexing') healthDuringIndexing.push(r.status);
        }),
      );
    });
    await Promise.all(pings);

    const last = events.at(-1);
    expect(last?.status).toBe('completed');
    expect(last?.completed).toBe(last?.total);
    expect(last?.total).toBeGreaterThanOrEqual(1_500);
    const intermediate = events.filter((e) => e.status === 'indexing' && e.completed > 0 && e.completed < (e.total ?? 0));
    expect(intermediate.length).toBeGreaterThanOrEqual(10);
    expect(healthDuringIndexing.length).toBeGreaterThanOrEqual(1);
  });
});
