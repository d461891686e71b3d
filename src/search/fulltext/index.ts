import type { Database } from '../../db/database.ts';
import { EmbeddedFullTextIndex } from './embedded.ts';
import { MeilisearchFullTextIndex } from './meilisearch.ts';
import type { FullTextIndex } from './port.ts';

export type { FullTextEntry, FullTextHit, FullTextIndex } from './port.ts';

export async function createFullTextIndex(
  db: Database,
  options: { meilisearchUrl?: string; meilisearchApiKey?: string; indexName?: string },
): Promise<FullTextIndex> {
  if (!options.meilisearchUrl) return new EmbeddedFullTextIndex(db);
  const index = new MeilisearchFullTextIndex(options.meilisearchUrl, options.meilisearchApiKey, options.indexName ?? 'knowledge_gateway_segments');
  await index.init();
  return index;
}
