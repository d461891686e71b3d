// The bench's HTTP client: node:http with kept-alive connections. It runs in the bench's process, next to the server
// it measures, so it must cost little CPU, as node-postgres does for the raw baselines (fetch costs about a
// millisecond of CPU per request in WHATWG streams and headers objects).
import http from 'node:http';

export interface JsonClient {
  /** Sends `body` as JSON (if given) and answers the parsed JSON response. */
  request(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): void;
}

export function jsonClient(baseUrl: string, headers: Record<string, string>, maxSockets = 16): JsonClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(baseUrl);
  return {
    request: (method, path, body) =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = http.request(
          {
            agent,
            hostname,
            port,
            method,
            path,
            headers: payload === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(payload) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              try {
                resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
              } catch (error) {
                reject(error);
              }
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
    close: () => agent.destroy(),
  };
}
