// Embedding providers by configuration: the built-in model always, an OpenAI-compatible server when configured.
import { providerName } from '../../domain/models/registry.ts';
import { builtinLexicalProvider } from './builtin-lexical.ts';
import { OpenAICompatibleProvider, type OpenAICompatibleOptions } from './openai-compatible.ts';
import type { EmbeddingProvider } from './provider.ts';

export type { EmbeddingProvider, EmbeddingResult } from './provider.ts';
export { EmbeddingProviderError } from './provider.ts';
export { builtinLexicalProvider } from './builtin-lexical.ts';
export { OPENAI_COMPATIBLE_PROVIDER } from './openai-compatible.ts';

export type EmbeddingConfig = Partial<Omit<OpenAICompatibleOptions, 'retryBaseMs' | 'maxRetryDelayMs'>>;

export const DEFAULT_HTTP_EMBEDDING_MODEL = 'text-embedding-3-small';

/** The built-in model without a base URL, else an OpenAI-compatible HTTP provider. */
export function createEmbeddingProvider(config: EmbeddingConfig = {}): EmbeddingProvider {
  if (!config.baseUrl) return builtinLexicalProvider;
  return new OpenAICompatibleProvider({ ...config, baseUrl: config.baseUrl, model: config.model ?? DEFAULT_HTTP_EMBEDDING_MODEL });
}

export interface EmbeddingProviders {
  /** The built-in model first. */
  readonly all: readonly EmbeddingProvider[];
  /** The provider of a dataset's (provider, model); undefined when this gateway does not have it. */
  resolve(provider: string, model: string): EmbeddingProvider | undefined;
}


/** The providers of this gateway: the built-in model, plus the configured HTTP one when `config` has a base URL. */
export function embeddingProviders(config?: EmbeddingConfig | null): EmbeddingProviders {
  const all = config?.baseUrl ? [builtinLexicalProvider, createEmbeddingProvider(config)] : [builtinLexicalProvider];
  return {
    all,
    resolve: (provider, model) =>
      all.find((p) => p.model === model && providerName(p.provider) === providerName(provider)),
  };
}
