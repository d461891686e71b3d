// Datasets as retrieval reads them, remembered between requests so that a search costs no round trip for its
// dataset. Any change to what retrieval uses (settings, models, API access, owner) or a deletion, from any process
// or statement, reaches every instance through the kg_dataset_changed notice (a database trigger sends it); this
// process's own writes also forget at once, so a client that changes a dataset and then searches sees the change.
import type { Prisma } from '../../db/database.ts';
import type { Dataset } from '../../db/generated/prisma/client.ts';
import { createNoticeCache, type NoticeCacheOptions } from '../../events/notice-cache.ts';
import { CHANNELS, type PubSub } from '../../events/pubsub.ts';

export interface DatasetCache {
  find(id: string): Promise<Dataset | null>;
  forget(id: string): void;
}

export async function createDatasetCache(prisma: Prisma, pubsub: PubSub, options: NoticeCacheOptions = {}): Promise<DatasetCache> {
  const datasets = await createNoticeCache<Dataset>(
    pubsub,
    CHANNELS.datasetChanged,
    (notice, id) => id === (notice as { datasetId?: unknown }).datasetId,
    options,
  );
  return {
    find: (id) => datasets.get(id, () => prisma.dataset.findUnique({ where: { id } })),
    forget: (id) => datasets.forget(id),
  };
}
