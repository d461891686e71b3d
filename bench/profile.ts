// `npm run bench -- --profile`: where a request's time goes. Counts the statements a request sends (every statement
// of the app goes through node-postgres) and samples this process's CPU while it repeats the request, then sums the
// samples by package (node core, Prisma, graphql-js, Pothos, node-postgres, this project's modules…).
import { Session } from 'node:inspector/promises';
import pg from 'pg';

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
}

const packageOf = (url: string, functionName: string) => {
  if (url.includes('/node_modules/')) {
    const [first = '', second = ''] = url.split('/node_modules/').at(-1)?.split('/') ?? [];
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/src/')) return `src/${url.split('/src/').at(-1)?.split('/')[0]}`;
  if (url === '') return `(${functionName.replace(/[()]/g, '')})`;
  return url.startsWith('file:') ? 'bench and tests' : url;
};

/** Statements one call of `work` sends. */
export async function statementsPer(work: () => Promise<unknown>): Promise<number> {
  const original = pg.Client.prototype.query;
  let count = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    count++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = original;
  }
  return count;
}

/** CPU samples of `count` sequential calls, as shares per package (idle included: time spent waiting). */
export async function cpuShares(count: number, work: (i: number) => Promise<unknown>) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const started = performance.now();
  for (let i = 0; i < count; i++) await work(i);
  const elapsedMs = performance.now() - started;
  const { profile } = (await session.post('Profiler.stop')) as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  session.disconnect();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const shares = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    if (!node) return;
    const name = packageOf(node.callFrame.url, node.callFrame.functionName);
    shares.set(name, (shares.get(name) ?? 0) + delta);
    total += delta;
  });
  return {
    msPerCall: elapsedMs / count,
    shares: [...shares.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, share: us / total })),
  };
}

export async function printProfile(label: string, work: (i: number) => Promise<unknown>, count = 200) {
  const statements = await statementsPer(() => work(0));
  const { msPerCall, shares } = await cpuShares(count, work);
  process.stdout.write(`\n#### ${label}: ${msPerCall.toFixed(2)} ms per call (sequential), ${statements} statements\n\n`);
  process.stdout.write('| where | share of samples |\n|---|---|\n');
  for (const { name, share } of shares.slice(0, 15)) process.stdout.write(`| ${name} | ${(share * 100).toFixed(1)}% |\n`);
}
