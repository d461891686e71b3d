// Knowledge tags (spec §9.2): workspace-wide labels bound to datasets.
import type { Prisma } from '../../db/database.ts';
import type { Prisma as PrismaNamespace } from '../../db/generated/prisma/client.ts';
import { getDatasetForApi } from '../datasets/service.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { isUuid } from '../sql.ts';
import { rejectNul } from '../text.ts';
import type { Viewer } from '../viewer.ts';

export const TAG_NAME_MAX = 50;
const TYPE = 'knowledge';

/**
 * Tags are workspace-wide: a key restricted to chosen datasets may bind and unbind them on its datasets, but not
 * create, rename or delete them (a delete would unbind datasets the key cannot see).
 */
function checkWorkspaceWide(viewer: Viewer) {
  if (viewer.datasetScope) {
    throw new ForbiddenError('This API key is restricted to chosen datasets and cannot create, rename or delete workspace tags.');
  }
}

/** The bindings a viewer may count: those on the datasets it can see. */
export function visibleBindings(viewer: Viewer): PrismaNamespace.TagBindingWhereInput {
  return viewer.datasetScope ? { datasetId: { in: [...viewer.datasetScope] } } : {};
}

function checkName(name: unknown): string {
  rejectNul(name, ['name']);
  if (typeof name !== 'string' || [...name].length < 1 || [...name].length > TAG_NAME_MAX) {
    throw new ValidationError('Name must be between 1 to 50 characters.', [{ path: ['name'], message: 'Name must be between 1 to 50 characters.' }]);
  }
  return name;
}

async function checkUnique(prisma: Prisma, viewer: Viewer, name: string) {
  const clash = await prisma.tag.findFirst({ where: { workspaceId: viewer.workspaceId, type: TYPE, name }, select: { id: true } });
  if (clash) throw new ValidationError('Tag name already exists');
}

async function tagOf(prisma: Prisma, viewer: Viewer, tagId: string) {
  const tag = isUuid(tagId) ? await prisma.tag.findFirst({ where: { id: tagId, workspaceId: viewer.workspaceId, type: TYPE } }) : null;
  if (!tag) throw new NotFoundError('Tag', 'Tag not found');
  return tag;
}

/** `select` lets the caller (GraphQL) ask for exactly what it shows, binding counts included. */
export function listTags(prisma: Prisma, viewer: Viewer, select: object = {}) {
  return prisma.tag.findMany({
    ...select,
    where: { workspaceId: viewer.workspaceId, type: TYPE },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
  });
}

export async function createTag(prisma: Prisma, viewer: Viewer, rawName: unknown) {
  checkWorkspaceWide(viewer);
  const name = checkName(rawName);
  await checkUnique(prisma, viewer, name);
  return prisma.tag.create({ data: { workspaceId: viewer.workspaceId, type: TYPE, name, createdBy: viewer.accountId } });
}

export async function renameTag(prisma: Prisma, viewer: Viewer, tagId: string, rawName: unknown) {
  checkWorkspaceWide(viewer);
  const name = checkName(rawName);
  const tag = await tagOf(prisma, viewer, tagId);
  await checkUnique(prisma, viewer, name);
  return prisma.tag.update({ where: { id: tag.id }, data: { name } });
}

export async function deleteTag(prisma: Prisma, viewer: Viewer, tagId: string) {
  checkWorkspaceWide(viewer);
  const tag = await tagOf(prisma, viewer, tagId);
  await prisma.tag.delete({ where: { id: tag.id } });
  return tag;
}

/** Binds tags to a dataset; pairs already bound are skipped. Unlike Dify, tags must exist in the workspace. */
export async function bindTags(prisma: Prisma, viewer: Viewer, datasetId: string, tagIds: readonly string[]) {
  if (tagIds.length === 0) throw new ValidationError('Tag IDs is required.');
  const dataset = await getDatasetForApi(prisma, viewer, datasetId);
  const tags = await Promise.all([...new Set(tagIds)].map((id) => tagOf(prisma, viewer, id)));
  await prisma.tagBinding.createMany({
    data: tags.map((tag) => ({ workspaceId: viewer.workspaceId, tagId: tag.id, datasetId: dataset.id, createdBy: viewer.accountId })),
    skipDuplicates: true,
  });
  return dataset;
}

export async function unbindTags(prisma: Prisma, viewer: Viewer, datasetId: string, tagIds: readonly string[]) {
  if (tagIds.length === 0) throw new ValidationError('Tag IDs is required.');
  const dataset = await getDatasetForApi(prisma, viewer, datasetId);
  await prisma.tagBinding.deleteMany({ where: { datasetId: dataset.id, tagId: { in: tagIds.filter((id) => isUuid(id)) } } });
  return dataset;
}
