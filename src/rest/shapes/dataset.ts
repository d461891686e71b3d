import type { DatasetDetailFragment } from '../../generated/graphql.ts';
import { fromGraphQLEnum, pick, toGraphQLEnum, unixSeconds } from './convert.ts';

export const retrievalModelInput = (value: unknown) =>
  pick(value, {
    search_method: ['searchMethod', toGraphQLEnum],
    reranking_enable: ['rerankingEnable'],
    reranking_mode: ['rerankingMode', toGraphQLEnum],
    reranking_model: [
      'rerankingModel',
      (v) =>
        pick(v, {
          reranking_provider_name: ['rerankingProviderName'],
          reranking_model_name: ['rerankingModelName'],
        }),
    ],
    weights: [
      'weights',
      (v) =>
        pick(v, {
          weight_type: ['weightType', toGraphQLEnum],
          vector_setting: [
            'vectorSetting',
            (s) =>
              pick(s, {
                vector_weight: ['vectorWeight'],
                embedding_provider_name: ['embeddingProviderName'],
                embedding_model_name: ['embeddingModelName'],
              }),
          ],
          keyword_setting: ['keywordSetting', (s) => pick(s, { keyword_weight: ['keywordWeight'] })],
        }),
    ],
    top_k: ['topK'],
    score_threshold_enabled: ['scoreThresholdEnabled'],
    score_threshold: ['scoreThreshold'],
  });

const summaryIndexSettingInput = (value: unknown) =>
  pick(value, {
    enable: ['enable'],
    model_name: ['modelName'],
    model_provider_name: ['modelProviderName'],
    summary_prompt: ['summaryPrompt'],
  });

export const createDatasetInput = (body: Record<string, unknown>) =>
  pick(body, {
    name: ['name'],
    description: ['description'],
    indexing_technique: ['indexingTechnique', toGraphQLEnum],
    permission: ['permission', toGraphQLEnum],
    provider: ['provider', toGraphQLEnum],
    external_knowledge_api_id: ['externalKnowledgeApiId'],
    external_knowledge_id: ['externalKnowledgeId'],
    embedding_model: ['embeddingModel'],
    embedding_model_provider: ['embeddingModelProvider'],
    retrieval_model: ['retrievalModel', retrievalModelInput],
    summary_index_setting: ['summaryIndexSetting', summaryIndexSettingInput],
  }) as Record<string, unknown>;

export const updateDatasetInput = (body: Record<string, unknown>) =>
  pick(body, {
    name: ['name'],
    description: ['description'],
    indexing_technique: ['indexingTechnique', toGraphQLEnum],
    permission: ['permission', toGraphQLEnum],
    embedding_model: ['embeddingModel'],
    embedding_model_provider: ['embeddingModelProvider'],
    retrieval_model: ['retrievalModel', retrievalModelInput],
    partial_member_list: [
      'partialMemberList',
      // Dify takes [{"user_id": "…"}]; plain id strings are accepted too.
      (v) =>
        Array.isArray(v) ? v.map((m) => (m && typeof m === 'object' ? (m as { user_id?: unknown }).user_id : m)) : v,
    ],
    external_retrieval_model: [
      'externalRetrievalModel',
      (v) =>
        pick(v, {
          top_k: ['topK'],
          score_threshold: ['scoreThreshold'],
          score_threshold_enabled: ['scoreThresholdEnabled'],
        }),
    ],
    external_knowledge_id: ['externalKnowledgeId'],
    external_knowledge_api_id: ['externalKnowledgeApiId'],
    summary_index_setting: ['summaryIndexSetting', summaryIndexSettingInput],
  }) as Record<string, unknown>;

/** Dify's DatasetDetail JSON, key for key in Dify's order. */
export function toDifyDataset(d: DatasetDetailFragment, options: { partialMembers?: 'auto' | 'always' } = {}) {
  const r = d.retrievalModel;
  const w = r.weights;
  const permission = fromGraphQLEnum(d.permission);
  const body: Record<string, unknown> = {
    id: d.uuid,
    name: d.name,
    description: d.description,
    provider: fromGraphQLEnum(d.provider),
    permission,
    data_source_type: d.dataSourceType,
    indexing_technique: fromGraphQLEnum(d.indexingTechnique),
    app_count: d.appCount,
    document_count: d.documentCount,
    word_count: d.wordCount,
    created_by: d.createdBy,
    author_name: d.authorName,
    created_at: unixSeconds(d.createdAt),
    updated_by: d.updatedBy,
    updated_at: unixSeconds(d.updatedAt),
    embedding_model: d.embeddingModel,
    embedding_model_provider: d.embeddingModelProvider,
    embedding_available: d.embeddingAvailable,
    retrieval_model_dict: {
      search_method: fromGraphQLEnum(r.searchMethod),
      reranking_enable: r.rerankingEnable,
      reranking_mode: fromGraphQLEnum(r.rerankingMode),
      reranking_model: r.rerankingModel
        ? {
            reranking_provider_name: r.rerankingModel.rerankingProviderName,
            reranking_model_name: r.rerankingModel.rerankingModelName,
          }
        : null,
      weights: w
        ? {
            weight_type: fromGraphQLEnum(w.weightType),
            keyword_setting: w.keywordSetting ? { keyword_weight: w.keywordSetting.keywordWeight } : null,
            vector_setting: w.vectorSetting
              ? {
                  vector_weight: w.vectorSetting.vectorWeight,
                  embedding_model_name: w.vectorSetting.embeddingModelName,
                  embedding_provider_name: w.vectorSetting.embeddingProviderName,
                }
              : null,
          }
        : null,
      top_k: r.topK,
      score_threshold_enabled: r.scoreThresholdEnabled,
      score_threshold: r.scoreThreshold,
    },
    summary_index_setting: d.summaryIndexSetting
      ? {
          enable: d.summaryIndexSetting.enable,
          model_name: d.summaryIndexSetting.modelName,
          model_provider_name: d.summaryIndexSetting.modelProviderName,
          summary_prompt: d.summaryIndexSetting.summaryPrompt,
        }
      : null,
    tags: d.tags.map((t) => ({ id: t.uuid, name: t.name, type: t.type })),
    doc_form: d.docForm,
    external_knowledge_info: null,
    external_retrieval_model: {
      top_k: d.externalRetrievalModel.topK,
      score_threshold: d.externalRetrievalModel.scoreThreshold,
      score_threshold_enabled: d.externalRetrievalModel.scoreThresholdEnabled,
    },
    doc_metadata: d.docMetadata.map((m) => ({ id: m.id, name: m.name, type: m.type })),
    built_in_field_enabled: d.builtInFieldEnabled,
    pipeline_id: d.pipelineId,
    runtime_mode: d.runtimeMode,
    chunk_structure: d.chunkStructure,
    icon_info: d.iconInfo ?? null,
    is_published: d.isPublished,
    total_documents: d.documentCount,
    total_available_documents: d.totalAvailableDocuments,
    enable_api: d.enableApi,
    is_multimodal: d.isMultimodal,
  };
  if (options.partialMembers === 'always' || fromGraphQLEnum(d.permission) === 'partial_members') {
    body.partial_member_list = d.partialMemberList;
  }
  return body;
}
