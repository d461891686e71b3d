import { bindTags, createTag, deleteTag, listTags, renameTag, unbindTags, visibleBindings } from '../domain/tags/service.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { DatasetRef } from './datasets.ts';
import { WRITE_ERRORS } from './errors.ts';
import { idArg, parseId } from './ids.ts';
import { deletedPayload } from './payloads.ts';

const DeletedTagRef = deletedPayload('Tag');

export const TagRef = builder.prismaNode('Tag', {
  description: 'A knowledge tag of the workspace, bound to datasets.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.viewer.workspaceId }),
  nullable: true,
  fields: (t) => ({
    uuid: t.exposeString('id'),
    name: t.exposeString('name'),
    type: t.exposeString('type'),
    bindingCount: t.relationCount('bindings', {
      description: 'Datasets carrying the tag, among those the key can see.',
      where: (_args, ctx) => visibleBindings(ctx.viewer),
    }),
  }),
});

/** Reloads a written tag with what the selection needs (binding counts are not part of the write's result). */
const withCount = (ctx: Context, query: object, tag: { id: string }) =>
  ctx.prisma.tag.findUniqueOrThrow({ ...query, where: { id: tag.id } });

const tagUuid = (id: string | number) => parseId(String(id), 'Tag') ?? String(id);
const datasetUuid = (id: string | number) => idArg(id, 'Dataset');

builder.queryField('tags', (t) =>
  t.prismaField({
    type: ['Tag'],
    description: 'Knowledge tags of the workspace, newest first.',
    resolve: (query, _r, _a, ctx) => listTags(ctx.prisma, ctx.viewer, query),
  }),
);

builder.mutationFields((t) => ({
  createTag: t.prismaField({
    type: 'Tag',
    description: 'Creates a tag.',
    errors: { types: [...WRITE_ERRORS] },
    args: { name: t.arg.string({ required: true, description: '1 to 50 characters, unique in the workspace.' }) },
    resolve: async (query, _r, args, ctx) => withCount(ctx, query, await createTag(ctx.prisma, ctx.viewer, args.name)),
  }),
  renameTag: t.prismaField({
    type: 'Tag',
    description: 'Renames a tag.',
    errors: { types: [...WRITE_ERRORS] },
    args: {
      tagId: t.arg.id({ required: true, description: 'The tag (global ID or UUID).' }),
      name: t.arg.string({ required: true, description: 'The new name.' }),
    },
    resolve: async (query, _r, args, ctx) =>
      withCount(ctx, query, await renameTag(ctx.prisma, ctx.viewer, tagUuid(args.tagId), args.name)),
  }),
  deleteTag: t.field({
    type: DeletedTagRef,
    description: 'Deletes a tag and its bindings.',
    errors: { types: [...WRITE_ERRORS] },
    args: { tagId: t.arg.id({ required: true, description: 'The tag (global ID or UUID).' }) },
    resolve: async (_r, args, ctx) => {
      const tag = await deleteTag(ctx.prisma, ctx.viewer, tagUuid(args.tagId));
      return { id: tag.id, parentId: tag.workspaceId };
    },
  }),
  // Answers the dataset through its object type (not the write's row), so its tags are loaded for the selection.
  bindTags: t.field({
    type: DatasetRef,
    description: 'Binds tags to a dataset (pairs already bound are kept); answers the dataset.',
    errors: { types: [...WRITE_ERRORS] },
    args: {
      datasetId: t.arg.id({ required: true, description: 'The dataset (global ID or UUID).' }),
      tagIds: t.arg.idList({ required: true, description: 'The tags (global IDs or UUIDs).' }),
    },
    resolve: (_r, args, ctx) => bindTags(ctx.prisma, ctx.viewer, datasetUuid(args.datasetId), args.tagIds.map(tagUuid)),
  }),
  unbindTags: t.field({
    type: DatasetRef,
    description: 'Removes tags from a dataset; answers the dataset.',
    errors: { types: [...WRITE_ERRORS] },
    args: {
      datasetId: t.arg.id({ required: true, description: 'The dataset (global ID or UUID).' }),
      tagIds: t.arg.idList({ required: true, description: 'The tags (global IDs or UUIDs).' }),
    },
    resolve: (_r, args, ctx) => unbindTags(ctx.prisma, ctx.viewer, datasetUuid(args.datasetId), args.tagIds.map(tagUuid)),
  }),
}));
