// What the embedded engine promises beyond the contract: any query word is enough, many entries go in a few
// statements, and the query is answered from the GIN index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedFullTextIndex, orQuery } from '../../../src/search/fulltext/embedded.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { Corpus } from './corpus.ts';

describe('embedded full-text engine', () => {
  let database: TestDatabase;
  let corpus: Corpus;

  beforeAll(async () => {
    database = await createTestDatabase();
    corpus = new Corpus(database);
  });
  afterAll(() => database.drop());

  it('builds an OR of the query’s distinct terms, quoted', () => {
    expect(orQuery('Reset the PASSWORD, reset!')).toBe("'reset' | 'the' | 'password'");
    expect(orQuery("don't")).toBe("'don''t'");
    expect(orQuery('北京是中国的首都')).toBe("'北京' | '是' | '中国' | '的' | '首都'");
    expect(orQuery(' ?! ')).toBeNull();
  });

  it('returns entries matching any query word, fewer words scoring lower', async () => {
    const index = new EmbeddedFullTextIndex(database.db);
    const dataset = await corpus.dataset();
    const [both, one] = await corpus.entries(await corpus.document(dataset), ['password reset steps', 'forgot password']);
    await index.upsert([both, one]);
    const hits = await index.search(dataset, 'reset password', { topK: 10 });
    expect(hits.map((h) => h.nodeId)).toEqual([both.nodeId, one.nodeId]);
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 1);
  });

  it('writes many entries in batches', async () => {
    const index = new EmbeddedFullTextIndex(database.db, 7);
    const dataset = await corpus.dataset();
    const doc = await corpus.document(dataset);
    const entries = [];
    for (let i = 0; i < 30; i++) entries.push(await corpus.entry(doc, `batch entry number ${i}`));
    await index.upsert(entries);
    expect(await index.search(dataset, 'batch', { topK: 100 })).toHaveLength(30);
  });

  it('answers a search with the GIN index on terms (EXPLAIN)', async () => {
    const plan = await database.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
        "EXPLAIN SELECT node_id FROM fulltext_entries WHERE terms @@ to_tsquery('simple', $1)",
        orQuery('password reset'),
      );
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('fulltext_entries_terms_idx');
  });
});
