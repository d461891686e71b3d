// Rows read from the database, remembered for a short time and dropped when a database notice says they changed.
// The notice is the only signal, so: while its listener is down nothing is remembered, a reconnection forgets
// everything (notices sent in between are lost), and a read that a notice overtook does not store what it read.
import { LRUCache } from 'lru-cache';
import type { Channel, PubSub } from './pubsub.ts';

export interface NoticeCacheOptions {
  /** How long a value is trusted without a notice; only a lost notice could make it matter. Default 30 s. */
  ttlMs?: number;
  /** Values remembered at most (least recently used go first). Default 10,000. */
  max?: number;
}

export interface NoticeCache<V> {
  /** The remembered value, or what `load` reads (remembered unless null). */
  get(key: string, load: () => Promise<V | null>): Promise<V | null>;
  /** Drops a value now, for this process's own writes: its notice may arrive after the writer's next request. */
  forget(key: string): void;
}

export async function createNoticeCache<V extends object>(
  pubsub: PubSub,
  channel: Channel,
  /** Whether a notice makes a remembered value stale. */
  staleAfter: (notice: unknown, key: string, value: V) => boolean,
  options: NoticeCacheOptions = {},
): Promise<NoticeCache<V>> {
  const values = new LRUCache<string, V>({ max: options.max ?? 10_000, ttl: options.ttlMs ?? 30_000 });
  let generation: number | null = null;
  let changes = 0;
  await pubsub.subscribe(channel, (notice) => {
    changes++;
    for (const [key, value] of values.entries()) if (staleAfter(notice, key, value)) values.delete(key);
  });

  return {
    async get(key, load) {
      const listening = pubsub.listenerGeneration();
      if (listening !== generation) {
        values.clear();
        generation = listening;
      }
      if (listening === null) return load();
      const known = values.get(key);
      if (known) return known;
      const heard = changes;
      const value = await load();
      if (value && changes === heard && pubsub.listenerGeneration() === listening) values.set(key, value);
      return value;
    },
    forget(key) {
      changes++;
      values.delete(key);
    },
  };
}
