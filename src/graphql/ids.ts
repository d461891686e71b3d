import { decodeGlobalID } from '@pothos/plugin-relay';

import { isUuid } from '../domain/sql.ts';

/**
 * Lookups take a Relay global ID or the plain UUID that REST uses. Returns the UUID, or null when `id` is neither
 * (or is the global ID of another type), which callers treat exactly like an id that does not exist.
 */
export function parseId(id: string, typename: string): string | null {
  if (isUuid(id)) return id.toLowerCase();
  try {
    const decoded = decodeGlobalID(id);
    return decoded.typename === typename && isUuid(decoded.id) ? decoded.id.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** A UUID that matches no row: what an unparsable id becomes, so it answers exactly like a missing one. */
const NO_ROW = '00000000-0000-0000-0000-000000000000';

/** An id argument (Relay ID or UUID) as the UUID the domain takes. */
export const idArg = (id: string | number, typename: string) => parseId(String(id), typename) ?? NO_ROW;
