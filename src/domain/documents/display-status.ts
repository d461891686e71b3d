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

export const DISPLAY_STATUS_FILTERS = ['queuing', 'indexing', 'paused', 'error', 'available', 'disabled', 'archived'] as const;
const STATUS_ALIASES: Record<string, string> = { active: 'available', enabled: 'available' };

const IN_PROGRESS_LIST = ['parsing', 'cleaning', 'splitting', 'indexing'];

/** Prisma conditions for Dify's `status` list filter; unknown values filter nothing, as in Dify. */
export function displayStatusWhere(status: string | null | undefined) {
  switch (status ? (STATUS_ALIASES[status] ?? status) : null) {
    case 'queuing':
      return { indexingStatus: 'waiting' };
    case 'indexing':
      return { indexingStatus: { in: IN_PROGRESS_LIST }, isPaused: false };
    case 'paused':
      return { indexingStatus: { in: IN_PROGRESS_LIST }, isPaused: true };
    case 'error':
      return { indexingStatus: 'error' };
    case 'available':
      return { indexingStatus: 'completed', archived: false, enabled: true };
    case 'disabled':
      return { indexingStatus: 'completed', archived: false, enabled: false };
    case 'archived':
      return { indexingStatus: 'completed', archived: true };
    default:
      return {};
  }
}
