import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the project's entry points (src/cli.ts, src/server.ts) as its own process, as `npm start` does: one
 * node process with tsx's loader (no wrapper process), so that a signal reaches the process that does the work.
 */
export function runEntry(entry: string, args: string[], env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', `${ROOT}${entry}`, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout, stderr };
}

export const cli = (args: string[], env: Record<string, string | undefined>) =>
  finished(runEntry('src/cli.ts', args, env));

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls `url` until it answers 200, or fails after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

/** Starts src/server.ts as a process on a free port and waits until /healthz answers. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000) {
  const port = await freePort();
  const child = runEntry('src/server.ts', [], { ...env, PORT: String(port) });
  const exit = finished(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitForHttp(`${url}/healthz`, timeoutMs),
    exit.then((r) => {
      throw new Error(`server exited early (${r.code}): ${r.stderr}`);
    }),
  ]);
  /** The end of what the server wrote so far: for the message of a failed expectation. */
  return { child, exit, url, output: () => output };
}
