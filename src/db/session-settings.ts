/**
 * Settings every session of the gateway runs with: pgvector's iterative index scan, so that filters applied with an
 * HNSW search (enabled segments, metadata) do not cut its top-k short, and the candidate list it needs. Connections
 * to PostgreSQL send them at start-up; the embedded engine sets them once on its one session.
 */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  'hnsw.iterative_scan': 'relaxed_order',
  'hnsw.ef_search': '100',
};

/** As PostgreSQL's start-up `options` parameter. */
export const startupOptions = () =>
  Object.entries(SESSION_SETTINGS)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');

/** As SQL, for a session that is already open. */
export const setStatements = () =>
  Object.entries(SESSION_SETTINGS)
    .map(([name, value]) => `SET ${name} = '${value}';`)
    .join('\n');
