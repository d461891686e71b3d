export interface EmbeddingResult {
  vectors: number[][];
  /** Tokens spent on each input text. */
  tokens: number[];
}

export interface EmbeddingProvider {
  readonly provider: string;
  readonly model: string;
  readonly dimension: number;
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<EmbeddingResult>;
}

/** The provider failed for good (after retries); the message names it and the cause. */
export class EmbeddingProviderError extends Error {
  override name = 'EmbeddingProviderError';
}
