// Many documents created at once in one dataset through REST (as a bulk import does): every request succeeds, each
// document gets its own position, and the dataset is initialised once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const CONCURRENT = 24;

describe('REST concurrent document creation in one dataset', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '50' });
    key = await server.createKey('bulk');
  });
  afterAll(() => server.close());

  it('answers 200 to every create-by-text and numbers the documents 1..n', async () => {
    for (const round of [1, 2]) {
      // A new dataset: the first requests also set its indexing technique and embedding model.
      const dataset = (await server.rest('POST', '/v1/datasets', { key, json: { name: `bulk-${round}` } })).body.id as string;
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) =>
          server.rest('POST', `/v1/datasets/${dataset}/document/create-by-text`, {
            key,
            json: {
              name: `doc-${i}`,
              text: `Document ${i} of a bulk import: enough text to be split and indexed while the others arrive.`,
              indexing_technique: 'high_quality',
              process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\n', max_tokens: 500 } } },
            },
          }),
        ),
      );
      expect(responses.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
      const positions = responses.map((r) => r.body.document.position as number).sort((a, b) => a - b);
      expect(positions).toEqual(Array.from({ length: CONCURRENT }, (_, i) => i + 1));
      const detail = await server.rest('GET', `/v1/datasets/${dataset}`, { key });
      expect(detail.body).toMatchObject({ indexing_technique: 'high_quality', document_count: CONCURRENT });
    }
  });
});
