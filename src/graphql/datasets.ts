import { DatasetNameTakenError, ModelNotAvailableError, NotFoundError } from '../domain/errors.ts';
import { findEmbeddingModel } from '../domain/models/registry.ts';
import type { INDEXING_TECHNIQUES, PERMISSIONS, PROVIDERS } from '../domain/datasets/input.ts';
import { retrievalModelDict } from '../domain/datasets/retrieval-model.ts';
import {
  createDataset,
  datasetListWhere,
  deleteDataset,
  getDatasetForApi,
  updateDataset,
} from '../domain/datasets/service.ts';
import type { Dataset } from '../db/generated/prisma/client.ts';
import { builder } from './builder.ts';
import { DataSourceType, DatasetPermission, DatasetProvider, DocForm, IndexingTechnique, RuntimeMode } from './enums.ts';
import { toGraphQLError, WRITE_ERRORS } from './errors.ts';
import { parseId } from './ids.ts';
import { keysetConnection, type Ordering, totalCountField } from './keyset-connection.ts';
import { pageArgs } from './page-args.ts';
import { type Deleted, deletedIdField, type PayloadFieldBuilder } from './payloads.ts';
import { RetrievalModelInput, RetrievalModelRef } from './retrieval-model.ts';
import { TagRef } from './tags.ts';

interface SummaryIndexSetting {
  enable?: boolean | null;
  modelName?: string | null;
  modelProviderName?: string | null;
  summaryPrompt?: string | null;
}

const SummaryIndexSettingRef = builder.objectRef<SummaryIndexSetting>('SummaryIndexSetting').implement({
  description: 'Summary index settings (Dify; stored, not used for retrieval here).',
  fields: (t) => ({
    enable: t.boolean({ nullable: true, resolve: (s) => s.enable ?? null }),
    modelName: t.string({ nullable: true, resolve: (s) => s.modelName ?? null }),
    modelProviderName: t.string({ nullable: true, resolve: (s) => s.modelProviderName ?? null }),
    summaryPrompt: t.string({ nullable: true, resolve: (s) => s.summaryPrompt ?? null }),
  }),
});

interface ExternalRetrievalModel {
  topK: number;
  scoreThreshold: number | null;
  scoreThresholdEnabled: boolean | null;
}

const ExternalRetrievalModelRef = builder.objectRef<ExternalRetrievalModel>('ExternalRetrievalModel').implement({
  description: 'Retrieval settings of an external knowledge base.',
  fields: (t) => ({
    topK: t.exposeInt('topK'),
    scoreThreshold: t.exposeFloat('scoreThreshold', { nullable: true }),
    scoreThresholdEnabled: t.exposeBoolean('scoreThresholdEnabled', { nullable: true }),
  }),
});

type Provider = (typeof PROVIDERS)[number];
type Permission = (typeof PERMISSIONS)[number];
type Technique = (typeof INDEXING_TECHNIQUES)[number];

const asRecord = (value: unknown) => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

