import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { embedLexical } from '../../../src/indexing/embed/builtin-lexical.ts';
import { OpenAICompatibleProvider } from '../../../src/indexing/embed/openai-compatible.ts';

const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] as number), 0);

describe('built-in lexical embedding', () => {
  it('is deterministic, normalised, and ranks texts sharing words above unrelated ones (EN and ZH)', () => {
    const q = embedLexical('how do I reset my password').vector;
    expect(embedLexical('how do I reset my password').vector).toEqual(q);
    expect(Math.hypot(...q)).toBeCloseTo(1, 6);
    expect(q).toHaveLength(384);
    expect(cosine(q, embedLexical('Password reset: open settings and choose reset password').vector)).toBeGreaterThan(
      cosine(q, embedLexical('Our office is closed on public holidays').vector) + 0.2,
    );
    const zh = embedLexical('首都是哪里').vector;
    expect(cosine(zh, embedLexical('北京是中国的首都').vector)).toBeGreaterThan(cosine(zh, embedLexical('今天天气很好').vector));
  });
});

describe('OpenAI-compatible embedding provider', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });

  async function serve(handler: (input: string[], n: number) => { status: number; body: unknown; headers?: Record<string, string> }) {
    let n = 0;
    let inFlight = 0;
    const stats = { requests: [] as number[], maxInFlight: 0 };
    server = createServer(async (req, res) => {
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const input = (JSON.parse(raw) as { input: string[] }).input;
      stats.requests.push(input.length);
      await new Promise((r) => setTimeout(r, 20));
      const answer = handler(input, n++);
      inFlight--;
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, stats };
  }

  const ok = (input: string[]) => ({
    status: 200,
    body: {
      data: input.map((t, index) => ({ index, embedding: [t.length, 1, 0] })).reverse(),
      usage: { prompt_tokens: input.length * 2 },
    },
  });

  it('batches, bounds concurrency and keeps the order of inputs', async () => {
    const { url, stats } = await serve(ok);
    const provider = new OpenAICompatibleProvider({ baseUrl: url, model: 'm', batchSize: 3, concurrency: 2 });
    const texts = Array.from({ length: 10 }, (_, i) => 'x'.repeat(i + 1));
    const result = await provider.embed(texts);
    expect(stats.requests).toHaveLength(4);
    expect(stats.requests.reduce((a, b) => a + b, 0)).toBe(10);
    expect(stats.maxInFlight).toBeLessThanOrEqual(2);
    expect(result.vectors.map((v) => v[0])).toEqual(texts.map((t) => t.length));
    expect(provider.dimension).toBe(3);
    expect(result.tokens.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('retries 429 (honouring Retry-After) and 500, then succeeds', async () => {
    const { url, stats } = await serve((input, n) =>
      n === 0 ? { status: 429, body: { error: { message: 'slow down' } }, headers: { 'Retry-After': '1' } } : n === 1 ? { status: 500, body: {} } : ok(input),
    );
    const provider = new OpenAICompatibleProvider({ baseUrl: url, model: 'm', retryBaseMs: 10 });
    const started = Date.now();
    await provider.embed(['a']);
    expect(stats.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('gives up after maxAttempts, and fails at once on a 400 with the server message', async () => {
    const { url } = await serve((_input) => ({ status: 503, body: { error: { message: 'down' } } }));
    const provider = new OpenAICompatibleProvider({ baseUrl: url, model: 'm', retryBaseMs: 5, maxAttempts: 3 });
    await expect(provider.embed(['a'])).rejects.toThrow(/failed after 3 attempts: HTTP 503: down/);
    server?.closeAllConnections();
    server?.close();
    const bad = await serve(() => ({ status: 400, body: { error: { message: 'model not found' } } }));
    const strict = new OpenAICompatibleProvider({ baseUrl: bad.url, model: 'm', retryBaseMs: 5 });
    await expect(strict.embed(['a'])).rejects.toThrow(/HTTP 400\): model not found/);
    expect(bad.stats.requests).toHaveLength(1);
  });
});
