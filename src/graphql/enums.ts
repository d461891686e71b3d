import { INDEXING_TECHNIQUES, PERMISSIONS, PROVIDERS } from '../domain/datasets/input.ts';
import { RERANKING_MODES, SEARCH_METHODS, WEIGHT_TYPES } from '../domain/datasets/retrieval-model.ts';
import { builder } from './builder.ts';

/** GraphQL enums spelled in GraphQL's style whose internal values are Dify's snake_case strings. */
const difyEnum = <const V extends readonly string[]>(name: string, values: V, description?: string) =>
  builder.enumType(name, {
    description,
    values: Object.fromEntries(values.map((value) => [value.toUpperCase().replace(/-/g, '_'), { value }])) as {
      [K in V[number]]: { value: K };
    },
  });

export const SearchMethod = difyEnum('SearchMethod', SEARCH_METHODS);
export const RerankingMode = difyEnum('RerankingMode', RERANKING_MODES);
export const WeightType = difyEnum('WeightType', WEIGHT_TYPES);
export const IndexingTechnique = difyEnum('IndexingTechnique', INDEXING_TECHNIQUES);
export const DatasetPermission = difyEnum('DatasetPermission', PERMISSIONS);
export const DatasetProvider = difyEnum('DatasetProvider', PROVIDERS);
