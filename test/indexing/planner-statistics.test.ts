import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE } from '../helpers/database.ts';
import { waitForDocuments } from '../helpers/indexing.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Without statistics the planner ranked a large dataset by exact distance (250 ms against 5 ms through the HNSW index
// in the bench on PGlite, where the switch happens between 1,000 and 5,000 segments). PGlite has no autovacuum, and
// PostgreSQL's comes late after a bulk load, so after a large document the worker analyses the search tables itself;
// this checks that it did: on PGlite reltuples is -1 until then, on PostgreSQL a manual ANALYZE is counted apart from
// autovacuum's.
describe('planner statistics after a bulk load', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '100' });
    key = await server.createKey('statistics');
  });
  afterAll(() => server.close());

  const reltuples = async (table: string) => {
    const [row] = await server.prisma.$queryRawUnsafe<{ n: number }[]>(
      'SELECT reltuples::float8 AS n FROM pg_class WHERE relname = $1',
      table,
    );
    return Number(row?.n);
  };

  /** Manual ANALYZEs of a table (PostgreSQL; autovacuum's are counted apart). PGlite's counters are not asserted. */
  const analyses = async (table: string) => {
    if (TEST_ENGINE !== 'postgres') return 0;
    const [row] = await server.prisma.$queryRawUnsafe<{ n: number }[]>(
      'SELECT analyze_count::float8 AS n FROM pg_stat_user_tables WHERE relname = $1',
      table,
    );
    return Number(row?.n ?? 0);
  };

  it('are refreshed after a document of 1,000 segments (the planner then knows how large the tables are)', async () => {
    expect(await reltuples('embeddings')).toBeLessThan(1);
    expect(await analyses('embeddings')).toBe(0);
    const dataset = await server.rest('POST', '/v1/datasets', { key, json: { name: 'big', indexing_technique: 'high_quality' } });
    const lines = Array.from({ length: 1_000 }, (_, i) => `Line ${i} tells of topic ${i % 37} and place ${i % 11}.`);
    await server.rest('POST', `/v1/datasets/${dataset.body.id}/document/create-by-text`, {
      key,
      json: {
        name: 'big.txt',
        text: lines.join('\n'),
        process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: { separator: '\\n', max_tokens: 100 } } },
      },
    });
    await waitForDocuments(server, key, dataset.body.id, 120_000);
    const deadline = Date.now() + 10_000;
    while ((await reltuples('embeddings')) < 1_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await reltuples('embeddings')).toBeGreaterThanOrEqual(1_000);
    if (TEST_ENGINE === 'postgres') {
      // Statistics counters reach the view within a second or so of the statement.
      while ((await analyses('embeddings')) < 1 && Date.now() < deadline + 5_000) await new Promise((r) => setTimeout(r, 200));
      expect(await analyses('embeddings')).toBeGreaterThanOrEqual(1);
    }
  }, 180_000);
});