export const DatasetRef = builder.prismaNode('Dataset', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({
    id,
    workspaceId: ctx.viewer.workspaceId,
    ...(ctx.viewer.datasetScope ? { AND: [{ id: { in: [...ctx.viewer.datasetScope] } }] } : {}),
  }),
  description: 'A knowledge base: documents, split into segments, indexed for retrieval.',
  fields: (t) => ({
    uuid: t.exposeString('id', { description: 'The plain UUID, as the REST API shows it.' }),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    provider: t.field({ type: DatasetProvider, resolve: (d) => d.provider as Provider }),
    permission: t.field({ type: DatasetPermission, resolve: (d) => d.permission as Permission }),
    dataSourceType: t.field({
      type: DataSourceType,
      nullable: true,
      description: 'Where its documents come from.',
      resolve: (d) => d.dataSourceType as never,
    }),
    indexingTechnique: t.field({
      type: IndexingTechnique,
      nullable: true,
      resolve: (d) => d.indexingTechnique as Technique | null,
    }),
    embeddingModel: t.exposeString('embeddingModel', { nullable: true }),
    embeddingModelProvider: t.exposeString('embeddingModelProvider', { nullable: true }),
    embeddingAvailable: t.boolean({
      description: 'False when a high_quality dataset names an embedding model this gateway is not configured with.',
      resolve: (d, _args, ctx) =>
        d.indexingTechnique !== 'high_quality' ||
        Boolean(findEmbeddingModel(ctx.models, d.embeddingModelProvider ?? '', d.embeddingModel ?? '')),
    }),
    keywordNumber: t.exposeInt('keywordNumber', { description: 'Keywords extracted per segment (economy indexing).' }),
    retrievalModel: t.field({ type: RetrievalModelRef, resolve: (d) => retrievalModelDict(d.retrievalModel) }),
    summaryIndexSetting: t.field({
      type: SummaryIndexSettingRef,
      nullable: true,
      resolve: (d) => (d.summaryIndexSetting ? asRecord(d.summaryIndexSetting) : null),
    }),
    externalRetrievalModel: t.field({
      type: ExternalRetrievalModelRef,
      resolve: (d) => {
        const stored = asRecord(d.retrievalModel);
        return {
          topK: typeof stored.topK === 'number' ? stored.topK : 2,
          scoreThreshold: typeof stored.scoreThreshold === 'number' ? stored.scoreThreshold : 0,
          scoreThresholdEnabled:
            typeof stored.scoreThresholdEnabled === 'boolean' ? stored.scoreThresholdEnabled : null,
        };
      },
    }),
    appCount: t.int({ description: 'Apps using the dataset; this gateway has none.', resolve: () => 0 }),
    documentCount: t.int({ description: 'Documents in the dataset.', resolve: async (d, _a, ctx) => (await ctx.loaders.datasetStats.load(d.id)).documentCount }),
    totalAvailableDocuments: t.int({
      description: 'Documents that are indexed, enabled and not archived.',
      resolve: async (d, _a, ctx) => (await ctx.loaders.datasetStats.load(d.id)).availableDocumentCount,
    }),
    wordCount: t.int({ resolve: async (d, _a, ctx) => (await ctx.loaders.datasetStats.load(d.id)).wordCount }),
    docForm: t.field({
      type: DocForm,
      nullable: true,
      description: 'How its documents are chunked (set by its first document).',
      resolve: async (d, _a, ctx) => (d.chunkStructure ?? (await ctx.loaders.datasetStats.load(d.id)).firstDocForm) as never,
    }),
    createdBy: t.exposeString('createdBy'),
    authorName: t.string({
      nullable: true,
      description: 'The name of the account that created it.',
      resolve: async (d, _a, ctx) => (await ctx.loaders.accountName.load(d.createdBy)) ?? null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedBy: t.exposeString('updatedBy', { nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    tags: t.field({
      type: [TagRef],
      description: 'Its tags, in binding order.',
      select: { tagBindings: { include: { tag: true }, orderBy: { createdAt: 'asc' } } },
      resolve: (d) => d.tagBindings.map((binding) => binding.tag),
    }),
    builtInFieldEnabled: t.exposeBoolean('builtInFieldEnabled', { description: 'Whether the built-in metadata fields are on.' }),
    runtimeMode: t.field({ type: RuntimeMode, description: "Dify's runtime mode (always GENERAL here).", resolve: (d) => d.runtimeMode as never }),
    pipelineId: t.exposeString('pipelineId', { nullable: true, description: 'RAG pipelines are not supported: always null.' }),
    chunkStructure: t.field({
      type: DocForm,
      nullable: true,
      description: "Dify's chunk structure, when set (the form its documents take).",
      resolve: (d) => d.chunkStructure as never,
    }),
    iconInfo: t.expose('iconInfo', { type: 'JSON', nullable: true, description: "Dify's icon settings." }),
    isPublished: t.boolean({ description: 'RAG pipelines are not supported: always false.', resolve: () => false }),
    enableApi: t.exposeBoolean('enableApi', { description: 'Whether the service API may use it.' }),
    isMultimodal: t.exposeBoolean('isMultimodal', { description: 'Multimodal datasets are not supported: always false.' }),
    partialMemberList: t.exposeStringList('partialMemberList', { description: 'Accounts that may see it with PARTIAL_MEMBERS.' }),
  }),
});

const DATASET_ORDERING: Ordering = {
  name: 'createdAt-desc',
  columns: [
    { field: 'createdAt', direction: 'desc', kind: 'date' },
    { field: 'id', direction: 'asc', kind: 'string' },
  ],
};

builder.queryFields((t) => ({
  datasets: t.connection(
    {
      type: DatasetRef,
      description: 'Datasets of the workspace, newest first.',
      args: {
        keyword: t.arg.string({ description: 'Case-insensitive part of the name.' }),
        tagIds: t.arg.idList({ description: 'Only datasets carrying every one of these tags.' }),
        includeAll: t.arg.boolean({ description: "Also datasets other members keep private (Dify's include_all)." }),
        ...pageArgs(t),
      },
      resolve: async (_root, args, ctx, info) => {
        const where = datasetListWhere(ctx.viewer, {
          keyword: args.keyword,
          tagIds: args.tagIds?.map((id) => parseId(String(id), 'Tag') ?? '00000000-0000-0000-0000-000000000000'),
          includeAll: args.includeAll,
        });
        return keysetConnection(ctx, info, 'Dataset', args, where, {
          connection: 'Query.datasets',
          ordering: DATASET_ORDERING,
          count: () => ctx.prisma.dataset.count({ where }),
          page: (query) => ctx.prisma.dataset.findMany(query),
        });
      },
    },
    {
      name: 'DatasetConnection',
      description: 'A page of datasets.',
      fields: (c) => ({ totalCount: c.int({ description: 'Datasets matching the filters.', ...totalCountField }) }),
    },
  ),
  dataset: t.prismaField({
    type: 'Dataset',
    nullable: true,
    description: 'A dataset by Relay ID or plain UUID; null when there is none the key may see.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseId(String(args.id), 'Dataset');
      if (!id) return null;
      try {
        await getDatasetForApi(ctx.prisma, ctx.viewer, id);
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw toGraphQLError(error);
      }
      return ctx.prisma.dataset.findUnique({ ...query, where: { id } });
    },
  }),
}));

const summaryIndexSettingInput = builder.inputType('SummaryIndexSettingInput', {
  description: 'Summary index settings (Dify; stored, not used for retrieval here).',
  fields: (t) => ({
    enable: t.boolean(),
    modelName: t.string(),
    modelProviderName: t.string(),
    summaryPrompt: t.string(),
  }),
});

const datasetIdOrNotFound = (id: string | number) => {
  const parsed = parseId(String(id), 'Dataset');
  if (!parsed) throw new NotFoundError('Dataset');
  return parsed;
};

/** A payload's dataset as the write returned it (relations the selection needs are loaded from there). */
export const writtenDataset = <Shape extends { dataset: Dataset }>(t: PayloadFieldBuilder<Shape>, description = 'The dataset as the write left it.') =>
  t.field({ type: DatasetRef, nullable: true, description, resolve: (payload) => payload.dataset });

/** A payload's dataset re-read after the write, for the counts it changed; `of` names it. */
export const datasetAfterWrite = <Shape>(t: PayloadFieldBuilder<Shape>, description: string, of: (payload: Shape) => string) =>
  t.field({
    type: DatasetRef,
    nullable: true,
    description,
    resolve: (payload, _a, ctx) => ctx.prisma.dataset.findUnique({ where: { id: of(payload) } }),
  });

builder.relayMutationField(
  'createDataset',
  {
    description: 'A new dataset.',
    inputFields: (t) => ({
      name: t.string({ required: true, description: '1 to 40 characters, unique in the workspace.' }),
      description: t.string({ description: 'At most 400 characters.' }),
      indexingTechnique: t.field({ type: IndexingTechnique }),
      permission: t.field({ type: DatasetPermission }),
      provider: t.field({ type: DatasetProvider }),
      externalKnowledgeApiId: t.string(),
      externalKnowledgeId: t.string(),
      embeddingModel: t.string(),
      embeddingModelProvider: t.string(),
      retrievalModel: t.field({ type: RetrievalModelInput }),
      summaryIndexSetting: t.field({ type: summaryIndexSettingInput }),
    }),
  },
  {
    description: 'Creates an empty dataset.',
    errors: { types: [...WRITE_ERRORS, DatasetNameTakenError, ModelNotAvailableError] },
    resolve: async (_root, { input }, ctx) => ({ dataset: await createDataset(ctx, ctx.viewer, input) }),
  },
  { outputFields: (t) => ({ dataset: writtenDataset(t) }) },
);

const ExternalRetrievalModelInput = builder.inputType('ExternalRetrievalModelInput', {
  description: 'Retrieval settings of an external knowledge base.',
  fields: (f) => ({
    topK: f.int({ required: true }),
    scoreThreshold: f.float(),
    scoreThresholdEnabled: f.boolean(),
  }),
});

builder.relayMutationField(
  'updateDataset',
  {
    description: 'Only the fields given change; description: null clears the description.',
    inputFields: (t) => ({
      datasetId: t.id({ required: true }),
      name: t.string(),
      description: t.string(),
      indexingTechnique: t.field({ type: IndexingTechnique }),
      permission: t.field({ type: DatasetPermission }),
      embeddingModel: t.string(),
      embeddingModelProvider: t.string(),
      retrievalModel: t.field({ type: RetrievalModelInput }),
      partialMemberList: t.stringList({ description: 'Account ids, with permission PARTIAL_MEMBERS.' }),
      externalRetrievalModel: t.field({ type: ExternalRetrievalModelInput }),
      externalKnowledgeId: t.string(),
      externalKnowledgeApiId: t.string(),
      summaryIndexSetting: t.field({ type: summaryIndexSettingInput }),
    }),
  },
  {
    description: 'Changes the fields given.',
    errors: { types: [...WRITE_ERRORS, ModelNotAvailableError] },
    resolve: async (_root, { input: { datasetId, ...input } }, ctx) => ({
      dataset: await updateDataset(ctx, ctx.viewer, datasetIdOrNotFound(datasetId), input),
    }),
  },
  { outputFields: (t) => ({ dataset: writtenDataset(t) }) },
);

builder.relayMutationField(
  'deleteDataset',
  { description: 'The dataset to delete.', inputFields: (t) => ({ datasetId: t.id({ required: true }) }) },
  {
    description: 'Deletes a dataset with its documents, segments and indexes.',
    errors: { types: [...WRITE_ERRORS] },
    resolve: async (_root, { input }, ctx): Promise<Deleted> => {
      const dataset = await deleteDataset(ctx, ctx.viewer, datasetIdOrNotFound(input.datasetId));
      return { id: dataset.id, parentId: dataset.workspaceId };
    },
  },
  { outputFields: (t) => deletedIdField(t, 'Dataset') },
);
