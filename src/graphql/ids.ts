import { decodeGlobalID } from '@pothos/plugin-relay';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Lookups take a Relay global ID or the plain UUID that REST uses. Returns the UUID, or null when `id` is neither
 * (or is the global ID of another type), which callers treat exactly like an id that does not exist.
 */
export function parseId(id: string, typename: string): string | null {
  if (UUID.test(id)) return id.toLowerCase();
  try {
    const decoded = decodeGlobalID(id);
    return decoded.typename === typename && UUID.test(decoded.id) ? decoded.id.toLowerCase() : null;
  } catch {
    return null;
  }
}
