// `npm run bench` section "responsiveness" (issue #7): the server as a user runs it (`src/server.ts` as its own
// process), measured from outside, each figure against a baseline of the same run:
//   - p99 of /healthz and of GraphQL `datasets(first: 10)` while a 1 MB file and 100 small documents index, versus
//     the same requests on the idle server; connection resets;
//   - indexingProgress events received during a 1,500-segment document and their publish → receipt delay;
//   - small documents created over REST at concurrency 4 (documents/s);
//   - time to /healthz on a data directory of ≥ 300 MB, and `api-key create` while the server runs.
// On PGlite by default (a fresh DATA_DIR); with DATABASE_URL, on a scratch database of that PostgreSQL.
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { socketUrl } from '../src/db/embedded/embedded-database.ts';
import { scratchDatabase } from './scratch-database.ts';
import { cli, startServerProcess } from '../test/helpers/process.ts';

const KEY = `dataset-${randomBytes(12).toString('hex')}`;
const log = (message: string) => process.stderr.write(`[bench:responsiveness] ${message}\n`);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number) : NaN;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deterministic text: `lines` lines of about `width` characters of pseudo-random words. */
function text(lines: number, width: number, seed = 7) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const syllables = ['ka', 'lo', 'mi', 'ne', 'tu', 'ra', 'shi', 'po', 've', 'da', 'qu', 'zen', 'or', 'bel', 'fi', 'gra'];
  const word = () => Array.from({ length: 2 + Math.floor(next() * 3) }, () => syllables[Math.floor(next() * 16)]).join('');
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    let line = `Line ${i}:`;
    while (line.length < width) line += ` ${word()}`;
    out.push(`${line}.`);
  }
  return out.join('\n');
}

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server & { startMs: number }> {
  const started = performance.now();
  // BENCH_SERVER_ENV (JSON) adds settings to the server's, BENCH_SERVER_LOG names a file for its log: for diagnosis.
  const extra = JSON.parse(process.env.BENCH_SERVER_ENV ?? '{}') as Record<string, string>;
  const { child, exit, url } = await startServerProcess(
    { LOG_LEVEL: 'warn', KNOWLEDGE_API_KEY: KEY, ...env, ...extra },
    120_000,
  );
  const startMs = performance.now() - started;
  return {
    url,
    startMs,
    stop: async () => {
      child.kill('SIGTERM');
      const { stdout } = await exit;
      if (process.env.BENCH_SERVER_LOG) await appendFile(process.env.BENCH_SERVER_LOG, stdout);
    },
  };
}

async function rest(server: Server, method: string, route: string, body?: unknown) {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const DATASETS_QUERY = JSON.stringify({ query: '{ datasets(first: 10) { edges { node { id name } } } }' });

/**
 * Pings /healthz, GraphQL datasets(first: 10) and a route that touches no database (an unknown path: 404) one after
 * another until stopped; latencies and failures. The third tells the request thread's own delay from waiting for the
 * database.
 */
function pinger(server: Server) {
  const health: number[] = [];
  const graphql: number[] = [];
  const noDatabase: number[] = [];
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const [target, init] of [
        [health, { url: '/healthz' }],
        [graphql, { url: '/graphql', body: DATASETS_QUERY }],
        [noDatabase, { url: '/no-such-route', status: 404 }],
      ] as const) {
        const started = performance.now();
        try {
          const response = await fetch(`${server.url}${init.url}`, {
            method: 'body' in init ? 'POST' : 'GET',
            headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
            body: 'body' in init ? init.body : undefined,
            signal: AbortSignal.timeout(30_000),
          });
          await response.arrayBuffer();
          if (response.status !== ('status' in init ? init.status : 200)) failures++;
          target.push(performance.now() - started);
        } catch {
          failures++;
        }
      }
      await sleep(20);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { health, graphql, noDatabase, failures };
    },
  };
}

async function waitIndexed(server: Server, datasetId: string, documents: number, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const list = await rest(server, 'GET', `/v1/datasets/${datasetId}/documents?limit=100&page=1`);
    const total = list.total as number;
    const data = list.data as { indexing_status: string }[];
    const pending = await rest(server, 'GET', `/v1/datasets/${datasetId}/documents?limit=1&page=1&status=indexing`);
    const queued = await rest(server, 'GET', `/v1/datasets/${datasetId}/documents?limit=1&page=1&status=queuing`);
    if (total >= documents && (pending.total as number) === 0 && (queued.total as number) === 0 && data.length) return;
    await sleep(250);
  }
  throw new Error('indexing did not finish in time');
}

