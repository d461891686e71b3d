import { afterEach, describe, expect, it } from 'vitest';
import { OpenAICompatibleProvider, type OpenAICompatibleOptions } from '../../../src/indexing/embed/openai-compatible.ts';
import { EmbeddingProviderError } from '../../../src/indexing/embed/provider.ts';
import { embeddings, startEmbeddingsServer, type EmbeddingsRequest, type Reply } from './openai-server.ts';

describe('OpenAI-compatible embedding provider', () => {
  let server: Awaited<ReturnType<typeof startEmbeddingsServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup(handler: (request: EmbeddingsRequest) => Reply, options: Partial<OpenAICompatibleOptions> = {}) {
    server = await startEmbeddingsServer(handler);
    const provider = new OpenAICompatibleProvider({ baseUrl: server.url, model: 'm', retryBaseMs: 5, ...options });
    return { server, provider };
  }

  const texts = (count: number) => Array.from({ length: count }, (_, i) => 'x'.repeat(i + 1));

  it('posts batches to /embeddings with the model and key, and keeps the order of the inputs', async () => {
    const { server, provider } = await setup(({ input }) => embeddings(input), { apiKey: 'sk-test', batchSize: 3 });
    const inputs = texts(10);
    const result = await provider.embed(inputs);
    expect(server.requests.map((r) => r.input.length).sort()).toEqual([1, 3, 3, 3]);
    expect(server.requests.flatMap((r) => r.input).sort()).toEqual([...inputs].sort());
    expect(server.requests.every((r) => r.model === 'm' && r.authorization === 'Bearer sk-test')).toBe(true);
    // The server answers in reverse; each vector is [length of its text, …].
    expect(result.vectors.map((v) => v[0])).toEqual(inputs.map((t) => t.length));
    expect(provider.dimension).toBe(3);
    expect(provider.provider).toBe('openai-compatible');
  });

  it('splits each request’s prompt tokens over its texts by their length', async () => {
    const { provider } = await setup(({ input }) => embeddings(input, 100));
    const { tokens } = await provider.embed(['a'.repeat(4), 'b'.repeat(12), 'c'.repeat(24)]);
    expect(tokens.reduce((a, b) => a + b, 0)).toBe(100);
    expect(tokens).toEqual([10, 30, 60]);
  });

  it('estimates tokens when the server reports no usage', async () => {
    const { provider } = await setup(({ input }) => ({
      body: { data: input.map((_, index) => ({ index, embedding: [1, 2] })) },
    }));
    expect((await provider.embed(['abcdefgh', '北京是中国的首都'])).tokens).toEqual([2, 8]);
  });

  it('never has more requests in flight than its concurrency', async () => {
    const { server, provider } = await setup(({ input }) => ({ ...embeddings(input), delayMs: 30 }), { batchSize: 1, concurrency: 3 });
    await provider.embed(texts(12));
    expect(server.requests).toHaveLength(12);
    expect(server.stats.maxInFlight).toBe(3);
  });

  it('sends 4 requests at a time and 64 inputs per request by default', async () => {
    const { server, provider } = await setup(({ input }) => ({ ...embeddings(input), delayMs: 30 }));
    await provider.embed(texts(64 * 6));
    expect(server.requests.map((r) => r.input.length)).toEqual(Array(6).fill(64));
    expect(server.stats.maxInFlight).toBe(4);
  });

  it('retries a 429 after its Retry-After and a 500 with backoff, then succeeds', async () => {
    const { server, provider } = await setup(({ n, input }) =>
      n === 0
        ? { status: 429, body: { error: { message: 'slow down' } }, headers: { 'Retry-After': '1' } }
        : n === 1
          ? { status: 500, body: { error: { message: 'oops' } } }
          : embeddings(input),
    );
    const started = Date.now();
    const result = await provider.embed(['a']);
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.vectors).toEqual([[1, 0, 1]]);
  });

  it('retries network errors and timeouts', async () => {
    const { server, provider } = await setup(
      ({ n, input }) => (n === 0 ? { destroy: true } : n === 1 ? { ...embeddings(input), delayMs: 500 } : embeddings(input)),
      { timeoutMs: 200 },
    );
    expect((await provider.embed(['abc'])).vectors).toEqual([[3, 0, 1]]);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after maxAttempts with a message naming the model and the last cause', async () => {
    const { server, provider } = await setup(() => ({ status: 503, body: { error: { message: 'overloaded' } } }), { maxAttempts: 3 });
    const failure = provider.embed(['a']);
    await expect(failure).rejects.toBeInstanceOf(EmbeddingProviderError);
    await expect(failure).rejects.toThrow(
      /^Embedding model openai-compatible\/m at http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings failed after 3 attempts: HTTP 503: overloaded$/,
    );
    expect(server.requests).toHaveLength(3);
  });

  it('says when a server cannot be reached', async () => {
    const { server } = await setup(({ input }) => embeddings(input));
    await server.close();
    const provider = new OpenAICompatibleProvider({ baseUrl: server.url, model: 'm', retryBaseMs: 1, maxAttempts: 2 });
    await expect(provider.embed(['a'])).rejects.toThrow(/failed after 2 attempts: network error: fetch failed \(ECONNREFUSED\)/);
  });

  it('fails at once on a 400, with the server’s message', async () => {
    const { server, provider } = await setup(() => ({
      status: 400,
      body: { error: { message: "This model's maximum context length is 8192 tokens", type: 'invalid_request_error' } },
    }));
    await expect(provider.embed(['a'])).rejects.toThrow(
      "Embedding model openai-compatible/m at http://127.0.0.1:" +
        `${new URL(server.url).port}/v1/embeddings refused the request (HTTP 400): This model's maximum context length is 8192 tokens`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('quotes the body of an error that is not JSON', async () => {
    const { provider } = await setup(() => ({ status: 401, raw: '<html><body>Unauthorized</body></html>' }));
    await expect(provider.embed(['a'])).rejects.toThrow(/\(HTTP 401\): <html><body>Unauthorized<\/body><\/html>$/);
  });

  it('stops sending batches once one has failed for good', async () => {
    const { server, provider } = await setup(
      ({ input }) => (input[0] === 'bad' ? { status: 400, body: { error: 'bad input' } } : { ...embeddings(input), delayMs: 20 }),
      { batchSize: 1, concurrency: 2 },
    );
    await expect(provider.embed(['ok', 'bad', ...texts(20)])).rejects.toThrow(/HTTP 400\): bad input/);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests.length).toBeLessThan(6);
  });

  it('stops waiting when the caller aborts', async () => {
    const { provider } = await setup(() => ({ status: 429, headers: { 'Retry-After': '30' } }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('document deleted')), 100);
    const started = Date.now();
    await expect(provider.embed(['a'], { signal: controller.signal })).rejects.toThrow('document deleted');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses answers of the wrong size or dimension', async () => {
    const { provider } = await setup(({ input }) => embeddings(input), { dimension: 5 });
    await expect(provider.embed(['a'])).rejects.toThrow(/answered 3-dimensional vectors, expected 5/);
    await server?.close();
    const short = await setup(({ input }) => embeddings(input.slice(1)));
    await expect(short.provider.embed(['a', 'b'])).rejects.toThrow(/answered 1 embeddings for 2 texts/);
  });

  it('sends nothing for no texts', async () => {
    const { server, provider } = await setup(({ input }) => embeddings(input));
    expect(await provider.embed([])).toEqual({ vectors: [], tokens: [] });
    expect(server.requests).toHaveLength(0);
  });
});
