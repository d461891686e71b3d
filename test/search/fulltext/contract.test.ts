// One contract for every full-text engine: the embedded one always, Meilisearch when MEILISEARCH_URL is set.
import { randomUUID } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedFullTextIndex } from '../../../src/search/fulltext/embedded.ts';
import { MeilisearchFullTextIndex } from '../../../src/search/fulltext/meilisearch.ts';
import type { FullTextHit, FullTextIndex } from '../../../src/search/fulltext/port.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { Corpus } from './corpus.ts';

const MEILISEARCH_URL = process.env.MEILISEARCH_URL;
const MEILISEARCH_API_KEY = process.env.MEILISEARCH_API_KEY;
if (!MEILISEARCH_URL) console.warn('[fulltext] Meilisearch contract tests SKIPPED: MEILISEARCH_URL is not set');

interface Engine {
  open(db: TestDatabase): Promise<FullTextIndex>;
  close(): Promise<void>;
}

function embedded(): Engine {
  return { open: async (db) => new EmbeddedFullTextIndex(db.db), close: async () => {} };
}

function meilisearch(): Engine {
  const indexName = `kg_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  return {
    open: async () => {
      const index = new MeilisearchFullTextIndex({ url: MEILISEARCH_URL ?? '', apiKey: MEILISEARCH_API_KEY, indexName });
      await index.init();
      return index;
    },
    close: async () => {
      await new Meilisearch({ host: MEILISEARCH_URL ?? '', apiKey: MEILISEARCH_API_KEY }).deleteIndex(indexName).waitTask();
    },
  };
}

const ids = (hits: FullTextHit[]) => hits.map((h) => h.nodeId);

function contract(name: string, engine: () => Engine) {
  describe(`full-text index contract: ${name}`, () => {
    let database: TestDatabase;
    let corpus: Corpus;
    let index: FullTextIndex;
    let current: Engine;

    beforeAll(async () => {
      database = await createTestDatabase();
      corpus = new Corpus(database);
      current = engine();
      index = await current.open(database);
    });
    afterAll(async () => {
      await current?.close();
      await database?.drop();
    });

    it('ranks entries matching more of the query’s words higher, with scores in 0..1', async () => {
      const dataset = await corpus.dataset();
      const doc = await corpus.document(dataset);
      const [all, two, gateway1, gateway2, unrelated] = await corpus.entries(doc, [
        'The gateway indexes documents and serves retrieval',
        'Retrieval of documents',
        'Gateway configuration',
        'The gateway writes logs',
        'Lunch is served at noon',
      ]);
      await index.upsert([unrelated, gateway2, two, gateway1, all]);
      const hits = await index.search(dataset, 'retrieval documents gateway', { topK: 10 });
      expect(ids(hits).slice(0, 2)).toEqual([all.nodeId, two.nodeId]);
      expect(ids(hits)).not.toContain(unrelated.nodeId);
      expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 1);
      for (const hit of hits) {
        expect(hit.score).toBeGreaterThan(0);
        expect(hit.score).toBeLessThanOrEqual(1);
      }
      expect(hits[0]).toMatchObject({ segmentId: all.segmentId, childChunkId: null });
      expect(await index.search(dataset, 'retrieval documents gateway', { topK: 1 })).toHaveLength(1);
    });

    it('finds Chinese words in Chinese text', async () => {
      const dataset = await corpus.dataset();
      const doc = await corpus.document(dataset);
      const [beijing, shanghai] = await corpus.entries(doc, ['北京是中国的首都', '上海是中国最大的城市']);
      await index.upsert([beijing, shanghai]);
      expect(ids(await index.search(dataset, '首都', { topK: 5 }))).toEqual([beijing.nodeId]);
      expect(ids(await index.search(dataset, '上海', { topK: 5 }))).toEqual([shanghai.nodeId]);
      expect(ids(await index.search(dataset, '中国的首都是哪里', { topK: 5 }))[0]).toBe(beijing.nodeId);
    });

    it('finds Japanese words in Japanese text', async () => {
      const dataset = await corpus.dataset();
      const doc = await corpus.document(dataset);
      const [tokyo, osaka] = await corpus.entries(doc, ['東京は日本の首都です', '大阪の食べ物はおいしいです']);
      await index.upsert([tokyo, osaka]);
      expect(ids(await index.search(dataset, '東京', { topK: 5 }))).toEqual([tokyo.nodeId]);
      expect(ids(await index.search(dataset, '首都', { topK: 5 }))).toEqual([tokyo.nodeId]);
      expect(ids(await index.search(dataset, '大阪', { topK: 5 }))).toEqual([osaka.nodeId]);
    });

    it('never returns another dataset’s entries', async () => {
      const [mine, theirs] = [await corpus.dataset(), await corpus.dataset()];
      const [a] = await corpus.entries(await corpus.document(mine), ['Quarterly revenue report']);
      const [b] = await corpus.entries(await corpus.document(theirs), ['Quarterly revenue report, revenue and more revenue']);
      await index.upsert([a, b]);
      expect(ids(await index.search(mine, 'quarterly revenue', { topK: 10 }))).toEqual([a.nodeId]);
      expect(ids(await index.search(theirs, 'quarterly revenue', { topK: 10 }))).toEqual([b.nodeId]);
    });

    it('restricts a search to the given documents', async () => {
      const dataset = await corpus.dataset();
      const [doc1, doc2, doc3] = [await corpus.document(dataset), await corpus.document(dataset), await corpus.document(dataset)];
      const e1 = await corpus.entry(doc1, 'Travel policy for employees');
      const e2 = await corpus.entry(doc2, 'Travel expenses are refunded monthly', { child: true });
      const e3 = await corpus.entry(doc3, 'Travel insurance');
      await index.upsert([e1, e2, e3]);
      const only2 = await index.search(dataset, 'travel', { topK: 10, documentIds: [doc2] });
      expect(only2).toEqual([{ nodeId: e2.nodeId, segmentId: e2.segmentId, childChunkId: e2.childChunkId, score: only2[0]?.score }]);
      expect(ids(await index.search(dataset, 'travel', { topK: 10, documentIds: [doc1, doc3] })).sort()).toEqual(
        [e1.nodeId, e3.nodeId].sort(),
      );
      expect(await index.search(dataset, 'travel', { topK: 10, documentIds: [] })).toEqual([]);
      expect(ids(await index.search(dataset, 'travel', { topK: 10 }))).toHaveLength(3);
    });

    it('replaces an entry on upsert', async () => {
      const dataset = await corpus.dataset();
      const entry = await corpus.entry(await corpus.document(dataset), 'alpha bravo');
      await index.upsert([entry]);
      await index.upsert([{ ...entry, content: 'charlie delta' }]);
      expect(await index.search(dataset, 'alpha', { topK: 5 })).toEqual([]);
      expect(ids(await index.search(dataset, 'charlie', { topK: 5 }))).toEqual([entry.nodeId]);
      // The same node twice in one call: the last one wins.
      await index.upsert([{ ...entry, content: 'echo' }, { ...entry, content: 'foxtrot' }]);
      expect(await index.search(dataset, 'echo', { topK: 5 })).toEqual([]);
      expect(ids(await index.search(dataset, 'foxtrot', { topK: 5 }))).toEqual([entry.nodeId]);
    });

    it('deletes by node, by document and by dataset', async () => {
      const [dataset, other] = [await corpus.dataset(), await corpus.dataset()];
      const [doc1, doc2] = [await corpus.document(dataset), await corpus.document(dataset)];
      const [a, b] = await corpus.entries(doc1, ['kiwi one', 'kiwi two']);
      const [c] = await corpus.entries(doc2, ['kiwi three']);
      const [d] = await corpus.entries(await corpus.document(other), ['kiwi four']);
      await index.upsert([a, b, c, d]);
      const kiwi = async (datasetId: string) => ids(await index.search(datasetId, 'kiwi', { topK: 10 })).sort();

      await index.deleteByNodeIds([a.nodeId]);
      await index.deleteByNodeIds([]);
      expect(await kiwi(dataset)).toEqual([b.nodeId, c.nodeId].sort());
      await index.deleteByDocument(doc1);
      expect(await kiwi(dataset)).toEqual([c.nodeId]);
      await index.deleteByDataset(dataset);
      expect(await kiwi(dataset)).toEqual([]);
      expect(await kiwi(other)).toEqual([d.nodeId]);
    });

    it('finds nothing for a query without words', async () => {
      const dataset = await corpus.dataset();
      await index.upsert([await corpus.entry(await corpus.document(dataset), 'something to find')]);
      for (const query of ['', '   ', '?!', '——']) expect(await index.search(dataset, query, { topK: 5 })).toEqual([]);
    });

    it('treats query syntax characters as text', async () => {
      const dataset = await corpus.dataset();
      const entry = await corpus.entry(await corpus.document(dataset), "Don't panic: C++ (a|b) & !c \"quoted\" back\\slash");
      await index.upsert([entry]);
      expect(ids(await index.search(dataset, "don't panic", { topK: 5 }))).toEqual([entry.nodeId]);
      for (const query of ["'", "a'b", '\\', 'a | b & !c', '(', ':*', '"', 'dataset_id = "x" OR 1']) {
        await expect(index.search(dataset, query, { topK: 5 })).resolves.toBeInstanceOf(Array);
      }
    });
  });
}

contract('embedded', embedded);
describe.skipIf(!MEILISEARCH_URL)('Meilisearch', () => contract('meilisearch', meilisearch));
