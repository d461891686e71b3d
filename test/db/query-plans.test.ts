import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitForDocuments } from '../helpers/indexing.ts';
import { type Statement, statementsSentBy } from '../helpers/statements.ts';

// Tables that grow with the content: a list or search must reach them through an index, whatever their size.
const LARGE_TABLES = ['documents', 'segments', 'child_chunks', 'embeddings', 'fulltext_entries', 'fulltext_postings'];

/** Plan nodes that read a large table from end to end. */
function fullScans(plan: Record<string, unknown>): string[] {
  const found: string[] = [];
  const visit = (node: Record<string, unknown>) => {
    const relation = node['Relation Name'];
    if (node['Node Type'] === 'Seq Scan' && typeof relation === 'string' && LARGE_TABLES.includes(relation)) {
      found.push(relation);
    }
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) visit(child);
  };
  visit(plan);
  return found;
}

describe('query plans of every list and search', () => {
  let server: TestServer;
  let key: string;
  let datasetId: string;
  let documentId: string;
  let batch: string;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '100' });
    key = await server.createKey('plans');
    const dataset = await server.rest('POST', '/v1/datasets', { key, json: { name: 'plans', indexing_technique: 'high_quality' } });
    datasetId = dataset.body.id;
    await server.rest('POST', `/v1/datasets/${datasetId}/metadata`, { key, json: { type: 'string', name: 'team' } });
    for (let i = 0; i < 3; i++) {
      const created = await server.rest('POST', `/v1/datasets/${datasetId}/document/create-by-text`, {
        key,
        json: {
          name: `doc-${i}.txt`,
          text: `Cats and dogs, part ${i}.\nBirds sing in the morning.\nFish swim in rivers.`,
          indexing_technique: 'high_quality',
          process_rule: { mode: 'automatic' },
        },
      });
      documentId = created.body.document.id;
      batch = created.body.batch;
    }
    await waitForDocuments(server, key, datasetId);
  });
  afterAll(async () => {
    await server.close();
  });

  /** The SELECT statements (with their parameters) that a request runs. */
  async function selectsOf(request: () => Promise<{ status: number }>): Promise<Statement[]> {
    const { result, statements } = await statementsSentBy(request);
    expect(result.status).toBe(200);
    return statements.filter((s) => /^\s*(WITH|SELECT)\b/i.test(s.text));
  }

  /** EXPLAIN with sequential scans priced out: a full scan left in the plan means no index can serve the query. */
  async function scansIn(statement: Statement): Promise<string[]> {
    const client = new pg.Client({ connectionString: server.database.db.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const result = await client.query(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
      await client.query('COMMIT');
      const [explained] = result.rows[0]['QUERY PLAN'] as [{ Plan: Record<string, unknown> }];
      return fullScans(explained.Plan);
    } finally {
      await client.end();
    }
  }

  const retrieve = (method: string) => () =>
    server.rest('POST', `/v1/datasets/${datasetId}/retrieve`, {
      key,
      json: {
        query: 'cats in the morning',
        retrieval_model: { search_method: method, top_k: 4, reranking_enable: false, score_threshold_enabled: false },
      },
    });

  const requests: Array<[string, () => () => Promise<{ status: number }>]> = [
    ['datasets list', () => () => server.rest('GET', '/v1/datasets?limit=20', { key })],
    ['documents list', () => () => server.rest('GET', `/v1/datasets/${datasetId}/documents?limit=20&keyword=doc`, { key })],
    ['segments list', () => () => server.rest('GET', `/v1/datasets/${datasetId}/documents/${documentId}/segments?limit=20`, { key })],
    ['indexing status', () => () => server.rest('GET', `/v1/datasets/${datasetId}/documents/${batch}/indexing-status`, { key })],
    ['semantic search', () => retrieve('semantic_search')],
    ['full-text search', () => retrieve('full_text_search')],
    ['hybrid search', () => retrieve('hybrid_search')],
    ['keyword search', () => retrieve('keyword_search')],
    [
      'GraphQL documents connection',
      () => () =>
        server.gql(
          key,
          `query ($id: ID!) { dataset(id: $id) { ... on Dataset { documents(first: 20) { edges { node { id segmentCount hitCount metadata { value } } } } } } }`,
          { id: datasetId },
        ),
    ],
  ];

  it('sees a full scan when no index can serve the query', async () => {
    const scans = await scansIn({ text: 'SELECT id FROM segments WHERE content LIKE $1', values: ['%cats%'] });
    expect(scans).toEqual(['segments']);
  });

  it.each(requests)('%s reaches large tables through indexes only', async (_name, make) => {
    const statements = await selectsOf(make());
    expect(statements.length).toBeGreaterThan(0);
    const scans: string[] = [];
    for (const statement of statements) {
      for (const table of await scansIn(statement)) scans.push(`${table}: ${statement.text.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
    expect(scans).toEqual([]);
  });
});
