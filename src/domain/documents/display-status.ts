export const INDEXING_STATUSES = [
  'waiting',
  'parsing',
  'cleaning',
  'splitting',
  'indexing',
  'completed',
  'error',
  'paused',
] as const;

export interface DisplayStatusInput {
  isPaused: boolean;
  indexingStatus: string;
  archived: boolean;
  enabled: boolean;
}

const IN_PROGRESS = new Set(['parsing', 'cleaning', 'splitting', 'indexing']);

/** Dify's display_status, in Dify's order of rules. */
export function displayStatus(doc: DisplayStatusInput): string | null {
  const status = doc.indexingStatus;
  if (doc.isPaused && status !== 'completed' && status !== 'error') return 'paused';
  if (status === 'waiting') return 'queuing';
  if (IN_PROGRESS.has(status)) return 'indexing';
  if (status === 'error') return 'error';
  if (status === 'completed') {
    if (doc.archived) return 'archived';
    return doc.enabled ? 'available' : 'disabled';
  }
  return null;
}
