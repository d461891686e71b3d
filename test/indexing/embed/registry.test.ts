import { describe, expect, it } from 'vitest';
import { BUILTIN_EMBEDDING, LEXICAL_384_EMBEDDING } from '../../../src/domain/models/registry.ts';
import { lexical384Provider } from '../../../src/indexing/embed/builtin-lexical.ts';
import { builtinLexicalProvider, createEmbeddingProvider, embeddingProviders } from '../../../src/indexing/embed/index.ts';
import { OpenAICompatibleProvider } from '../../../src/indexing/embed/openai-compatible.ts';

describe('embedding providers by configuration', () => {
  it('is the built-in model without a base URL, else the OpenAI-compatible provider', () => {
    expect(createEmbeddingProvider({})).toBe(builtinLexicalProvider);
    const http = createEmbeddingProvider({ baseUrl: 'http://127.0.0.1:9/v1', dimension: 1536 });
    expect(http).toBeInstanceOf(OpenAICompatibleProvider);
    expect([http.provider, http.model, http.dimension]).toEqual(['openai-compatible', 'text-embedding-3-small', 1536]);
  });

  it('resolves (provider, model) pairs, Dify plugin ids included', () => {
    const none = embeddingProviders(null);
    expect(none.all).toEqual([builtinLexicalProvider]);
    expect(none.resolve(BUILTIN_EMBEDDING.provider, BUILTIN_EMBEDDING.model)).toBe(builtinLexicalProvider);
    // Datasets embedded with the earlier built-in model keep it.
    expect(none.resolve(LEXICAL_384_EMBEDDING.provider, LEXICAL_384_EMBEDDING.model)).toBe(lexical384Provider);
    expect(none.resolve('openai', 'text-embedding-3-small')).toBeUndefined();

    const both = embeddingProviders({ baseUrl: 'http://127.0.0.1:9/v1', provider: 'openai', model: 'text-embedding-3-large' });
    expect(both.all.map((p) => `${p.provider}/${p.model}`)).toEqual([
      'knowledge-gateway/builtin-lexical-stem-1024',
      'openai/text-embedding-3-large',
    ]);
    expect(both.resolve('langgenius/openai/openai', 'text-embedding-3-large')).toBe(both.all[1]);
    expect(both.resolve('openai', 'text-embedding-3-small')).toBeUndefined();
  });
});
