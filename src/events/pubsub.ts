// Events between the parts of the gateway: indexing progress (worker → subscriptions) and "new work" (API → workers).
// Always over the database's LISTEN/NOTIFY, so that every process on one database hears every event.

export const CHANNELS = {
  /** A document's indexing state changed; payload: its IndexingProgress snapshot (src/domain/documents/progress.ts). */
  progress: 'kg_indexing_progress',
  /** Jobs were queued; payload {}. */
  jobs: 'kg_indexing_jobs',
  /** An API key was revoked; payload {apiKeyId}. Sent by a database trigger (migration api_key_revocation_notify). */
  apiKeyRevoked: 'kg_api_key_revoked',
  /** A dataset's settings changed or it was deleted; payload {datasetId}. Sent by a database trigger (migration dataset_change_notify). */
  datasetChanged: 'kg_dataset_changed',
} as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

export interface PubSub {
  publish(channel: Channel, payload: object): Promise<void>;
  /** Calls `listener` for every message on the channel until the returned function is called. */
  subscribe(channel: Channel, listener: (payload: unknown) => void): Promise<() => void>;
  /**
   * Which connection of the listener is up: a number that changes at every reconnection (notices sent while it was
   * down are lost), or null while it is down. Caches kept fresh by notices use it to know when they may be stale.
   */
  listenerGeneration(): number | null;
  close(): Promise<void>;
}
