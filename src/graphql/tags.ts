import type { Tag } from '../db/generated/prisma/client.ts';
import { bindTags, createTag, deleteTag, listTags, renameTag, unbindTags, visibleBindings } from '../domain/tags/service.ts';
import { builder } from './builder.ts';
import { writtenDataset } from './datasets.ts';
import { TagType } from './enums.ts';
import { WRITE_ERRORS } from './errors.ts';
import { idArg, parseId } from './ids.ts';
import { type Deleted, deletedIdField, type InputFieldBuilder, type PayloadFieldBuilder, reReadOr } from './payloads.ts';

export const TagRef = builder.prismaNode('Tag', {
  description: 'A knowledge tag of the workspace, bound to datasets.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.viewer.workspaceId }),
  nullable: true,
  fields: (t) => ({
    uuid: t.exposeString('id'),
    name: t.exposeString('name'),
    type: t.field({ type: TagType, resolve: (tag) => tag.type as never }),
    bindingCount: t.relationCount('bindings', {
      description: 'Datasets carrying the tag, among those the key can see.',
      where: (_args, ctx) => visibleBindings(ctx.viewer),
    }),
  }),
});

const tagUuid = (id: string | number) => parseId(String(id), 'Tag') ?? String(id);
const datasetUuid = (id: string | number) => idArg(id, 'Dataset');

builder.queryField('tags', (t) =>
  t.prismaField({
    type: ['Tag'],
    description: 'Knowledge tags of the workspace, newest first.',
    resolve: (query, _r, _a, ctx) => listTags(ctx.prisma, ctx.viewer, query),
  }),
);

/** A payload's tag, re-read with the binding count the selection asks for, or as the write returned it. */
const writtenTag = (t: PayloadFieldBuilder<{ tag: Tag }>) =>
  t.prismaField({
    type: 'Tag',
    nullable: true,
    description: 'The tag as the write left it.',
    resolve: (query, payload, _a, ctx) => reReadOr(ctx, payload.tag, () => ctx.prisma.tag.findUnique({ ...query, where: { id: payload.tag.id } })),
  });

builder.relayMutationField(
  'createTag',
  {
    description: 'A new tag.',
    inputFields: (t) => ({ name: t.string({ required: true, description: '1 to 50 characters, unique in the workspace.' }) }),
  },
  {
    description: 'Creates a tag.',
    errors: { types: [...WRITE_ERRORS] },
    resolve: async (_r, { input }, ctx) => ({ tag: await createTag(ctx.prisma, ctx.viewer, input.name) }),
  },
  { outputFields: (t) => ({ tag: writtenTag(t) }) },
);

builder.relayMutationField(
  'renameTag',
  {
    description: 'A tag and its new name.',
    inputFields: (t) => ({ tagId: t.id({ required: true }), name: t.string({ required: true, description: 'The new name.' }) }),
  },
  {
    description: 'Renames a tag.',
    errors: { types: [...WRITE_ERRORS] },
    resolve: async (_r, { input }, ctx) => ({ tag: await renameTag(ctx.prisma, ctx.viewer, tagUuid(input.tagId), input.name) }),
  },
  { outputFields: (t) => ({ tag: writtenTag(t) }) },
);

builder.relayMutationField(
  'deleteTag',
  { description: 'The tag to delete.', inputFields: (t) => ({ tagId: t.id({ required: true }) }) },
  {
    description: 'Deletes a tag and its bindings.',
    errors: { types: [...WRITE_ERRORS] },
    resolve: async (_r, { input }, ctx): Promise<Deleted> => {
      const tag = await deleteTag(ctx.prisma, ctx.viewer, tagUuid(input.tagId));
      return { id: tag.id, parentId: tag.workspaceId };
    },
  },
  { outputFields: (t) => deletedIdField(t, 'Tag') },
);

const bindingInput = {
  description: 'A dataset and tags.',
  inputFields: (t: InputFieldBuilder) => ({
    datasetId: t.id({ required: true }),
    tagIds: t.idList({ required: true }),
  }),
};

builder.relayMutationField(
  'bindTags',
  { ...bindingInput },
  {
    description: 'Binds tags to a dataset (pairs already bound are kept).',
    errors: { types: [...WRITE_ERRORS] },
    resolve: async (_r, { input }, ctx) => ({
      dataset: await bindTags(ctx.prisma, ctx.viewer, datasetUuid(input.datasetId), input.tagIds.map(tagUuid)),
    }),
  },
  { outputFields: (t) => ({ dataset: writtenDataset(t, 'The dataset with its tags.') }) },
);

builder.relayMutationField(
  'unbindTags',
  { ...bindingInput },
  {
    description: 'Removes tags from a dataset.',
    errors: { types: [...WRITE_ERRORS] },
    resolve: async (_r, { input }, ctx) => ({
      dataset: await unbindTags(ctx.prisma, ctx.viewer, datasetUuid(input.datasetId), input.tagIds.map(tagUuid)),
    }),
  },
  { outputFields: (t) => ({ dataset: writtenDataset(t, 'The dataset with its tags.') }) },
);
