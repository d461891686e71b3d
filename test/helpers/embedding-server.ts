import { createServer, type Server } from 'node:http';

/**
 * An OpenAI-protocol embedding server (8 dimensions) whose answers can be held back, to catch a worker in the middle
 * of a document.
 */
export function embeddingServer(options: { hold: boolean; dimension?: number }) {
  const dimension = options.dimension ?? 8;
  let hold = options.hold;
  let requests = 0;
  const waiting: Array<() => void> = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    requests++;
    if (hold) await new Promise<void>((resolve) => waiting.push(resolve));
    const input = (JSON.parse(body) as { input: string[] }).input;
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        data: input.map((text, index) => ({
          index,
          embedding: Array.from({ length: dimension }, (_, i) => ((text.charCodeAt(i % text.length) % 7) + 1) / 10),
        })),
        usage: { prompt_tokens: input.length * 3 },
      }),
    );
  });
  return {
    server,
    dimension,
    get requests() {
      return requests;
    },
    /** Listens on a free port; resolves to the base URL. */
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    },
    hold() {
      hold = true;
    },
    release() {
      hold = false;
      for (const resolve of waiting.splice(0)) resolve();
    },
    close() {
      this.release();
      server.closeAllConnections();
      server.close();
    },
  };
}
