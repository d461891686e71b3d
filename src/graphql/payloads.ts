// Relay-style mutations (builder.relayMutationField): one `input: <Name>Input!` argument carrying the global IDs, and
// a `<Name>Payload` with what changed under its own name (`dataset`, `document`, `deletedDocumentId`, the parent whose
// counts changed), answered in `<Name>Result` with the typed errors (see the errors options in builder.ts).
//
// Payloads are built from what the write returned, and their object fields are nullable: whatever fails after the
// write committed (a re-read, a nested field of the selection) nulls that field and adds an error, never the payload.
import { builder } from './builder.ts';
import type { Context } from './context.ts';

/** What a delete resolver hands on: the deleted row's UUID and the parent whose counts changed. */
export interface Deleted {
  id: string;
  parentId: string;
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
/** What `outputFields` gets: builds the fields of a payload of shape `Shape`. */
export type PayloadFieldBuilder<Shape> = PothosSchemaTypes.ObjectFieldBuilder<Types, Shape>;
/** What `inputFields` gets, for input fields shared by several mutations. */
export type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

/** `deleted<Type>Id`: the global ID of what was deleted, for Relay's `@deleteRecord` and Apollo's `cache.evict`. */
export const deletedIdField = (t: PayloadFieldBuilder<Deleted>, typename: string) => ({
  [`deleted${typename}Id`]: t.globalID({
    description: `The global ID of the deleted ${typename}: evict it from client caches.`,
    resolve: (deleted) => ({ type: typename, id: deleted.id }),
  }),
});

/**
 * A re-read of a written row with what the selection needs; when the re-read fails (or finds the row gone, deleted
 * by someone since), the row as the write returned it.
 */
export async function reReadOr<Row>(ctx: Context, written: Row, reRead: () => Promise<Row | null>): Promise<Row> {
  try {
    return (await reRead()) ?? written;
  } catch (error) {
    ctx.logger.warn({ err: error }, 're-reading a written row failed; the payload answers it as written');
    return written;
  }
}
