// Keys already checked are remembered for a short time, so that a request costs no database round trip for its
// key. A revocation, from any process or statement, reaches every instance at once through the kg_api_key_revoked
// notice (a database trigger sends it) and drops the key here. While the notice listener is down nothing is
// remembered, and a reconnection forgets everything, since notices sent in between are lost.
import { LRUCache } from 'lru-cache';
import { CHANNELS, type PubSub } from '../../events/pubsub.ts';
import type { Viewer } from '../viewer.ts';
import { hashApiKey } from './service.ts';

export type Authenticate = (key: string) => Promise<Viewer | null>;

export interface KeyCacheOptions {
  /** How long a checked key is trusted without a notice; only a lost notice could make it matter. Default 30 s. */
  ttlMs?: number;
  /** Keys remembered at most (least recently used go first). Default 10,000. */
  maxKeys?: number;
}

export async function cachedAuthentication(
  authenticate: Authenticate,
  pubsub: PubSub,
  options: KeyCacheOptions = {},
): Promise<Authenticate> {
  // Keyed by the key's hash: the clear key is never held longer than the request that presented it.
  const viewers = new LRUCache<string, Viewer>({ max: options.maxKeys ?? 10_000, ttl: options.ttlMs ?? 30_000 });
  let generation: number | null = null;
  // Counts revocations heard: a lookup that a revocation overtook must not store what it read before it.
  let revocations = 0;
  await pubsub.subscribe(CHANNELS.apiKeyRevoked, (payload) => {
    revocations++;
    const { apiKeyId } = payload as { apiKeyId?: unknown };
    for (const [hash, viewer] of viewers.entries()) if (viewer.apiKeyId === apiKeyId) viewers.delete(hash);
  });

  return async (key) => {
    const listening = pubsub.listenerGeneration();
    if (listening !== generation) {
      viewers.clear();
      generation = listening;
    }
    if (listening === null) return authenticate(key);
    const hash = hashApiKey(key);
    const known = viewers.get(hash);
    if (known) return known;
    const heard = revocations;
    const viewer = await authenticate(key);
    if (viewer && revocations === heard && pubsub.listenerGeneration() === listening) viewers.set(hash, viewer);
    return viewer;
  };
}
