// What the embedded engine promises beyond the contract: BM25 ranking (rare terms weigh more, repeated terms
// saturate, long entries are normalised), English stemming and stop words, statistics that follow disables and
// deletes, metadata filters that restrict results but not statistics, and writes in batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisInput, tsvectorSql } from '../../../src/search/fulltext/analysis.ts';
import { BM25_B, BM25_K1, bm25SearchSql } from '../../../src/search/fulltext/bm25-sql.ts';
import { EmbeddedFullTextIndex } from '../../../src/search/fulltext/embedded.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../../helpers/database.ts';
import { Corpus } from './corpus.ts';

describe('embedded full-text engine (BM25)', () => {
  let database: TestDatabase;
  let corpus: Corpus;
  let index: EmbeddedFullTextIndex;

  beforeAll(async () => {
    database = await createTestDatabase();
    corpus = new Corpus(database);
    index = new EmbeddedFullTextIndex(database.db);
  });
  afterAll(() => database.drop());

  const ids = async (dataset: string, query: string, topK = 10) => (await index.search(dataset, query, { topK })).map((h) => h.nodeId);

  it('splits CJK words from the words the language configuration analyses', () => {
    expect(analysisInput('Reset 北京 the PASSWORD')).toEqual({ words: 'reset the password', cjk: '北京' });
  });

  it('matches stemmed forms and ignores stop words', async () => {
    const dataset = await corpus.dataset();
    const [running, other] = await corpus.entries(await corpus.document(dataset), ['The runner was running fast', 'A slow walk']);
    await index.upsert([running, other]);
    expect(await ids(dataset, 'runs')).toEqual([running.nodeId]);
    expect(await ids(dataset, 'the was a')).toEqual([]);
  });

  it('weighs rare terms more than common ones (IDF)', async () => {
    const dataset = await corpus.dataset();
    const doc = await corpus.document(dataset);
    const [rare, common] = await corpus.entries(doc, ['zebra habitat', 'animal habitat']);
    const filler = await corpus.entries(doc, ['animal care', 'animal food', 'animal shelter', 'animal welfare']);
    await index.upsert([rare, common, ...filler]);
    expect((await ids(dataset, 'zebra animal'))[0]).toBe(rare.nodeId);
  });

  it('saturates term frequency and normalises by length', async () => {
    const dataset = await corpus.dataset();
    const doc = await corpus.document(dataset);
    const [short, long] = await corpus.entries(doc, [
      'vaccine trial',
      `vaccine ${Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ')} trial`,
    ]);
    await index.upsert([short, long]);
    expect(await ids(dataset, 'vaccine trial')).toEqual([short.nodeId, long.nodeId]);
    const [repeated, both] = await corpus.entries(doc, ['insulin insulin insulin insulin insulin insulin', 'insulin resistance']);
    await index.upsert([repeated, both]);
    expect((await ids(dataset, 'insulin resistance'))[0]).toBe(both.nodeId);
  });

  it('replaces an entry’s terms when its text changes (old terms gone, shared ones counted anew)', async () => {
    const dataset = await corpus.dataset();
    const [entry] = await corpus.entries(await corpus.document(dataset), ['apples and pears']);
    if (!entry) throw new Error('no entry');
    await index.upsert([entry]);
    await index.upsert([{ ...entry, content: 'pears pears and plums' }]);
    expect(await ids(dataset, 'apples')).toEqual([]);
    expect(await ids(dataset, 'plums')).toEqual([entry.nodeId]);
    const postings = await database.db.prisma.$queryRawUnsafe<{ term: string; tf: number }[]>(
      'SELECT term, tf FROM fulltext_postings WHERE node_id = $1 ORDER BY term',
      entry.nodeId,
    );
    expect(postings).toEqual([
      { term: 'pear', tf: 2 },
      { term: 'plum', tf: 1 },
    ]);
  });

  it('keeps statistics exact after disables and deletes', async () => {
    const dataset = await corpus.dataset();
    const doc = await corpus.document(dataset);
    const [a, b, c] = await corpus.entries(doc, ['protein folding', 'protein', 'folding']);
    await index.upsert([a, b, c]);
    const score = async () => (await index.search(dataset, 'protein', { topK: 10 })).find((h) => h.nodeId === b.nodeId)?.score ?? 0;
    const before = await score();
    await database.db.prisma.segment.update({ where: { id: c.segmentId }, data: { enabled: false } });
    // One entry fewer without "protein": N drops, so does protein's IDF and the raw score; normalised, the single
    // term's score depends only on tf and length, which did not change for b; avgdl did (c was short).
    expect(await ids(dataset, 'folding')).toEqual([a.nodeId]);
    await database.db.prisma.segment.update({ where: { id: c.segmentId }, data: { enabled: true } });
    expect(await score()).toBeCloseTo(before, 10);
    await index.deleteByNodeIds([a.nodeId]);
    expect(await ids(dataset, 'folding')).toEqual([c.nodeId]);
  });

  it('keeps the per-dataset statistics equal to a recount, and the postings’ copies equal to their entries, under inserts, updates, disables, archives and deletes', async () => {
    const prisma = database.db.prisma;
    const dataset = await corpus.dataset();
    const [doc1, doc2] = [await corpus.document(dataset), await corpus.document(dataset)];
    const kept = async () => {
      const row = await prisma.fullTextStats.findUnique({ where: { datasetId: dataset } });
      return { entries: Number(row?.entries ?? 0), length: Number(row?.totalLength ?? 0) };
    };
    // What the query used to count on every search: entries whose segment and document are enabled and not archived.
    const recount = async () => {
      const [row] = await prisma.$queryRawUnsafe<{ entries: number; length: number }[]>(
        `SELECT count(*)::int AS entries, coalesce(sum(e.length), 0)::int AS length
           FROM fulltext_entries e JOIN segments s ON s.id = e.segment_id JOIN documents d ON d.id = s.document_id
          WHERE e.dataset_id = $1::uuid AND s.enabled AND d.enabled AND NOT d.archived`,
        dataset,
      );
      return row;
    };
    // Scoring reads each posting's copies of its entry's usable flag and length: they must never lag behind.
    const staleCopies = async () => {
      const [row] = await prisma.$queryRawUnsafe<{ stale: number }[]>(
        `SELECT count(*)::int AS stale FROM fulltext_postings p JOIN fulltext_entries e ON e.node_id = p.node_id
          WHERE e.dataset_id = $1::uuid AND (p.usable <> e.usable OR p.length <> e.length OR p.dataset_id <> e.dataset_id)`,
        dataset,
      );
      return row?.stale;
    };
    const check = async (step: string) =>
      expect({ step, ...(await kept()), staleCopies: await staleCopies() }).toEqual({ step, ...(await recount()), staleCopies: 0 });

    const [a, b] = await corpus.entries(doc1, ['protein folding kinetics', 'protein']);
    const [c] = await corpus.entries(doc2, ['membrane transport of ions']);
    const child = await corpus.entry(doc2, 'child chunk text', { child: true });
    await index.upsert([a, b, c, child]);
    await check('inserted');
    expect((await kept()).entries).toBe(4);
    await index.upsert([{ ...a, content: 'protein folding kinetics measured by single molecule force spectroscopy' }]);
    await check('updated');
    await prisma.segment.update({ where: { id: b.segmentId }, data: { enabled: false } });
    await check('segment disabled');
    await index.upsert([{ ...b, content: 'protein structure, edited while disabled' }]);
    await check('disabled segment re-indexed');
    await prisma.segment.update({ where: { id: b.segmentId }, data: { enabled: true } });
    await check('segment enabled');
    await prisma.document.update({ where: { id: doc2 }, data: { enabled: false } });
    await check('document disabled');
    await prisma.segment.update({ where: { id: c.segmentId }, data: { enabled: false } });
    await prisma.document.update({ where: { id: doc2 }, data: { enabled: true } });
    await check('document enabled with a disabled segment');
    await prisma.document.update({ where: { id: doc1 }, data: { archived: true } });
    await check('document archived');
    await prisma.document.update({ where: { id: doc1 }, data: { archived: false } });
    await check('document unarchived');
    await index.deleteByNodeIds([a.nodeId]);
    await check('entry deleted');
    await prisma.segment.delete({ where: { id: child.segmentId } });
    await check('segment deleted');
    await prisma.document.delete({ where: { id: doc1 } });
    await check('document deleted');
    expect(await kept()).toEqual({ entries: 0, length: 0 });
    await prisma.dataset.delete({ where: { id: dataset } });
    expect(await prisma.fullTextStats.count({ where: { datasetId: dataset } })).toBe(0);
  });

  it('leaves out entries whose segment or document is still being indexed', async () => {
    const prisma = database.db.prisma;
    const dataset = await corpus.dataset();
    const [doc1, doc2] = [await corpus.document(dataset), await corpus.document(dataset)];
    const [done, segmentPending] = await corpus.entries(doc1, ['ribosome assembly', 'ribosome assembly factors']);
    const [documentPending] = await corpus.entries(doc2, ['ribosome assembly in yeast']);
    await index.upsert([done, segmentPending, documentPending]);
    await prisma.segment.update({ where: { id: segmentPending.segmentId }, data: { status: 'indexing' } });
    await prisma.document.update({ where: { id: doc2 }, data: { indexingStatus: 'indexing' } });
    expect(await ids(dataset, 'ribosome')).toEqual([done.nodeId]);
    await prisma.segment.update({ where: { id: segmentPending.segmentId }, data: { status: 'completed' } });
    await prisma.document.update({ where: { id: doc2 }, data: { indexingStatus: 'completed' } });
    expect((await ids(dataset, 'ribosome')).sort()).toEqual([done.nodeId, segmentPending.nodeId, documentPending.nodeId].sort());
  });

  it('ranks within the allowed documents with the whole dataset’s statistics', async () => {
    const dataset = await corpus.dataset();
    const [doc1, doc2] = [await corpus.document(dataset), await corpus.document(dataset)];
    const e1 = await corpus.entry(doc1, 'kinase inhibitor');
    const e2 = await corpus.entry(doc2, 'kinase inhibitor');
    await index.upsert([e1, e2]);
    const [all] = await index.search(dataset, 'kinase', { topK: 10 });
    const [only] = await index.search(dataset, 'kinase', { topK: 10, documentIds: [doc2] });
    expect(only?.nodeId).toBe(e2.nodeId);
    expect(only?.score).toBeCloseTo(all?.score ?? -1, 10);
  });

  it('reads a query’s postings from the scoring index alone once enough entries were written', async () => {
    const dataset = await corpus.dataset();
    const doc = await corpus.document(dataset);
    const entries = [];
    for (let i = 0; i < 200; i++) entries.push(await corpus.entry(doc, `assay number ${i} of protein binding kinetics`));
    await index.upsert(entries);
    // PGlite has no autovacuum: the engine vacuums its postings itself. PostgreSQL's autovacuum would, in its time.
    if (TEST_ENGINE === 'postgres') await database.db.prisma.$executeRawUnsafe('VACUUM fulltext_postings');
    const input = analysisInput('protein kinetics assay');
    const plan = await database.db.prisma.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN (ANALYZE, FORMAT TEXT) ${bm25SearchSql(tsvectorSql('english', '$2', '$3'), { k1: BM25_K1, b: BM25_B })}`,
      dataset,
      input.words,
      input.cjk,
      10,
      null,
    );
    const lines = plan.map((row) => row['QUERY PLAN']);
    const scan = lines.findIndex((line) => line.includes('fulltext_postings'));
    expect(lines[scan]).toContain('Index Only Scan using fulltext_postings_scoring_idx');
    expect(lines.slice(scan).find((line) => line.includes('Heap Fetches'))?.trim()).toMatch(/^Heap Fetches: 0\b/);
  });

  it('writes many entries in batches', async () => {
    const batched = new EmbeddedFullTextIndex(database.db, { batchSize: 7 });
    const dataset = await corpus.dataset();
    const doc = await corpus.document(dataset);
    const entries = [];
    for (let i = 0; i < 30; i++) entries.push(await corpus.entry(doc, `batch entry number ${i}`));
    await batched.upsert(entries);
    expect(await batched.search(dataset, 'batch', { topK: 100 })).toHaveLength(30);
    const postings = await database.db.prisma.fullTextPosting.count({ where: { datasetId: dataset } });
    expect(postings).toBe(30 * 4); // batch, entri, number, the digits
  });
});
