// PostgreSQL errors that are the client's or the environment's, recognised through the wrappers around them (Prisma,
// the driver adapter, GraphQL), so that clients get a clear answer instead of a masked internal error.

/** SQLSTATEs of a write refused for lack of disk space: 25006 once the embedded engine has turned read-only
 * (src/db/embedded/storage-watch.ts), 53100 from a server that ran out of space. */
const STORAGE_CODES = new Set(['25006', '53100']);
/** SQLSTATEs of text PostgreSQL cannot store: a NUL character (22021), or one the encoding lacks (22P05). */
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05']);

export const STORAGE_FULL_MESSAGE =
  'The database accepts no writes: the disk it stores its data on is (almost) full. Reads and searches still work; ' +
  'try again once space has been freed.';

export const UNSTORABLE_TEXT_MESSAGE = 'Input should not contain NUL (\\u0000) characters';

/** The SQLSTATE carried by `error` or an error it wraps, if any. */
export function sqlStateOf(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 6) return undefined;
  const e = error as Record<string, unknown>;
  // Prisma's own codes (P2010 "raw query failed") have the same shape: look through them.
  for (const code of [e.originalCode, e.code]) {
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^P\d{4}$/.test(code)) return code;
  }
  const meta = e.meta as Record<string, unknown> | undefined;
  for (const inner of [e.cause, e.originalError, meta?.driverAdapterError]) {
    const found = sqlStateOf(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export const isStorageFull = (error: unknown) => STORAGE_CODES.has(sqlStateOf(error) ?? '');
export const isUnstorableText = (error: unknown) => UNSTORABLE_TEXT_CODES.has(sqlStateOf(error) ?? '');
