import { builder } from './builder.ts';

/** What a delete resolver hands on: the deleted row's UUID and the parent whose counts changed. */
export interface Deleted {
  id: string;
  parentId: string;
}

/**
 * `Deleted<Type>`: the global ID of what was deleted (Relay's `@deleteRecord`, Apollo's `cache.evict`), its plain
 * UUID, and its parent re-read after the write so counts shown in a list refresh without a refetch.
 */
export function deletedPayload(typename: string) {
  return builder.objectRef<Deleted>(`Deleted${typename}`).implement({
    description: `The answer to deleting a ${typename}.`,
    fields: (t) => ({
      deletedId: t.globalID({
        description: `The global ID of the deleted ${typename}: evict it from client caches.`,
        resolve: (deleted) => ({ type: typename, id: deleted.id }),
      }),
      uuid: t.exposeString('id', { description: 'The plain UUID of the deleted object, as the REST API shows it.' }),
    }),
  });
}
