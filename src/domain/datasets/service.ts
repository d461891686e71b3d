import type { Prisma } from '../../db/database.ts';
import type { Dataset, Prisma as PrismaNamespace } from '../../db/generated/prisma/client.ts';
import {
  DatasetNameTakenError,
  ForbiddenError,
  ModelNotAvailableError,
  NotFoundError,
  ValidationError,
} from '../errors.ts';
import { deleteOrphanFiles } from '../files/upload.ts';
import { findEmbeddingModel, findRerankModel, type ModelRegistry } from '../models/registry.ts';
import { escapeLike, isUuid } from '../sql.ts';
import { rejectNul } from '../text.ts';
import { canSeeDataset, type Viewer } from '../viewer.ts';
import {
  CreateDatasetSchema,
  type CreateDatasetInput,
  parseInput,
  UpdateDatasetSchema,
  type UpdateDatasetInput,
} from './input.ts';
import type { DatasetCache } from './dataset-cache.ts';
import type { RetrievalModel } from './retrieval-model.ts';

export interface DatasetServiceDeps {
  prisma: Prisma;
  models: ModelRegistry;
  /** Told of this process's own changes, so that its next search does not wait for the database's notice. */
  datasets?: Pick<DatasetCache, 'forget'>;
}

const NO_EMBEDDING_MODEL =
  'No Embedding Model available. Please configure a valid provider in the Settings -> Model Provider.';
const NO_RERANK_MODEL =
  'No Rerank Model available. Please configure a valid provider in the Settings -> Model Provider.';

/** The datasets a viewer may touch at all: its workspace, narrowed to the key's datasets for restricted keys. */
export function visibleDatasets(viewer: Viewer): PrismaNamespace.DatasetWhereInput {
  return {
    workspaceId: viewer.workspaceId,
    ...(viewer.datasetScope ? { id: { in: [...viewer.datasetScope] } } : {}),
  };
}

export interface DatasetFilter {
  keyword?: string | null;
  tagIds?: readonly string[] | null;
  /** Also list datasets private to other members (Dify's include_all). */
  includeAll?: boolean | null;
}

/** Dify's list visibility: the caller acts as the owner, who sees team datasets, its own, and grants to it. */
export function datasetListWhere(viewer: Viewer, filter: DatasetFilter): PrismaNamespace.DatasetWhereInput {
  const and: PrismaNamespace.DatasetWhereInput[] = [visibleDatasets(viewer)];
  if (!filter.includeAll) {
    and.push({
      OR: [
        { permission: 'all_team_members' },
        { permission: 'only_me', maintainer: viewer.accountId },
        { permission: 'partial_members', partialMemberList: { has: viewer.accountId } },
        { permission: 'partial_members', maintainer: viewer.accountId },
      ],
    });
  }
  rejectNul(filter.keyword, ['keyword']);
  if (filter.keyword) and.push({ name: { contains: escapeLike(filter.keyword), mode: 'insensitive' } });
  for (const tagId of new Set(filter.tagIds ?? [])) and.push({ tagBindings: { some: { tagId } } });
  return { AND: and };
}


export const DATASET_ORDER: PrismaNamespace.DatasetOrderByWithRelationInput[] = [{ createdAt: 'desc' }, { id: 'asc' }];


/** A dataset the viewer may use through the API; otherwise NotFound (a foreign id looks exactly like a missing one). */
export async function getDatasetForApi(
  prisma: Prisma,
  viewer: Viewer,
  id: string,
  find: (id: string) => Promise<Dataset | null> = (id) => prisma.dataset.findUnique({ where: { id } }),
) {
  if (!isUuid(id) || !canSeeDataset(viewer, id)) throw new NotFoundError('Dataset');
  const dataset = await find(id);
  if (!dataset || dataset.workspaceId !== viewer.workspaceId) throw new NotFoundError('Dataset');
  if (!dataset.enableApi) throw new ForbiddenError('Dataset api access is not enabled.');
  return dataset;
}

function checkRetrievalModel(models: ModelRegistry, model: RetrievalModel | null | undefined) {
  const reranker = model?.rerankingModel;
  if (reranker?.rerankingProviderName && reranker.rerankingModelName) {
    if (!findRerankModel(models, reranker.rerankingProviderName, reranker.rerankingModelName)) {
      throw new ModelNotAvailableError(NO_RERANK_MODEL);
    }
  }
}

function checkEmbeddingModel(models: ModelRegistry, provider?: string | null, model?: string | null) {
  if (!provider || !model) return;
  if (!findEmbeddingModel(models, provider, model)) throw new ModelNotAvailableError(NO_EMBEDDING_MODEL);
}

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';

