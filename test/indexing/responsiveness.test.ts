// The property behind live progress: while a long document indexes, the server keeps answering and a subscriber
// sees the document advance batch by batch (not one event at the end). On both databases.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
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

    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${key}` },
    });
    const events: { status: string; completed: number; total: number }[] = [];
    const healthDuringIndexing: number[] = [];
    const pings: Promise<void>[] = [];
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ indexingProgress: { indexingStatus: string; completedSegments: number; totalSegments: number } }>(
        {
          query: `subscription ($d: ID!, $doc: ID) { indexingProgress(datasetId: $d, documentId: $doc) {
                    indexingStatus completedSegments totalSegments } }`,
          variables: { d: dataset.body.id, doc: created.body.document.id },
        },
        {
          next: ({ data }) => {
            const p = data?.indexingProgress;
            if (!p) return;
            events.push({ status: p.indexingStatus.toLowerCase(), completed: p.completedSegments, total: p.totalSegments });
            if (p.indexingStatus === 'INDEXING' && p.completedSegments > 0) {
              // Asked mid-document: it must be answered before the document completes.
              pings.push(
                server.rest('GET', '/healthz').then((r) => {
                  if (r.status === 200 && events.at(-1)?.status === 'indexing') healthDuringIndexing.push(r.status);
                }),
              );
            }
          },
          error: reject,
          complete: resolve,
        },
      );
    });
    await Promise.all(pings);
    await client.dispose();

    const last = events.at(-1);
    expect(last?.status).toBe('completed');
    expect(last?.completed).toBe(last?.total);
    expect(last?.total).toBeGreaterThanOrEqual(1_500);
    const intermediate = events.filter((e) => e.status === 'indexing' && e.completed > 0 && e.completed < e.total);
    expect(intermediate.length).toBeGreaterThanOrEqual(10);
    expect(healthDuringIndexing.length).toBeGreaterThanOrEqual(1);
  });
});
