import { bindTags, createTag, deleteTag, listTags, renameTag, unbindTags, visibleBindings } from '../domain/tags/service.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { WRITE_ERRORS } from './errors.ts';
import { idArg, parseId } from './ids.ts';

export const TagRef = builder.prismaNode('Tag', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.viewer.workspaceId }),
  nullable: true,
  fields: (t) => ({
    uuid: t.exposeString('id'),
    name: t.exposeString('name'),
    type: t.exposeString('type'),
    bindingCount: t.relationCount('bindings', { where: (_args, ctx) => visibleBindings(ctx.viewer) }),
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
    errors: { types: [...WRITE_ERRORS] },
    args: { name: t.arg.string({ required: true }) },
    resolve: async (query, _r, args, ctx) => withCount(ctx, query, await createTag(ctx.prisma, ctx.viewer, args.name)),
  }),
  renameTag: t.prismaField({
    type: 'Tag',
    errors: { types: [...WRITE_ERRORS] },
    args: { tagId: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    resolve: async (query, _r, args, ctx) =>
      withCount(ctx, query, await renameTag(ctx.prisma, ctx.viewer, tagUuid(args.tagId), args.name)),
  }),
  deleteTag: t.id({
    description: 'Deletes a tag and its bindings; answers the deleted tag\'s UUID.',
    errors: { types: [...WRITE_ERRORS] },
    args: { tagId: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => (await deleteTag(ctx.prisma, ctx.viewer, tagUuid(args.tagId))).id,
  }),
  bindTags: t.prismaField({
    type: 'Dataset',
    errors: { types: [...WRITE_ERRORS] },
    args: { datasetId: t.arg.id({ required: true }), tagIds: t.arg.idList({ required: true }) },
    resolve: (_q, _r, args, ctx) => bindTags(ctx.prisma, ctx.viewer, datasetUuid(args.datasetId), args.tagIds.map(tagUuid)),
  }),
  unbindTags: t.prismaField({
    type: 'Dataset',
    errors: { types: [...WRITE_ERRORS] },
    args: { datasetId: t.arg.id({ required: true }), tagIds: t.arg.idList({ required: true }) },
    resolve: (_q, _r, args, ctx) => unbindTags(ctx.prisma, ctx.viewer, datasetUuid(args.datasetId), args.tagIds.map(tagUuid)),
  }),
}));
