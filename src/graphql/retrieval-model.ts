import type { RetrievalModel } from '../domain/datasets/retrieval-model.ts';
import { builder } from './builder.ts';
import { RerankingMode, SearchMethod, WeightType } from './enums.ts';

type Weights = NonNullable<RetrievalModel['weights']>;
type RerankingModel = NonNullable<RetrievalModel['rerankingModel']>;

const RerankingModelRef = builder.objectRef<RerankingModel>('RerankingModel').implement({
  description: 'The rerank model retrieval uses.',
  fields: (t) => ({
    rerankingProviderName: t.string({ nullable: true, resolve: (m) => m.rerankingProviderName ?? null }),
    rerankingModelName: t.string({ nullable: true, resolve: (m) => m.rerankingModelName ?? null }),
  }),
});

const VectorSettingRef = builder.objectRef<NonNullable<Weights['vectorSetting']>>('VectorSetting').implement({
  description: 'The semantic part of a weighted hybrid score.',
  fields: (t) => ({
    vectorWeight: t.exposeFloat('vectorWeight'),
    embeddingProviderName: t.exposeString('embeddingProviderName'),
    embeddingModelName: t.exposeString('embeddingModelName'),
  }),
});

const KeywordSettingRef = builder.objectRef<NonNullable<Weights['keywordSetting']>>('KeywordSetting').implement({
  description: 'The keyword part of a weighted hybrid score.',
  fields: (t) => ({ keywordWeight: t.exposeFloat('keywordWeight') }),
});

const WeightsRef = builder.objectRef<Weights>('RetrievalWeights').implement({
  description: 'How a hybrid search weighs semantic and keyword scores.',
  fields: (t) => ({
    weightType: t.field({ type: WeightType, nullable: true, resolve: (w) => w.weightType ?? null }),
    vectorSetting: t.field({ type: VectorSettingRef, nullable: true, resolve: (w) => w.vectorSetting ?? null }),
    keywordSetting: t.field({ type: KeywordSettingRef, nullable: true, resolve: (w) => w.keywordSetting ?? null }),
  }),
});

export const RetrievalModelRef = builder.objectRef<RetrievalModel>('RetrievalModel').implement({
  description: "How a dataset is searched (Dify's retrieval_model).",
  fields: (t) => ({
    searchMethod: t.field({ type: SearchMethod, resolve: (m) => m.searchMethod }),
    rerankingEnable: t.exposeBoolean('rerankingEnable'),
    rerankingMode: t.field({ type: RerankingMode, nullable: true, resolve: (m) => m.rerankingMode ?? null }),
    rerankingModel: t.field({ type: RerankingModelRef, nullable: true, resolve: (m) => m.rerankingModel ?? null }),
    weights: t.field({ type: WeightsRef, nullable: true, resolve: (m) => m.weights ?? null }),
    topK: t.exposeInt('topK'),
    scoreThresholdEnabled: t.exposeBoolean('scoreThresholdEnabled'),
    scoreThreshold: t.float({ nullable: true, resolve: (m) => m.scoreThreshold ?? null }),
  }),
});

const RerankingModelInput = builder.inputType('RerankingModelInput', {
  description: 'The rerank model retrieval uses.',
  fields: (t) => ({ rerankingProviderName: t.string(), rerankingModelName: t.string() }),
});

const WeightsInput = builder.inputType('RetrievalWeightsInput', {
  description: 'How a hybrid search weighs semantic and keyword scores.',
  fields: (t) => ({
    weightType: t.field({ type: WeightType }),
    vectorSetting: t.field({
      type: builder.inputType('VectorSettingInput', {
        description: 'The semantic part of a weighted hybrid score.',
        fields: (f) => ({
          vectorWeight: f.float({ required: true }),
          embeddingProviderName: f.string({ required: true }),
          embeddingModelName: f.string({ required: true }),
        }),
      }),
    }),
    keywordSetting: t.field({
      type: builder.inputType('KeywordSettingInput', {
        description: 'The keyword part of a weighted hybrid score.',
        fields: (f) => ({ keywordWeight: f.float({ required: true }) }),
      }),
    }),
  }),
});

export const RetrievalModelInput = builder.inputType('RetrievalModelInput', {
  description: 'Retrieval settings: search method, top k, threshold, reranking.',
  fields: (t) => ({
    searchMethod: t.field({ type: SearchMethod, required: true }),
    rerankingEnable: t.boolean({ required: true }),
    rerankingMode: t.field({ type: RerankingMode }),
    rerankingModel: t.field({ type: RerankingModelInput }),
    weights: t.field({ type: WeightsInput }),
    topK: t.int({ required: true }),
    scoreThresholdEnabled: t.boolean({ required: true }),
    scoreThreshold: t.float(),
  }),
});
