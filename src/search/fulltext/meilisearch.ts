// Meilisearch as the full-text engine (MEILISEARCH_URL), with the official client. One index holds every node;
// filters keep searches inside a dataset (and, for metadata filters, inside chosen documents). Writes wait for
// Meilisearch's task to finish, so an entry is searchable when the call returns.
import { Meilisearch, MeilisearchApiError, MeilisearchRequestError } from 'meilisearch';
import type { FullTextEntry, FullTextHit, FullTextIndex } from './port.ts';

interface Doc {
  node_id: string;
  workspace_id: string;
  dataset_id: string;
  document_id: string;
  segment_id: string;
  child_chunk_id: string | null;
  content: string;
}

export class FullTextEngineError extends Error {
  override name = 'FullTextEngineError';
}

const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

export class MeilisearchFullTextIndex implements FullTextIndex {
  readonly engine = 'meilisearch' as const;
  private readonly client: Meilisearch;

  constructor(
    url: string,
    apiKey: string | undefined,
    private readonly indexName: string,
  ) {
    this.client = new Meilisearch({ host: url, apiKey });
  }

  private index() {
    return this.client.index<Doc>(this.indexName);
  }

  private async run<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof MeilisearchApiError || error instanceof MeilisearchRequestError) {
        throw new FullTextEngineError(`Meilisearch ${what} failed: ${error.message}`);
      }
      throw error;
    }
  }

  /** Creates the index and its settings (idempotent). */
  async init(): Promise<void> {
    await this.run('setup', async () => {
      await this.client.createIndex(this.indexName, { primaryKey: 'node_id' }).waitTask();
      await this.index()
        .updateSettings({
          filterableAttributes: ['dataset_id', 'document_id', 'segment_id', 'workspace_id'],
          searchableAttributes: ['content'],
        })
        .waitTask();
    });
  }

  async upsert(entries: FullTextEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const docs: Doc[] = entries.map((e) => ({
      node_id: e.nodeId,
      workspace_id: e.workspaceId,
      dataset_id: e.datasetId,
      document_id: e.documentId,
      segment_id: e.segmentId,
      child_chunk_id: e.childChunkId ?? null,
      content: e.content,
    }));
    await this.run('indexing', () => this.index().addDocuments(docs).waitTask());
  }

  async deleteByNodeIds(nodeIds: string[]): Promise<void> {
    if (nodeIds.length === 0) return;
    await this.run('delete', () => this.index().deleteDocuments(nodeIds).waitTask());
  }

  async deleteByDocument(documentId: string): Promise<void> {
    await this.run('delete', () => this.index().deleteDocuments({ filter: `document_id = ${quote(documentId)}` }).waitTask());
  }

  async deleteByDataset(datasetId: string): Promise<void> {
    await this.run('delete', () => this.index().deleteDocuments({ filter: `dataset_id = ${quote(datasetId)}` }).waitTask());
  }

  async search(datasetId: string, query: string, options: { topK: number; documentIds?: string[] }): Promise<FullTextHit[]> {
    if (!query.trim() || options.topK <= 0) return [];
    const filter = [`dataset_id = ${quote(datasetId)}`];
    if (options.documentIds) {
      if (options.documentIds.length === 0) return [];
      filter.push(`document_id IN [${options.documentIds.map(quote).join(', ')}]`);
    }
    const result = await this.run('search', () =>
      this.index().search(query, { filter, limit: options.topK, showRankingScore: true }),
    );
    return result.hits.map((hit) => ({
      nodeId: hit.node_id,
      segmentId: hit.segment_id,
      childChunkId: hit.child_chunk_id,
      score: hit._rankingScore ?? 0,
    }));
  }
}
