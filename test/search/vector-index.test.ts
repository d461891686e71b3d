import { randomUUID } from 'node:crypto';
import pgvector from 'pgvector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset } from '../../src/domain/datasets/service.ts';
import { createModelRegistry } from '../../src/domain/models/registry.ts';
import { ensureWorkspace, ownerAccount } from '../../src/domain/workspaces/service.ts';
import { PgVectorStore, hnswIndexName, topKQuery } from '../../src/search/vector/pgvector-store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/** A deterministic pseudo-random unit vector. */
function vector(seed: number, dimension: number) {
  let x = seed * 9301 + 49297;
  const values = Array.from({ length: dimension }, () => {
    x = (x * 9301 + 49297) % 233280;
    return x / 233280 - 0.5;
  });
  const norm = Math.hypot(...values);
  return values.map((v) => v / norm);
}

describe('pgvector store', () => {
  let database: TestDatabase;
  let store: PgVectorStore;
  let datasetId: string;

  async function seed(dimension: number, count: number, model: string) {
    const owner = await database.db.prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } });
    const document = await database.db.prisma.document.create({
      data: {
        workspaceId: owner.workspaceId,
        datasetId,
        position: dimension,
        batch: '20260101000000123456',
        name: `doc-${dimension}`,
        createdBy: owner.createdBy,
      },
    });
    const segments = await database.db.prisma.segment.createManyAndReturn({
      data: Array.from({ length: count }, (_, i) => ({
        workspaceId: owner.workspaceId,
        datasetId,
        documentId: document.id,
        position: i + 1,
        content: `segment ${i}`,
        wordCount: 9,
        createdBy: owner.createdBy,
      })),
    });
    await store.upsert(
      segments.map((s, i) => ({
        nodeId: randomUUID(),
        workspaceId: owner.workspaceId,
        datasetId,
        documentId: document.id,
        segmentId: s.id,
        model,
        vector: vector(i + dimension, dimension),
      })),
    );
    return segments;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PgVectorStore(database.db);
    const prisma = database.db.prisma;
    const workspace = await ensureWorkspace(prisma, 'vectors');
    const owner = await ownerAccount(prisma, workspace.id);
    if (!owner) throw new Error('ensureWorkspace creates an owner');
    const viewer = { workspaceId: workspace.id, accountId: owner.id, apiKeyId: 'test', datasetScope: null };
    datasetId = (await createDataset({ prisma, models: createModelRegistry() }, viewer, { name: 'vectors' })).id;
  });
  afterAll(() => database.drop());

  it('keeps vectors of different dimensions side by side, each with its own HNSW index', async () => {
    const small = await seed(8, 40, 'tiny-8');
    await seed(384, 40, 'builtin-lexical-384');
    const indexes = await database.db.prisma.$queryRawUnsafe<{ indexname: string; indexdef: string }[]>(
      "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'embeddings' AND indexdef LIKE '%hnsw%' ORDER BY indexname",
    );
    expect(indexes.map((i) => i.indexname)).toEqual([hnswIndexName(384), hnswIndexName(8)]);
    expect(indexes[0]?.indexdef).toMatch(/vector_cosine_ops.*WHERE \(dimension = 384\)/);

    const hits = await store.search(datasetId, vector(3 + 8, 8), 3);
    expect(hits).toHaveLength(3);
    expect(hits[0]?.segmentId).toBe(small[3]?.id);
    expect(hits[0]?.score).toBeCloseTo(1, 5);
  });

  it('stores sparse vectors (the built-in model) compressed in the row, and dense ones unchanged', async () => {
    const sparse = (seed: number) => {
      const values = new Array<number>(1024).fill(0);
      for (let i = 0; i < 40; i++) values[(seed * 31 + i * 97) % 1024] = ((i % 5) + 1) / 10;
      const norm = Math.hypot(...values);
      return values.map((v) => v / norm);
    };
    const segments = await seed(1024, 20, 'dense-1024');
    const owner = await database.db.prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } });
    const rows = segments.map((s, i) => ({
      nodeId: randomUUID(),
      workspaceId: owner.workspaceId,
      datasetId,
      documentId: s.documentId,
      segmentId: s.id,
      model: 'sparse-1024',
      vector: sparse(i),
    }));
    await store.upsert(rows);
    const sizes = await database.db.query<{ model: string; bytes: number; toasted: number }>(
      `SELECT model, avg(pg_column_size(embedding))::float8 AS bytes,
              (SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE relname = 'embeddings')::float8 AS toasted
         FROM embeddings WHERE dimension = 1024 GROUP BY model ORDER BY model`,
    );
    // 1,024 float4 are 4,104 bytes raw: sparse ones compress to a fraction; dense ones do not compress.
    expect(sizes.find((r) => r.model === 'sparse-1024')!.bytes).toBeLessThan(1_024);
    expect(sizes.find((r) => r.model === 'dense-1024')!.bytes).toBeGreaterThan(4_000);
    const [stored] = await database.db.query<{ embedding: string }>('SELECT embedding::text AS embedding FROM embeddings WHERE node_id = $1', [rows[3]!.nodeId]);
    const read = pgvector.fromSql(stored!.embedding) as number[];
    expect(Math.max(...read.map((v, i) => Math.abs(v - rows[3]!.vector[i]!)))).toBeLessThan(1e-6);
    const [hit] = await store.search(datasetId, sparse(3), 1);
    expect(hit?.nodeId).toBe(rows[3]!.nodeId);
  });

  it('answers a top-k query with an HNSW index scan (EXPLAIN)', async () => {
    const plan = await database.db.prisma.$transaction(async (tx) => {
      // Forty rows are cheaper to scan than to index; make the planner show which index serves this query shape
      // rather than what it would pick on a toy table.
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN ${topKQuery(384)}`,
        pgvector.toSql(vector(1, 384)),
        datasetId,
        5,
      );
    });
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain(`Index Scan using ${hnswIndexName(384)} on embeddings`);
    expect(text).not.toContain('Seq Scan');
  });

  it('refuses dimensions HNSW cannot index', async () => {
    await expect(store.ensureIndex(0)).rejects.toThrow(RangeError);
    await expect(store.ensureIndex(2001)).rejects.toThrow(/from 1 to 2000/);
  });
  it('runs every session with the iterative HNSW scan, so filters do not cut a top-k short', async () => {
    // Several statements, so that more than one pooled connection is likely asked.
    const settings = await Promise.all(
      Array.from({ length: 4 }, () =>
        database.db.prisma.$queryRawUnsafe<{ scan: string; ef: string }[]>(
          "SELECT current_setting('hnsw.iterative_scan') AS scan, current_setting('hnsw.ef_search') AS ef",
        ),
      ),
    );
    expect(settings.map(([row]) => row)).toEqual(Array(4).fill({ scan: 'relaxed_order', ef: '100' }));
  });
});
