import { z } from 'zod';

export const SEARCH_METHODS = ['keyword_search', 'semantic_search', 'full_text_search', 'hybrid_search'] as const;
/** Dify's two modes, and reciprocal rank fusion (ours: hybrid search without a model, by rank). */
export const RERANKING_MODES = ['reranking_model', 'weighted_score', 'reciprocal_rank_fusion'] as const;
export const WEIGHT_TYPES = ['semantic_first', 'keyword_first', 'customized'] as const;

const nullableString = z.string().max(255).nullish();

/** Dify's RetrievalModel, with camelCase names. */
export const RetrievalModelSchema = z.object({
  searchMethod: z.enum(SEARCH_METHODS),
  rerankingEnable: z.boolean(),
  rerankingMode: z.enum(RERANKING_MODES).nullish(),
  rerankingModel: z.object({ rerankingProviderName: nullableString, rerankingModelName: nullableString }).nullish(),
  weights: z
    .object({
      weightType: z.enum(WEIGHT_TYPES).nullish(),
      vectorSetting: z
        .object({
          vectorWeight: z.number().min(0).max(1),
          embeddingProviderName: z.string().max(255),
          embeddingModelName: z.string().max(255),
        })
        .nullish(),
      keywordSetting: z.object({ keywordWeight: z.number().min(0).max(1) }).nullish(),
    })
    .nullish(),
  topK: z.number().int().min(1).max(100),
  scoreThresholdEnabled: z.boolean(),
  scoreThreshold: z.number().min(0).max(1).nullish(),
});

export type RetrievalModel = z.infer<typeof RetrievalModelSchema>;

/** What Dify shows for a dataset with no stored model (retrieval then uses top_k 4: see src/search). */
const DISPLAY_DEFAULT = {
  searchMethod: 'semantic_search',
  rerankingEnable: false,
  rerankingMode: null,
  rerankingModel: { rerankingProviderName: '', rerankingModelName: '' },
  weights: null,
  topK: 2,
  scoreThresholdEnabled: false,
  scoreThreshold: null,
} as const satisfies RetrievalModel;

/** Dify's `retrieval_model_dict`: the stored model over the display default. */
export function retrievalModelDict(stored: unknown): RetrievalModel {
  const parsed = RetrievalModelSchema.partial().safeParse(stored ?? {});
  return { ...DISPLAY_DEFAULT, ...(parsed.success ? stripUndefined(parsed.data) : {}) };
}

const stripUndefined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
