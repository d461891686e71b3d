// Keys already checked are remembered for a short time, so that a request costs no database round trip for its
// key. A revocation, from any process or statement, reaches every instance at once through the kg_api_key_revoked
// notice (a database trigger sends it) and drops the key here (see notice-cache.ts for what happens without notices).
import { createNoticeCache, type NoticeCacheOptions } from '../../events/notice-cache.ts';
import { CHANNELS, type PubSub } from '../../events/pubsub.ts';
import type { Viewer } from '../viewer.ts';
import { hashApiKey } from './service.ts';

export type Authenticate = (key: string) => Promise<Viewer | null>;

export async function cachedAuthentication(
  authenticate: Authenticate,
  pubsub: PubSub,
  options: NoticeCacheOptions = {},
): Promise<Authenticate> {
  const viewers = await createNoticeCache<Viewer>(
    pubsub,
    CHANNELS.apiKeyRevoked,
    (notice, _hash, viewer) => viewer.apiKeyId === (notice as { apiKeyId?: unknown }).apiKeyId,
    options,
  );
  // Keyed by the key's hash: the clear key is never held longer than the request that presented it.
  return (key) => viewers.get(hashApiKey(key), () => authenticate(key));
}
