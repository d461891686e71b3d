import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedFullTextIndex } from '../../../src/search/fulltext/embedded.ts';
import { MeilisearchFullTextIndex } from '../../../src/search/fulltext/meilisearch.ts';
import type { FullTextEntry, FullTextIndex } from '../../../src/search/fulltext/port.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

const MEILISEARCH_URL = process.env.MEILISEARCH_URL;
if (!MEILISEARCH_URL) console.warn('[fulltext] Meilisearch contract tests SKIPPED: MEILISEARCH_URL is not set');

const engines: Array<[string, (db: TestDatabase) => Promise<FullTextIndex>]> = [
  ['embedded', async (db) => new EmbeddedFullTextIndex(db.db)],
];
if (MEILISEARCH_URL) {
  engines.push([
    'meilisearch',
    async () => {
      const index = new MeilisearchFullTextIndex(MEILISEARCH_URL, process.env.MEILISEARCH_API_KEY, `kg_test_${randomUUID().slice(0, 8)}`);
      await index.init();
      return index;
    },
  ]);
}

describe.each(engines)('full-text index: %s', (_name, open) => {
  let db: TestDatabase;
  let index: FullTextIndex;
  const ids = { workspace: randomUUID(), datasetA: randomUUID(), datasetB: randomUUID(), docA: randomUUID(), docA2: randomUUID(), docB: randomUUID() };
  const entry = (documentId: string, datasetId: string, content: string): FullTextEntry & { segment: string } => {
    const segment = randomUUID();
    return { nodeId: randomUUID(), segmentId: segment, segment, workspaceId: ids.workspace, datasetId, documentId, content };
  };
  const entries = [
    entry(ids.docA, ids.datasetA, 'The gateway indexes documents and serves retrieval'),
    entry(ids.docA, ids.datasetA, 'Retrieval of documents'),
    entry(ids.docA2, ids.datasetA, '北京是中国的首都'),
    entry(ids.docA2, ids.datasetA, '東京は日本の首都です'),
    entry(ids.docB, ids.datasetB, 'The gateway in another dataset'),
  ];

  beforeAll(async () => {
    db = await createTestDatabase();
    const p = db.db.prisma;
    await p.workspace.create({ data: { id: ids.workspace, name: 'ft' } });
    const owner = randomUUID();
    for (const [datasetId, name] of [[ids.datasetA, 'a'], [ids.datasetB, 'b']] as const) {
      await p.dataset.create({ data: { id: datasetId, workspaceId: ids.workspace, name, createdBy: owner } });
    }
    for (const [documentId, datasetId] of [[ids.docA, ids.datasetA], [ids.docA2, ids.datasetA], [ids.docB, ids.datasetB]] as const) {
      await p.document.create({ data: { id: documentId, workspaceId: ids.workspace, datasetId, position: 1, batch: '1', name: documentId, createdBy: owner } });
    }
    for (const e of entries) {
      await p.segment.create({
        data: { id: e.segment, workspaceId: ids.workspace, datasetId: e.datasetId, documentId: e.documentId, position: 1, content: e.content, wordCount: 1, createdBy: owner },
      });
    }
    index = await open(db);
    await index.upsert(entries);
  });
  afterAll(() => db.drop());

  it('ranks entries matching more query terms first, within the dataset only', async () => {
    const hits = await index.search(ids.datasetA, 'gateway retrieval documents', { topK: 10 });
    expect(hits.map((h) => h.nodeId).slice(0, 2)).toEqual([entries[0]?.nodeId, entries[1]?.nodeId]);
    expect(hits.every((h) => h.score > 0 && h.score <= 1)).toBe(true);
    expect((hits[0]?.score ?? 0) > (hits[1]?.score ?? 0)).toBe(true);
    expect(hits.map((h) => h.nodeId)).not.toContain(entries[4]?.nodeId);
  });

  it('finds Chinese and Japanese words', async () => {
    expect((await index.search(ids.datasetA, '首都', { topK: 5 })).map((h) => h.nodeId).sort()).toEqual(
      [entries[2]?.nodeId, entries[3]?.nodeId].sort(),
    );
    expect((await index.search(ids.datasetA, '北京', { topK: 5 })).map((h) => h.nodeId)).toEqual([entries[2]?.nodeId]);
    expect((await index.search(ids.datasetA, '東京', { topK: 5 })).map((h) => h.nodeId)).toEqual([entries[3]?.nodeId]);
  });

  it('restricts to documents, replaces on upsert, deletes by node, document and dataset', async () => {
    expect(await index.search(ids.datasetA, 'documents', { topK: 5, documentIds: [ids.docA2] })).toEqual([]);
    expect(await index.search(ids.datasetA, '   ', { topK: 5 })).toEqual([]);
    await index.upsert([{ ...(entries[1] as FullTextEntry), content: 'completely different words' }]);
    expect((await index.search(ids.datasetA, 'different', { topK: 5 })).map((h) => h.nodeId)).toEqual([entries[1]?.nodeId]);
    await index.deleteByNodeIds([entries[1]?.nodeId as string]);
    expect(await index.search(ids.datasetA, 'different', { topK: 5 })).toEqual([]);
    await index.deleteByDocument(ids.docA2);
    expect(await index.search(ids.datasetA, '首都', { topK: 5 })).toEqual([]);
    await index.deleteByDataset(ids.datasetB);
    expect(await index.search(ids.datasetB, 'gateway', { topK: 5 })).toEqual([]);
    expect((await index.search(ids.datasetA, 'gateway', { topK: 5 })).length).toBe(1);
  });
});
