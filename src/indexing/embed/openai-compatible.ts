// Embeddings from any OpenAI-compatible HTTP server (POST {baseUrl}/embeddings): inputs go in batches, a bounded
// number of requests run at once, and 429/5xx/network failures are retried with exponential backoff and jitter
// (honouring Retry-After). Other 4xx answers fail at once with the server's message.
import { EmbeddingProviderError, type EmbeddingProvider, type EmbeddingResult } from './provider.ts';

export interface OpenAICompatibleOptions {
  baseUrl: string;
  apiKey?: string;
  provider?: string;
  model: string;
  /** Known dimension; otherwise learned from the first answer. */
  dimension?: number;
  batchSize?: number;
  concurrency?: number;
  maxAttempts?: number;
  /** Base delay of the backoff; tests shorten it. */
  retryBaseMs?: number;
  timeoutMs?: number;
}

interface EmbeddingsResponse {
  data?: Array<{ index: number; embedding: number[] }>;
  usage?: { prompt_tokens?: number; total_tokens?: number };
  error?: { message?: string };
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

export class OpenAICompatibleProvider implements EmbeddingProvider {
  readonly provider: string;
  readonly model: string;
  private learnedDimension: number | undefined;

  constructor(private readonly options: OpenAICompatibleOptions) {
    this.provider = options.provider ?? 'openai';
    this.model = options.model;
    this.learnedDimension = options.dimension;
  }

  get dimension(): number {
    return this.learnedDimension ?? 0;
  }

  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<EmbeddingResult> {
    const size = this.options.batchSize ?? 64;
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += size) batches.push(texts.slice(i, i + size));
    const results: EmbeddingResult[] = new Array(batches.length);
    let next = 0;
    const workers = Array.from({ length: Math.min(this.options.concurrency ?? 4, batches.length) }, async () => {
      while (next < batches.length) {
        const index = next++;
        results[index] = await this.embedBatch(batches[index] as string[], options.signal);
      }
    });
    await Promise.all(workers);
    return { vectors: results.flatMap((r) => r.vectors), tokens: results.flatMap((r) => r.tokens) };
  }

  private async embedBatch(texts: string[], signal?: AbortSignal): Promise<EmbeddingResult> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const base = this.options.retryBaseMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.request(texts, signal);
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        if (attempt >= maxAttempts) {
          throw new EmbeddingProviderError(
            `${this.provider}/${this.model} at ${this.options.baseUrl} failed after ${attempt} attempts: ${error.message}`,
          );
        }
        const backoff = base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
        await sleep(error.retryAfterMs ?? backoff, signal);
      }
    }
  }

  private async request(texts: string[], signal?: AbortSignal): Promise<EmbeddingResult> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/embeddings`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.model, input: texts }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new RetryableError(`network error: ${(error as Error).message}`, null);
    }
    const body = (await response.json().catch(() => null)) as EmbeddingsResponse | null;
    if (response.status === 429 || response.status >= 500) {
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new RetryableError(
        `HTTP ${response.status}${body?.error?.message ? `: ${body.error.message}` : ''}`,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
      );
    }
    if (!response.ok) {
      throw new EmbeddingProviderError(
        `${this.provider}/${this.model} refused the request (HTTP ${response.status}): ${body?.error?.message ?? 'no message'}`,
      );
    }
    const data = [...(body?.data ?? [])].sort((a, b) => a.index - b.index);
    if (data.length !== texts.length) {
      throw new EmbeddingProviderError(`${this.provider}/${this.model} answered ${data.length} vectors for ${texts.length} texts`);
    }
    const vectors = data.map((d) => d.embedding);
    this.learnedDimension ??= vectors[0]?.length;
    if (vectors.some((v) => v.length !== this.learnedDimension)) {
      throw new EmbeddingProviderError(`${this.provider}/${this.model} answered vectors of another dimension than ${this.learnedDimension}`);
    }
    const total = body?.usage?.prompt_tokens ?? body?.usage?.total_tokens ?? 0;
    const lengths = texts.map((t) => t.length || 1);
    const sum = lengths.reduce((a, b) => a + b, 0);
    return { vectors, tokens: lengths.map((l) => Math.round((total * l) / sum)) };
  }
}
