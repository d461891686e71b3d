import { builder } from './builder.ts';

export const TagRef = builder.prismaNode('Tag', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.viewer.workspaceId }),
  nullable: true,
  fields: (t) => ({
    uuid: t.exposeString('id'),
    name: t.exposeString('name'),
    type: t.exposeString('type'),
    bindingCount: t.relationCount('bindings'),
  }),
});
