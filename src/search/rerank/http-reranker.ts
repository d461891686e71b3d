// A rerank model over HTTP in the Cohere / Jina / Hugging Face TEI format: POST {baseUrl}/rerank with
// {model, query, documents, top_n} answering {results: [{index, relevance_score}]} (TEI answers a bare array with
// `score`; both are read).

export interface RerankResult {
  index: number;
  score: number;
}

export interface Reranker {
  readonly provider: string;
  readonly model: string;
  rerank(query: string, documents: string[], topN: number): Promise<RerankResult[]>;
}

export class RerankError extends Error {
  override name = 'RerankError';
}

export function createHttpReranker(options: { baseUrl: string; apiKey?: string; provider: string; model: string }): Reranker {
  return {
    provider: options.provider,
    model: options.model,
    async rerank(query, documents, topN) {
      if (documents.length === 0) return [];
      let response: Response;
      try {
        response = await fetch(`${options.baseUrl.replace(/\/$/, '')}/rerank`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}) },
          body: JSON.stringify({ model: options.model, query, documents, texts: documents, top_n: topN }),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (error) {
        throw new RerankError(`Rerank model ${options.provider}/${options.model} is unreachable: ${(error as Error).message}`);
      }
      const body = (await response.json().catch(() => null)) as
        | { results?: Array<{ index: number; relevance_score?: number; score?: number }>; error?: { message?: string } }
        | Array<{ index: number; score?: number; relevance_score?: number }>
        | null;
      if (!response.ok) {
        const message = body && !Array.isArray(body) ? body.error?.message : undefined;
        throw new RerankError(`Rerank model ${options.provider}/${options.model} answered ${response.status}: ${message ?? 'no message'}`);
      }
      const results = Array.isArray(body) ? body : (body?.results ?? []);
      return results.map((r) => ({ index: r.index, score: Number(r.relevance_score ?? r.score ?? 0) }));
    },
  };
}
