// The models this gateway can use. Dify lists the workspace's configured providers; here they come from the
// gateway's configuration: the built-in embedding model is always there, HTTP providers when configured.

export interface EmbeddingModelInfo {
  provider: string;
  model: string;
  dimension: number;
}

export interface RerankModelInfo {
  provider: string;
  model: string;
}

export interface ModelRegistry {
  embedding: EmbeddingModelInfo[];
  rerank: RerankModelInfo[];
  /** The model recorded for high_quality datasets created without one (Dify: the workspace default). */
  defaultEmbedding: EmbeddingModelInfo;
}

/** The built-in model new datasets get (src/indexing/embed/builtin-stemmed.ts). */
export const BUILTIN_EMBEDDING: EmbeddingModelInfo = {
  provider: 'knowledge-gateway',
  model: 'builtin-lexical-stem-1024',
  dimension: 1024,
};

/** The first built-in model, still served for the datasets whose vectors it made (src/indexing/embed/builtin-lexical.ts). */
export const LEXICAL_384_EMBEDDING: EmbeddingModelInfo = {
  provider: 'knowledge-gateway',
  model: 'builtin-lexical-384',
  dimension: 384,
};

export function createModelRegistry(extra: Partial<Pick<ModelRegistry, 'embedding' | 'rerank'>> = {}): ModelRegistry {
  return {
    embedding: [BUILTIN_EMBEDDING, LEXICAL_384_EMBEDDING, ...(extra.embedding ?? [])],
    rerank: extra.rerank ?? [],
    defaultEmbedding: BUILTIN_EMBEDDING,
  };
}

/** Dify's plugin ids (`langgenius/openai/openai`) and bare names (`openai`) name the same provider. */
export const providerName = (provider: string) => provider.split('/').at(-1) ?? provider;

export const findEmbeddingModel = (registry: ModelRegistry, provider: string, model: string) =>
  registry.embedding.find((m) => m.model === model && providerName(m.provider) === providerName(provider));

export const findRerankModel = (registry: ModelRegistry, provider: string, model: string) =>
  registry.rerank.find((m) => m.model === model && providerName(m.provider) === providerName(provider));
