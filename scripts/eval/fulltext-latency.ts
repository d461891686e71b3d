// `npx tsx scripts/eval/fulltext-latency.ts [--limit N] [--rounds R] [--keep NAME]`
// Times the embedded full-text engine's search statement alone (no HTTP, no embedding) over a BEIR collection's
// queries: the collection is written straight into the database (one document and segment per entry, full-text entries
// through the engine's own upsert), then every query is searched at the depths retrieval asks for (top_k 10 → 20
// candidates, hybrid → 200), `--rounds` times. PGlite in memory, or a scratch database on DATABASE_URL's PostgreSQL
// (`--keep NAME` keeps it under that name, and reuses it when it exists, to compare statements without re-indexing).
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { EmbeddedFullTextIndex } from '../../src/search/fulltext/embedded.ts';
import type { FullTextHit } from '../../src/search/fulltext/port.ts';
import { type Collection, defaultCollection, docText, loadCollection, subset } from './beir.ts';
import { median } from './metrics.ts';

const log = (message: string) => process.stderr.write(`[fulltext-latency] ${message}\n`);

const { values: args } = parseArgs({
  options: {
    collection: { type: 'string' },
    limit: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    keep: { type: 'string' },
  },
});

async function admin(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The database to measure on, and whether it already holds the collection. */
async function database(): Promise<{ db: Database; reused: boolean; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) return { db: await openDatabase({ dataDir: 'memory://' }), reused: false, drop: async () => {} };
  const name = args.keep ?? `kg_ftlat_${randomUUID().slice(0, 8)}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('--keep: lower-case letters, digits and _ only');
  const exists = (await admin(adminUrl, `SELECT 1 FROM pg_database WHERE datname = '${name}'`)).rowCount === 1;
  if (!exists) await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  const drop = async () => {
    await db.close();
    if (!args.keep) await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  return { db, reused: exists, drop };
}

/** Writes the collection as one dataset (one document and segment per entry) and indexes it; answers the dataset id. */
async function load(db: Database, collection: Collection, index: EmbeddedFullTextIndex): Promise<string> {
  const prisma = db.prisma;
  const workspaceId = randomUUID();
  const owner = randomUUID();
  const datasetId = randomUUID();
  await prisma.workspace.create({ data: { id: workspaceId, name: `ftlat-${workspaceId}` } });
  await prisma.dataset.create({ data: { id: datasetId, workspaceId, name: 'fulltext-latency', createdBy: owner, indexingTechnique: 'high_quality' } });
  const rows = collection.docs.map((doc) => ({ doc, documentId: randomUUID(), segmentId: randomUUID(), nodeId: randomUUID() }));
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    await prisma.document.createMany({
      data: chunk.map((r, i) => ({ id: r.documentId, workspaceId, datasetId, position: start + i + 1, batch: '1', name: r.doc.id, createdBy: owner, indexingStatus: 'completed' })),
    });
    await prisma.segment.createMany({
      data: chunk.map((r) => ({ id: r.segmentId, workspaceId, datasetId, documentId: r.documentId, position: 1, content: docText(r.doc), wordCount: 1, createdBy: owner, status: 'completed', indexNodeId: r.nodeId })),
    });
  }
  const started = performance.now();
  await index.upsert(rows.map((r) => ({ nodeId: r.nodeId, workspaceId, datasetId, documentId: r.documentId, segmentId: r.segmentId, content: docText(r.doc) })));
  log(`indexed ${rows.length} entries in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return datasetId;
}

async function main() {
  const folder = args.collection ?? defaultCollection(resolve(import.meta.dirname, '../..'));
  if (!folder) throw new Error('no collection: pass --collection DIR or set EVAL_COLLECTION');
  const full = loadCollection(folder);
  const collection = args.limit ? subset(full, Number(args.limit)) : full;
  const { db, reused, drop } = await database();
  try {
    await migrate(db);
    const index = new EmbeddedFullTextIndex(db);
    const datasetId = reused
      ? ((await db.prisma.dataset.findFirst({ where: { name: 'fulltext-latency' }, select: { id: true } }))?.id ?? (await load(db, collection, index)))
      : await load(db, collection, index);
    log(`${db.kind}: ${collection.docs.length} documents, ${collection.queries.length} queries, ${args.rounds} rounds`);
    for (const topK of [20, 200]) {
      const ms: number[] = [];
      let hits = 0;
      for (let round = 0; round < Number(args.rounds); round++) {
        for (const query of collection.queries) {
          const started = performance.now();
          const found: FullTextHit[] = await index.search(datasetId, query.text, { topK });
          ms.push(performance.now() - started);
          hits += found.length;
        }
      }
      const sorted = [...ms].sort((a, b) => a - b);
      const p90 = sorted[Math.floor(sorted.length * 0.9)] ?? 0;
      process.stdout.write(`topK ${topK}: p50 ${median(ms).toFixed(2)} ms, p90 ${p90.toFixed(2)} ms (${ms.length} searches, ${hits} hits)\n`);
    }
  } finally {
    await drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
