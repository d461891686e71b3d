// A write refused because the disk under the database is (almost) full: SQLSTATE 25006 once the embedded engine has
// turned read-only (src/db/embedded/storage-watch.ts), 53100 from a server that ran out of space. Clients get a clear
// 503 for it rather than a masked internal error.
const STORAGE_CODES = new Set(['25006', '53100']);

export const STORAGE_FULL_MESSAGE =
  'The database accepts no writes: the disk it stores its data on is (almost) full. Reads and searches still work; ' +
  'try again once space has been freed.';

/** Whether `error`, or an error it wraps (Prisma, the driver adapter, GraphQL), is a full-disk refusal. */
export function isStorageFull(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 6) return false;
  const e = error as Record<string, unknown>;
  for (const code of [e.originalCode, e.code]) if (typeof code === 'string' && STORAGE_CODES.has(code)) return true;
  const meta = e.meta as Record<string, unknown> | undefined;
  return [e.cause, e.originalError, meta?.driverAdapterError].some((inner) => isStorageFull(inner, depth + 1));
}
