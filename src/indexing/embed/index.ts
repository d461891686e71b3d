import { builtinLexicalProvider } from './builtin-lexical.ts';
import { OpenAICompatibleProvider, type OpenAICompatibleOptions } from './openai-compatible.ts';
import type { EmbeddingProvider } from './provider.ts';

export type { EmbeddingProvider, EmbeddingResult } from './provider.ts';
export { EmbeddingProviderError } from './provider.ts';

/** The built-in model without a base URL, else an OpenAI-compatible HTTP provider. */
export function createEmbeddingProvider(options: Partial<OpenAICompatibleOptions>): EmbeddingProvider {
  if (!options.baseUrl) return builtinLexicalProvider;
  return new OpenAICompatibleProvider({ ...options, baseUrl: options.baseUrl, model: options.model ?? 'text-embedding-3-small' });
}
