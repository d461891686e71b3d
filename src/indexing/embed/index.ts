// Embedding providers by configuration: the built-in model always (and the earlier built-in model, for the datasets
// it embedded), an OpenAI-compatible server when configured.
import { providerName } from '../../domain/models/registry.ts';
import { lexical384Provider } from './builtin-lexical.ts';
import { builtinStemmedProvider } from './builtin-stemmed.ts';
import { OpenAICompatibleProvider, type OpenAICompatibleOptions } from './openai-compatible.ts';
import type { EmbeddingProvider } from './provider.ts';

export type { EmbeddingProvider, EmbeddingResult } from './provider.ts';
export { EmbeddingProviderError } from './provider.ts';

/** The built-in model new datasets get. */
export const builtinLexicalProvider: EmbeddingProvider = builtinStemmedProvider;

/** Every built-in model, computed in process (or on the CPU pool): the current one first. */
export const builtinProviders: readonly EmbeddingProvider[] = [builtinStemmedProvider, lexical384Provider];

/** The built-in provider of a model name, if any. */
export const builtinProvider = (model: string) => builtinProviders.find((p) => p.model === model);
export { OPENAI_COMPATIBLE_PROVIDER } from './openai-compatible.ts';

export type EmbeddingConfig = Partial<Omit<OpenAICompatibleOptions, 'retryBaseMs' | 'maxRetryDelayMs'>>;

export const DEFAULT_HTTP_EMBEDDING_MODEL = 'text-embedding-3-small';

/** The built-in model without a base URL, else an OpenAI-compatible HTTP provider. */
export function createEmbeddingProvider(config: EmbeddingConfig = {}): EmbeddingProvider {
  if (!config.baseUrl) return builtinLexicalProvider;
  return new OpenAICompatibleProvider({ ...config, baseUrl: config.baseUrl, model: config.model ?? DEFAULT_HTTP_EMBEDDING_MODEL });
}

export interface EmbeddingProviders {
  /** The built-in model first, then the configured one (earlier built-in models are not listed, but resolve). */
  readonly all: readonly EmbeddingProvider[];
  /** The provider of a dataset's (provider, model); undefined when this gateway does not have it. */
  resolve(provider: string, model: string): EmbeddingProvider | undefined;
}


/** The providers of this gateway: the built-in model, plus the configured HTTP one when `config` has a base URL. */
export function embeddingProviders(config?: EmbeddingConfig | null): EmbeddingProviders {
  const all = config?.baseUrl ? [builtinLexicalProvider, createEmbeddingProvider(config)] : [builtinLexicalProvider];
  const known = [...all, ...builtinProviders.slice(1)];
  return {
    all,
    resolve: (provider, model) =>
      known.find((p) => p.model === model && providerName(p.provider) === providerName(provider)),
  };
}