export async function createDataset({ prisma, models }: DatasetServiceDeps, viewer: Viewer, raw: CreateDatasetInput) {
  const input = parseInput(CreateDatasetSchema, raw);
  if (viewer.datasetScope) {
    throw new ForbiddenError('This API key is restricted to chosen datasets and cannot create datasets.');
  }
  if (input.provider === 'external') {
    if (!input.externalKnowledgeApiId) throw new ValidationError('external_knowledge_api_id is required');
    if (!input.externalKnowledgeId) throw new ValidationError('external_knowledge_id is required');
    throw new ValidationError('External API template not found.');
  }
  checkEmbeddingModel(models, input.embeddingModelProvider, input.embeddingModel);
  checkRetrievalModel(models, input.retrievalModel);
  const embedding =
    input.embeddingModel && input.embeddingModelProvider
      ? { model: input.embeddingModel, provider: input.embeddingModelProvider }
      : input.indexingTechnique === 'high_quality'
        ? { model: models.defaultEmbedding.model, provider: models.defaultEmbedding.provider }
        : null;
  try {
    return await prisma.dataset.create({
      data: {
        workspaceId: viewer.workspaceId,
        name: input.name,
        description: input.description ?? '',
        indexingTechnique: input.indexingTechnique ?? null,
        permission: input.permission ?? 'only_me',
        provider: input.provider ?? 'vendor',
        embeddingModel: embedding?.model ?? null,
        embeddingModelProvider: embedding?.provider ?? null,
        retrievalModel: input.retrievalModel ?? undefined,
        summaryIndexSetting: input.summaryIndexSetting ?? undefined,
        createdBy: viewer.accountId,
        maintainer: viewer.accountId,
        updatedBy: viewer.accountId,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DatasetNameTakenError(input.name);
    throw error;
  }
}

export async function updateDataset(
  { prisma, models, datasets }: DatasetServiceDeps,
  viewer: Viewer,
  id: string,
  raw: UpdateDatasetInput,
) {
  const dataset = await getDatasetForApi(prisma, viewer, id);
  const input = parseInput(UpdateDatasetSchema, raw);
  const data: PrismaNamespace.DatasetUpdateInput = { updatedBy: viewer.accountId };

  if (input.name != null && input.name !== dataset.name) {
    const clash = await prisma.dataset.findFirst({
      where: { workspaceId: viewer.workspaceId, name: input.name, NOT: { id } },
      select: { id: true },
    });
    if (clash) throw new ValidationError('Dataset name already exists');
    data.name = input.name;
  }
  // Dify writes description even when null (clearing it); other nulls are ignored.
  if (input.description !== undefined) data.description = input.description;
  if (input.permission != null) {
    data.permission = input.permission;
    data.partialMemberList = input.permission === 'partial_members' ? (input.partialMemberList ?? []) : [];
  } else if (input.partialMemberList != null && dataset.permission === 'partial_members') {
    data.partialMemberList = input.partialMemberList;
  }
  if (input.retrievalModel != null) {
    checkRetrievalModel(models, input.retrievalModel);
    data.retrievalModel = input.retrievalModel;
  }
  if (input.summaryIndexSetting != null) data.summaryIndexSetting = input.summaryIndexSetting;

  const technique = input.indexingTechnique ?? dataset.indexingTechnique;
  if (technique === 'economy') {
    data.indexingTechnique = 'economy';
    data.embeddingModel = null;
    data.embeddingModelProvider = null;
  } else if (technique === 'high_quality') {
    const model = input.embeddingModel ?? dataset.embeddingModel ?? models.defaultEmbedding.model;
    const provider = input.embeddingModelProvider ?? dataset.embeddingModelProvider ?? models.defaultEmbedding.provider;
    checkEmbeddingModel(models, provider, model);
    data.indexingTechnique = 'high_quality';
    data.embeddingModel = model;
    data.embeddingModelProvider = provider;
  }
  try {
    return await prisma.dataset.update({ where: { id }, data });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError('Dataset name already exists');
    throw error;
  } finally {
    datasets?.forget(id);
  }
}

/** Deletes a dataset with everything in it; keys that were restricted to it alone are revoked. */
export async function deleteDataset({ prisma, datasets }: DatasetServiceDeps, viewer: Viewer, id: string) {
  const dataset = await getDatasetForApi(prisma, viewer, id);
  datasets?.forget(id);
  await prisma.$transaction(async (tx) => {
    const keys = await tx.apiKeyDataset.findMany({
      where: { datasetId: id },
      select: { apiKeyId: true, apiKey: { select: { _count: { select: { datasets: true } } } } },
    });
    const onlyThisDataset = keys.filter((k) => k.apiKey._count.datasets === 1).map((k) => k.apiKeyId);
    if (onlyThisDataset.length > 0) {
      await tx.apiKey.updateMany({ where: { id: { in: onlyThisDataset } }, data: { revokedAt: new Date() } });
    }
    const files = await tx.document.findMany({ where: { datasetId: id, fileId: { not: null } }, select: { fileId: true } });
    await tx.dataset.delete({ where: { id } });
    await deleteOrphanFiles(tx, files.map((f) => f.fileId));
  });
  return dataset;
}
