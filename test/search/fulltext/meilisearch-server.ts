// A stand-in for Meilisearch's HTTP API, just enough to check what the adapter sends and how it handles tasks and
// errors. It does not search: the contract suite runs against a real Meilisearch when MEILISEARCH_URL is set.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface TaskOutcome {
  status: 'succeeded' | 'failed';
  error?: { message: string; code: string };
}

export const MASTER_KEY = 'test-master-key';

export async function startFakeMeilisearch(options: {
  /** How each task ends, by the request that enqueued it. */
  outcome?: (request: RecordedRequest) => TaskOutcome;
  hits?: unknown[];
}) {
  const requests: RecordedRequest[] = [];
  const tasks = new Map<number, { outcome: TaskOutcome; polls: number }>();
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: raw ? JSON.parse(raw) : undefined };
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${MASTER_KEY}`) {
      send(401, { message: 'The provided API key is invalid.', code: 'invalid_api_key', type: 'auth', link: '' });
      return;
    }
    const task = /^\/tasks\/(\d+)$/.exec(url.pathname);
    if (task) {
      const found = tasks.get(Number(task[1]));
      if (!found) return send(404, { message: 'Task not found.', code: 'task_not_found', type: 'invalid_request', link: '' });
      // Each task is seen processing once before it ends: a caller that does not wait would miss the end.
      const status = found.polls++ === 0 ? 'processing' : found.outcome.status;
      return send(200, { uid: Number(task[1]), status, error: status === 'failed' ? found.outcome.error : null });
    }
    requests.push(request);
    if (/\/search$/.test(url.pathname)) {
      return send(200, { hits: options.hits ?? [], query: '', processingTimeMs: 0, limit: 20, offset: 0, estimatedTotalHits: 0 });
    }
    const uid = tasks.size + 1;
    tasks.set(uid, { outcome: options.outcome?.(request) ?? { status: 'succeeded' }, polls: 0 });
    send(202, { taskUid: uid, indexUid: 'x', status: 'enqueued', type: 'documentAdditionOrUpdate', enqueuedAt: new Date().toISOString() });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Requests other than task polls. */
    requests,
    polls: () => [...tasks.values()].reduce((sum, t) => sum + t.polls, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
