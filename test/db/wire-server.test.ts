// The embedded database's wire server: many node-postgres clients on one PGlite session, checked for what a
// multiplexer can get wrong (interleaved extended-protocol exchanges, transactions, clients that vanish, LISTEN/NOTIFY,
// SET LOCAL, advisory locks). It only exists for the embedded engine.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketUrl } from '../../src/db/embedded/embedded-database.ts';
import { WireServer } from '../../src/db/embedded/wire-server.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the embedded wire server', () => {
  let db: PGlite;
  let server: WireServer;
  let socketDir: string;
  let url: string;
  const warnings: string[] = [];
  const pools: pg.Pool[] = [];
  const pool = (max = 8) => {
    const p = new pg.Pool({ connectionString: url, max });
    pools.push(p);
    return p;
  };
  const client = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return c;
  };

  beforeAll(async () => {
    db = await PGlite.create('memory://');
    socketDir = await mkdtemp(path.join(tmpdir(), 'kg-wire-'));
    server = new WireServer(db, { idleInTransactionMs: 1_000, onError: (_e, context) => void warnings.push(context) });
    await server.listen(path.join(socketDir, '.s.PGSQL.5432'));
    url = socketUrl(socketDir);
    const setup = await client();
    await setup.query('CREATE TABLE items (id int PRIMARY KEY, label text)');
    await setup.end();
  });
  afterAll(async () => {
    for (const p of pools) await p.end().catch(() => {});
    await server.close();
    await db.close();
    await rm(socketDir, { recursive: true, force: true });
  });

  it('never mixes up concurrent parameterised queries of different shapes', async () => {
    const p = pool(8);
    const results = await Promise.all(
      Array.from({ length: 600 }, async (_, i) => {
        if (i % 3 === 0) return (await p.query('SELECT $1::int AS n', [i])).rows[0].n === i;
        if (i % 3 === 1) return (await p.query('SELECT $1::text || $2::text AS s', [`a${i}`, 'b'])).rows[0].s === `a${i}b`;
        const rows = (await p.query('SELECT g FROM generate_series(1, $1::int) g', [i % 50])).rows;
        return rows.length === i % 50;
      }),
    );
    expect(results.every(Boolean)).toBe(true);
  });

  it('gives a transaction the session to itself until it ends', async () => {
    const a = await client();
    const b = await client();
    await a.query('BEGIN');
    await a.query("INSERT INTO items VALUES (1, 'uncommitted')");
    let seenByB: number | null = null;
    const read = b.query('SELECT count(*)::int AS n FROM items').then((r) => {
      seenByB = r.rows[0].n;
    });
    await sleep(100);
    expect(seenByB).toBeNull(); // waits for A's transaction, instead of running inside it
    await a.query('ROLLBACK');
    await read;
    expect(seenByB).toBe(0);
    await Promise.all([a.end(), b.end()]);
  });

  it('keeps SET LOCAL and transaction-scoped advisory locks inside their transaction', async () => {
    const a = await client();
    const b = await client();
    await a.query('BEGIN');
    await a.query("SET LOCAL statement_timeout = '1234ms'");
    await a.query('SELECT pg_advisory_xact_lock(42)');
    expect((await a.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('1234ms');
    const other = b.query('SHOW statement_timeout');
    await a.query('COMMIT');
    expect((await other).rows[0].statement_timeout).toBe('0');
    // Taken again by another client once the first transaction is over.
    await b.query('BEGIN');
    await b.query('SELECT pg_advisory_xact_lock(42)');
    await b.query('COMMIT');
    await Promise.all([a.end(), b.end()]);
  });

  it('shares session-level advisory locks between clients (one session): the gateway does not rely on them here', async () => {
    const a = await client();
    const b = await client();
    await a.query('SELECT pg_advisory_lock(7)');
    expect((await b.query('SELECT pg_try_advisory_lock(7) AS got')).rows[0].got).toBe(true);
    await a.query('SELECT pg_advisory_unlock_all()');
    await Promise.all([a.end(), b.end()]);
  });

  it('rolls back the transaction of a client that disconnects, and goes on serving the others', async () => {
    const a = await client();
    a.on('error', () => {});
    await a.query('BEGIN');
    await a.query("INSERT INTO items VALUES (2, 'lost')");
    const b = await client();
    const read = b.query('SELECT count(*)::int AS n FROM items WHERE id = 2');
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect((await read).rows[0].n).toBe(0);
    await b.end();
  });

  it('recovers from a client that vanishes in the middle of an extended-protocol exchange', async () => {
    // Parse and Bind, then gone before Sync: the session must not stay in that exchange.
    const raw = connect(path.join(socketDir, '.s.PGSQL.5432'));
    await new Promise((resolve) => raw.once('connect', resolve));
    const startup = Buffer.from('\0\0\0\0\0\x03\0\0user\0postgres\0database\0postgres\0\0', 'binary');
    startup.writeInt32BE(startup.length, 0);
    raw.write(startup);
    await new Promise((resolve) => raw.once('data', resolve));
    const parse = Buffer.from('P\0\0\0\0\0SELECT 1\0\0\0', 'binary');
    parse.writeInt32BE(parse.length - 1, 1);
    raw.write(parse);
    await sleep(50);
    raw.destroy();
    const b = await client();
    expect((await b.query('SELECT $1::int AS n', [5])).rows[0].n).toBe(5);
    await b.end();
  });

  it('disconnects a client that keeps a transaction open and silent while others wait', async () => {
    const idle = await client();
    idle.on('error', () => {});
    await idle.query('BEGIN');
    const started = Date.now();
    const b = await client();
    expect((await b.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(warnings).toContain('idle in transaction');
    await b.end();
  });

  it("keeps each client's named prepared statements to itself, and drops them when it leaves", async () => {
    const a = await client();
    const b = await client();
    const asA = { name: 'same-name', text: "SELECT 'from a' AS who, $1::int AS n" };
    const asB = { name: 'same-name', text: "SELECT 'from b' AS who, $1::int AS n" };
    for (let i = 0; i < 3; i++) {
      expect((await a.query({ ...asA, values: [i] })).rows[0]).toEqual({ who: 'from a', n: i });
      expect((await b.query({ ...asB, values: [i] })).rows[0]).toEqual({ who: 'from b', n: i });
    }
    const named = async () =>
      (await b.query("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE '%same-name'")).rows[0].n;
    expect(await named()).toBe(2);
    await a.end();
    await sleep(100);
    expect(await named()).toBe(1);
    await b.end();
  });

  it('routes NOTIFY to the clients that LISTEN on the channel, whoever sends it', async () => {
    const listener = await client();
    const other = await client();
    const notifier = await client();
    const heard: string[] = [];
    const heardByOther: string[] = [];
    const heardByNotifier: string[] = [];
    listener.on('notification', (n) => heard.push(`${n.channel}:${n.payload}`));
    other.on('notification', (n) => heardByOther.push(`${n.channel}:${n.payload}`));
    notifier.on('notification', (n) => heardByNotifier.push(`${n.channel}:${n.payload}`));
    await listener.query('LISTEN progress');
    await other.query('LISTEN jobs');
    await notifier.query("SELECT pg_notify('progress', 'one')");
    await notifier.query('BEGIN');
    await notifier.query("NOTIFY progress, 'two'");
    await notifier.query("NOTIFY jobs, 'three'");
    await notifier.query('COMMIT');
    await sleep(100);
    expect(heard).toEqual(['progress:one', 'progress:two']);
    expect(heardByOther).toEqual(['jobs:three']);
    expect(heardByNotifier).toEqual([]);
    await listener.query('UNLISTEN progress');
    await notifier.query("SELECT pg_notify('progress', 'four')");
    await other.query("SELECT pg_notify('jobs', 'five')");
    await sleep(100);
    expect(heard).toEqual(['progress:one', 'progress:two']);
    expect(heardByOther).toEqual(['jobs:three', 'jobs:five']);
    await Promise.all([listener.end(), other.end(), notifier.end()]);
  });
});