async function createDataset(server: Server, name: string) {
  const dataset = await rest(server, 'POST', '/v1/datasets', { name, indexing_technique: 'high_quality' });
  return dataset.id as string;
}

const createByText = (server: Server, datasetId: string, name: string, body: string, rule?: unknown) =>
  rest(server, 'POST', `/v1/datasets/${datasetId}/document/create-by-text`, {
    name,
    text: body,
    indexing_technique: 'high_quality',
    process_rule: rule ?? { mode: 'automatic' },
  });

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function responsiveness(server: Server) {
  log('idle baseline: 300 pings');
  const idle = pinger(server);
  await sleep(15_000);
  const idleResult = await idle.stop();

  const datasetId = await createDataset(server, 'load');
  log('under load: a 1 MB file and 100 small documents');
  const busy = pinger(server);
  const big = text(12_000, 85);
  await createByText(server, datasetId, 'big.txt', big);
  await inParallel(
    Array.from({ length: 100 }, (_, i) => i),
    4,
    async (i) => void (await createByText(server, datasetId, `small-${i}.txt`, text(20, 80, i + 11))),
  );
  await waitIndexed(server, datasetId, 101);
  const busyResult = await busy.stop();
  return { idle: idleResult, busy: busyResult };
}

async function progress(server: Server) {
  const datasetId = await createDataset(server, 'progress');
  const created = await createByText(server, datasetId, 'long.txt', text(1_500, 130, 99), {
    mode: 'custom',
    rules: { pre_processing_rules: [], segmentation: { separator: '\n', max_tokens: 60, chunk_overlap: 0 } },
  });
  const documentId = (created.document as { id: string }).id;
  const client = createClient({
    url: `${server.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${KEY}` },
  });
  const delays: number[] = [];
  let events = 0;
  let last = '';
  let totalSegments = 0;
  await new Promise<void>((resolve, reject) => {
    client.subscribe<{ indexingProgress: { indexingStatus: string; completedSegments: number; totalSegments: number; publishedAt: string } }>(
      {
        query: `subscription ($d: ID!, $doc: ID) { indexingProgress(datasetId: $d, documentId: $doc) {
                  indexingStatus completedSegments totalSegments publishedAt } }`,
        variables: { d: datasetId, doc: documentId },
      },
      {
        next: ({ data }) => {
          const event = data?.indexingProgress;
          if (!event) return;
          events++;
          if (events > 1) delays.push(Date.now() - Date.parse(event.publishedAt));
          last = event.indexingStatus.toLowerCase();
          totalSegments = event.totalSegments ?? 0;
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  await client.dispose();
  return { events, delays, last, totalSegments };
}

async function ingestion(server: Server) {
  const datasetId = await createDataset(server, 'ingestion');
  const count = 400;
  const started = performance.now();
  await inParallel(
    Array.from({ length: count }, (_, i) => i),
    4,
    async (i) => void (await createByText(server, datasetId, `doc-${i}.txt`, text(6, 80, 1000 + i))),
  );
  const createdMs = performance.now() - started;
  await waitIndexed(server, datasetId, count);
  const indexedMs = performance.now() - started;
  return { count, perSecondCreated: count / (createdMs / 1000), perSecondIndexed: count / (indexedMs / 1000) };
}

/** Fills the database with `megabytes` of stored file bytes, straight through SQL (fast, and real table data). */
async function fill(databaseUrl: string, megabytes: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const [workspace] = (await client.query('SELECT id FROM workspaces LIMIT 1')).rows as { id: string }[];
  for (let i = 0; i < megabytes; i += 8) {
    await client.query(
      `INSERT INTO upload_files (id, workspace_id, name, extension, mime_type, size, hash, data, created_by)
       SELECT gen_random_uuid(), $1, 'filler-' || g || '.bin', 'bin', 'application/octet-stream', 1048576, '',
              decode(string_agg(md5(random()::text || g || x), ''), 'hex'), $1
         FROM generate_series(1, 8) g, generate_series(1, 65536) x GROUP BY g`,
      [workspace?.id],
    );
  }
  await client.end();
}

async function main() {
  const adminUrl = process.env.DATABASE_URL;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kg-bench-'));
  let env: Record<string, string> = { DATA_DIR: dataDir };
  let drop = async () => {};
  if (adminUrl) {
    const scratch = await scratchDatabase(adminUrl);
    env = { DATABASE_URL: scratch.url, SECRET_KEY: randomBytes(16).toString('hex') };
    drop = scratch.drop;
  }
  const engine = adminUrl ? 'PostgreSQL' : 'PGlite';
  const rows: string[][] = [];
  const row = (figure: string, value: string, baseline: string, ratio: string, target: string, met: boolean | null) => {
    rows.push([figure, value, baseline, ratio, target, met === null ? '' : met ? 'met' : 'NOT met']);
    log(rows.at(-1)?.join(' | ') ?? '');
  };
  try {
    let server = await startServer(env);
    log(`server up in ${Math.round(server.startMs)} ms (${engine})`);
    const load = await responsiveness(server);
    for (const [name, idle, busy] of [
      ['/healthz', load.idle.health, load.busy.health],
      ['GraphQL datasets(first: 10)', load.idle.graphql, load.busy.graphql],
      ['a route without database access (404)', load.idle.noDatabase, load.busy.noDatabase],
    ] as const) {
      const idleP99 = percentile(idle, 99);
      const busyP99 = percentile(busy, 99);
      const ratio = busyP99 / idleP99;
      row(
        `${name} p99 under load (n=${busy.length})`,
        `${busyP99.toFixed(1)} ms (p50 ${percentile(busy, 50).toFixed(1)})`,
        `idle ${idleP99.toFixed(1)} ms (p50 ${percentile(idle, 50).toFixed(1)})`,
        `${ratio.toFixed(2)}×`,
        '≤ 3× and ≤ 250 ms',
        ratio <= 3 && busyP99 <= 250,
      );
    }
    const failures = load.idle.failures + load.busy.failures;
    row('failed or reset requests', String(failures), '0', '', '0', failures === 0);
    if (process.env.BENCH_ONLY === 'load') {
      await server.stop();
      return;
    }

    const events = await progress(server);
    const p95 = percentile(events.delays, 95);
    row(`indexingProgress events, ${events.totalSegments}-segment document`, String(events.events), '', '', '≥ 10', events.events >= 10);
    row('publish → receipt delay p95', `${p95.toFixed(1)} ms`, '', '', '≤ 250 ms', p95 <= 250);

    const ingest = await ingestion(server);
    row(`small documents created over REST, concurrency 4 (n=${ingest.count})`, `${ingest.perSecondCreated.toFixed(1)}/s`, '', '', '≥ 30/s', ingest.perSecondCreated >= 30);
    row('… created and indexed', `${ingest.perSecondIndexed.toFixed(1)}/s`, '', '', '', null);

    if (!adminUrl) {
      log('filling the data directory to 300 MB');
      const lock = JSON.parse(await readFile(path.join(dataDir, 'knowledge-gateway.lock'), 'utf8')) as { socketDir: string };
      await fill(socketUrl(lock.socketDir), 300);
    } else {
      await fill(env.DATABASE_URL as string, 300);
    }
    const keyStarted = performance.now();
    const created = await cli(['api-key', 'create', '--workspace', 'bench-cli'], env);
    const keyMs = performance.now() - keyStarted;
    if (created.code !== 0) throw new Error(`api-key create failed: ${created.stderr}`);
    row('`api-key create` while the server runs', `${Math.round(keyMs)} ms`, '', '', '≤ 2000 ms', keyMs <= 2000);
    await server.stop();
    server = await startServer(env);
    row('start to /healthz, 300 MB of data', `${Math.round(server.startMs)} ms`, '', '', '≤ 3000 ms', server.startMs <= 3000);
    await server.stop();
  } finally {
    await drop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const header = ['figure', 'value', 'baseline (same run)', 'ratio', 'target', ''];
  process.stdout.write(`\n### Responsiveness on ${engine}\n\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
  for (const r of rows) process.stdout.write(`| ${r.join(' | ')} |\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
