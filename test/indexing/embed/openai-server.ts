// A small OpenAI-protocol embeddings server on 127.0.0.1 for provider tests: it records each request, tracks how many
// are in flight, and answers what the test's handler says.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmbeddingsRequest {
  /** 0 for the first request the server got. */
  n: number;
  model: string;
  input: string[];
  authorization: string | undefined;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body; `raw` wins when set. */
  body?: unknown;
  raw?: string;
  /** Answer after this long. */
  delayMs?: number;
  /** Drop the connection without answering (a network error for the client). */
  destroy?: boolean;
}

/** A correct answer, items in reverse order (clients must place them by `index`): [length, index, 1]. */
export function embeddings(input: string[], promptTokens = input.length * 2): Reply {
  return {
    body: {
      object: 'list',
      data: input.map((text, index) => ({ object: 'embedding', index, embedding: [text.length, index, 1] })).reverse(),
      model: 'm',
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
  };
}

export async function startEmbeddingsServer(handler: (request: EmbeddingsRequest) => Reply | Promise<Reply>) {
  const requests: EmbeddingsRequest[] = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  const server = createServer(async (req, res) => {
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const json = JSON.parse(raw) as { model: string; input: string[] };
      const request = { n: requests.length, model: json.model, input: json.input, authorization: req.headers.authorization };
      requests.push(request);
      const reply = await handler(request);
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (reply.destroy) {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json', ...reply.headers });
      res.end(reply.raw ?? JSON.stringify(reply.body ?? {}));
    } finally {
      stats.inFlight--;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
