// Embeddings from any OpenAI-compatible HTTP server (POST {baseUrl}/embeddings): inputs go in batches, a bounded
// number of requests run at once, and 408/429/5xx answers, network failures and timeouts are retried with
// exponential backoff and jitter (honouring Retry-After). Other 4xx answers fail at once with the server's message.
import { backoffDelay, retryAfterMs, sleep } from './backoff.ts';
import { mapBounded } from './bounded.ts';
import { errorDetail } from './error-detail.ts';
import { EmbeddingProviderError, type EmbeddingProvider, type EmbeddingResult } from './provider.ts';
import { distributeTokens, estimateTokens } from './token-count.ts';

export interface OpenAICompatibleOptions {
  /** The API root, e.g. `https://api.openai.com/v1`; `/embeddings` is appended. */
  baseUrl: string;
  apiKey?: string;
  /** The provider name datasets refer to; default 'openai-compatible'. */
  provider?: string;
  model: string;
  /** Known dimension; otherwise learned from the first answer. */
  dimension?: number;
  /** Inputs per request; default 64. */
  batchSize?: number;
  /** Requests in flight; default 4. */
  concurrency?: number;
  /** Attempts per request, the first included; default 5. */
  maxAttempts?: number;
  /** Base delay of the backoff; default 500 ms (tests shorten it). */
  retryBaseMs?: number;
  /** Longest wait between attempts, Retry-After included; default 60 s. */
  maxRetryDelayMs?: number;
  /** Time limit of one request; default 60 s. */
  timeoutMs?: number;
}

export const OPENAI_COMPATIBLE_PROVIDER = 'openai-compatible';

interface EmbeddingsResponse {
  data?: unknown;
  usage?: { prompt_tokens?: unknown; total_tokens?: unknown };
}

/** A failure worth another attempt. */
class TransientError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** fetch's "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const reason = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : null;
  return reason ? `${error.message} (${reason})` : error.message;
}

export class OpenAICompatibleProvider implements EmbeddingProvider {
  readonly provider: string;
  readonly model: string;
  private readonly endpoint: string;
  private learnedDimension: number | undefined;

  constructor(private readonly options: OpenAICompatibleOptions) {
    this.provider = options.provider ?? OPENAI_COMPATIBLE_PROVIDER;
    this.model = options.model;
    this.endpoint = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
    this.learnedDimension = options.dimension;
  }

  /** The configured dimension, else the one of the first answer; 0 until then. */
  get dimension(): number {
    return this.learnedDimension ?? 0;
  }

  private get label(): string {
    const url = new URL(this.endpoint);
    return `Embedding model ${this.provider}/${this.model} at ${url.origin}${url.pathname}`;
  }

  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<EmbeddingResult> {
    if (texts.length === 0) return { vectors: [], tokens: [] };
    const size = Math.max(1, this.options.batchSize ?? 64);
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += size) batches.push(texts.slice(i, i + size));
    const results = await mapBounded(
      batches,
      this.options.concurrency ?? 4,
      (batch, signal) => this.embedBatch(batch, signal),
      options.signal,
    );
    return { vectors: results.flatMap((r) => r.vectors), tokens: results.flatMap((r) => r.tokens) };
  }

  private async embedBatch(texts: string[], signal: AbortSignal): Promise<EmbeddingResult> {
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 5);
    const maxDelay = this.options.maxRetryDelayMs ?? 60_000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.request(texts, signal);
      } catch (error) {
        if (!(error instanceof TransientError)) throw error;
        if (attempt >= maxAttempts) {
          throw new EmbeddingProviderError(`${this.label} failed after ${attempt} attempts: ${error.message}`, {
            cause: error,
          });
        }
        const delay = error.retryAfterMs ?? backoffDelay(attempt, this.options.retryBaseMs ?? 500, maxDelay);
        await sleep(Math.min(delay, maxDelay), signal);
      }
    }
  }

  private async request(texts: string[], signal: AbortSignal): Promise<EmbeddingResult> {
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let body: string;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.model, input: texts }),
        signal: AbortSignal.any([signal, timeout]),
      });
      body = await response.text();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (timeout.aborted) throw new TransientError(`no answer within ${timeoutMs} ms`, null);
      throw new TransientError(`network error: ${describeNetworkError(error)}`, null);
    }
    if (isRetryableStatus(response.status)) {
      throw new TransientError(
        `HTTP ${response.status}: ${errorDetail(body)}`,
        retryAfterMs(response.headers.get('retry-after')),
      );
    }
    if (!response.ok) {
      throw new EmbeddingProviderError(`${this.label} refused the request (HTTP ${response.status}): ${errorDetail(body)}`);
    }
    return this.parse(texts, body);
  }

  private parse(texts: string[], body: string): EmbeddingResult {
    let parsed: EmbeddingsResponse;
    try {
      parsed = JSON.parse(body) as EmbeddingsResponse;
    } catch {
      throw new EmbeddingProviderError(`${this.label} answered something that is not JSON: ${errorDetail(body)}`);
    }
    const data = Array.isArray(parsed.data) ? (parsed.data as Array<{ index?: unknown; embedding?: unknown }>) : [];
    // Servers may answer out of order: each item says which input it belongs to.
    const vectors = new Array<number[] | undefined>(texts.length);
    for (const [position, item] of data.entries()) {
      const index = typeof item.index === 'number' ? item.index : position;
      if (!Number.isInteger(index) || index < 0 || index >= texts.length || vectors[index] || !Array.isArray(item.embedding)) {
        throw new EmbeddingProviderError(`${this.label} answered an unexpected embedding item (index ${String(item.index)})`);
      }
      vectors[index] = item.embedding as number[];
    }
    const missing = vectors.findIndex((v) => v === undefined);
    if (data.length !== texts.length || missing !== -1) {
      throw new EmbeddingProviderError(`${this.label} answered ${data.length} embeddings for ${texts.length} texts`);
    }
    const complete = vectors as number[][];
    const expected = this.learnedDimension ?? complete[0]?.length ?? 0;
    const wrong = complete.find((v) => v.length !== expected);
    if (wrong) {
      throw new EmbeddingProviderError(
        `${this.label} answered ${wrong.length}-dimensional vectors, expected ${expected}` +
          (this.options.dimension ? ' (the configured dimension)' : ' (as in its first answer)'),
      );
    }
    this.learnedDimension = expected;
    const usage = parsed.usage?.prompt_tokens ?? parsed.usage?.total_tokens;
    const tokens = typeof usage === 'number' ? distributeTokens(usage, texts) : texts.map(estimateTokens);
    return { vectors: complete, tokens };
  }
}
