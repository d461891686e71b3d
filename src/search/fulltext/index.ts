import type { Database } from '../../db/database.ts';
import { EmbeddedFullTextIndex } from './embedded.ts';
import { MeilisearchFullTextIndex } from './meilisearch.ts';
import type { FullTextIndex } from './port.ts';

export type { FullTextEntry, FullTextHit, FullTextIndex, FullTextSearchOptions } from './port.ts';
export { FullTextEngineError } from './meilisearch.ts';

/** Meilisearch when a URL is given (its index is created and configured here), else the embedded engine. */
export async function createFullTextIndex(
  db: Database,
  options: { meilisearchUrl?: string; meilisearchApiKey?: string; indexName?: string } = {},
): Promise<FullTextIndex> {
  if (!options.meilisearchUrl) return new EmbeddedFullTextIndex(db);
  const index = new MeilisearchFullTextIndex({
    url: options.meilisearchUrl,
    apiKey: options.meilisearchApiKey,
    indexName: options.indexName,
  });
  await index.init();
  return index;
}
