// Meilisearch as the full-text engine (MEILISEARCH_URL), with the official client. One index holds every node;
// filters keep searches inside a dataset (and, for metadata filters, inside chosen documents). Writes wait for
// Meilisearch's task to finish and fail when it fails, so an entry is searchable when the call returns.
import {
  type EnqueuedTaskPromise,
  Meilisearch,
  MeilisearchApiError,
  MeilisearchError,
  MeilisearchRequestError,
  type MatchingStrategies,
} from 'meilisearch';
import { STOP_WORDS } from '../../indexing/text/stop-words.ts';
import { tokenize } from '../../indexing/text/tokenize.ts';
import type { FullTextEntry, FullTextHit, FullTextIndex, FullTextSearchOptions } from './port.ts';

export const DEFAULT_MEILISEARCH_INDEX = 'knowledge_gateway_segments';

export interface MeilisearchOptions {
  url: string;
  apiKey?: string;
  /** Default 'knowledge_gateway_segments'. */
  indexName?: string;
  /** Time limit of one HTTP request; default 30 s. */
  requestTimeoutMs?: number;
  /** How long a write waits for its task; default 60 s. */
  taskTimeoutMs?: number;
  /** Documents per addDocuments call; default 1,000. */
  batchSize?: number;
}

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

/**
 * Natural-language questions carry many common words: 'frequency' lets Meilisearch give up the most common ones
 * first when too few entries contain them all ('last', its default, would require the question's first words).
 */
const MATCHING_STRATEGY: MatchingStrategies = 'frequency';

export const RANKING_RULES = ['words', 'typo', 'proximity', 'attribute', 'exactness'];

/** The English part of the shared stop-word list. */
const ENGLISH_STOP_WORDS = [...STOP_WORDS].filter((word) => /^[a-z']+$/.test(word));

/** A filter value: double-quoted, with `"` and `\` escaped. */
const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

function reasonOf(error: MeilisearchError): string {
  if (error instanceof MeilisearchApiError) {
    const code = error.cause?.code ? ` (${error.cause.code})` : '';
    return `HTTP ${error.response.status}${code}: ${error.cause?.message ?? error.message}`;
  }
  if (error instanceof MeilisearchRequestError) {
    // fetch's "fetch failed" keeps the reason (ECONNREFUSED, ENOTFOUND…) one level further down.
    const cause = error.cause as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
    const inner = cause?.cause?.code ?? cause?.cause?.message;
    const reason = [cause?.message, inner].filter((v) => typeof v === 'string').join(', ');
    return reason ? `${error.message} (${reason})` : error.message;
  }
  return error.message;
}

export class MeilisearchFullTextIndex implements FullTextIndex {
  readonly engine = 'meilisearch' as const;
  readonly answersUsableOnly = false;
  readonly indexName: string;
  private readonly client: Meilisearch;
  private readonly taskTimeoutMs: number;
  private readonly batchSize: number;

  constructor(options: MeilisearchOptions) {
    this.client = new Meilisearch({ host: options.url, apiKey: options.apiKey, timeout: options.requestTimeoutMs ?? 30_000 });
    this.indexName = options.indexName ?? DEFAULT_MEILISEARCH_INDEX;
    this.taskTimeoutMs = options.taskTimeoutMs ?? 60_000;
    this.batchSize = options.batchSize ?? 1000;
  }

  private index() {
    return this.client.index<Doc>(this.indexName);
  }

  /** Runs `work`, turning the client's errors into one readable error naming the operation. */
  private async run<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof FullTextEngineError) throw error;
      if (error instanceof MeilisearchError) {
        throw new FullTextEngineError(`Meilisearch ${what} on index ${this.indexName} failed: ${reasonOf(error)}`, { cause: error });
      }
      throw error;
    }
  }

  /** Waits for the task; a task that failed (or was canceled) throws, unless its error code is in `tolerated`. */
  private async settle(what: string, task: EnqueuedTaskPromise, tolerated: string[] = []): Promise<void> {
    const done = await task.waitTask({ timeout: this.taskTimeoutMs });
    if (done.status === 'succeeded') return;
    if (done.error && tolerated.includes(done.error.code)) return;
    const reason = done.error ? `${done.error.message} (${done.error.code})` : `the task was ${done.status}`;
    throw new FullTextEngineError(`Meilisearch ${what} on index ${this.indexName} failed: ${reason}`);
  }

  /** Creates the index and its settings (idempotent: an existing index is kept and its settings updated). */
  async init(): Promise<void> {
    await this.run('setup', async () => {
      await this.settle('setup', this.client.createIndex(this.indexName, { primaryKey: 'node_id' }), ['index_already_exists']);
      await this.settle(
        'setup',
        this.index().updateSettings({
          filterableAttributes: ['workspace_id', 'dataset_id', 'document_id', 'segment_id'],
          searchableAttributes: ['content'],
          // Relevance first: how many of the query's words an entry holds, then typos and proximity; no sort rule
          // (results are never sorted by a field). With MATCHING_STRATEGY 'frequency' an entry holding only some of
          // the words still matches (recall), while entries holding more of them rank first.
          rankingRules: RANKING_RULES,
          // The same English stop words as keyword extraction: they neither match nor count as missing words.
          stopWords: ENGLISH_STOP_WORDS,
        }),
      );
    });
  }

  async upsert(entries: FullTextEntry[]): Promise<void> {
    const docs: Doc[] = entries.map((e) => ({
      node_id: e.nodeId,
      workspace_id: e.workspaceId,
      dataset_id: e.datasetId,
      document_id: e.documentId,
      segment_id: e.segmentId,
      child_chunk_id: e.childChunkId ?? null,
      content: e.content,
    }));
    await this.run('indexing', async () => {
      for (let start = 0; start < docs.length; start += this.batchSize) {
        // addDocuments replaces a document with the same id as a whole, which is what upsert means here.
        await this.settle('indexing', this.index().addDocuments(docs.slice(start, start + this.batchSize), { primaryKey: 'node_id' }));
      }
    });
  }

  async deleteByNodeIds(nodeIds: string[]): Promise<void> {
    if (nodeIds.length === 0) return;
    await this.run('delete', () => this.settle('delete', this.index().deleteDocuments(nodeIds)));
  }

  async deleteByDocument(documentId: string): Promise<void> {
    await this.deleteWhere(`document_id = ${quote(documentId)}`);
  }

  async deleteByDataset(datasetId: string): Promise<void> {
    await this.deleteWhere(`dataset_id = ${quote(datasetId)}`);
  }

  private async deleteWhere(filter: string): Promise<void> {
    await this.run('delete', () => this.settle('delete', this.index().deleteDocuments({ filter })));
  }

  async search(datasetId: string, query: string, options: FullTextSearchOptions): Promise<FullTextHit[]> {
    // Same rule as the embedded engine: a query without words finds nothing (Meilisearch would list everything).
    if (tokenize(query).length === 0 || options.topK <= 0 || options.documentIds?.length === 0) return [];
    const filter = [`dataset_id = ${quote(datasetId)}`];
    if (options.documentIds) filter.push(`document_id IN [${options.documentIds.map(quote).join(', ')}]`);
    const result = await this.run('search', () =>
      this.index().search(query, {
        filter,
        limit: Math.floor(options.topK),
        showRankingScore: true,
        matchingStrategy: MATCHING_STRATEGY,
        attributesToRetrieve: ['node_id', 'segment_id', 'child_chunk_id'],
      }),
    );
    return result.hits.map((hit) => ({
      nodeId: hit.node_id,
      segmentId: hit.segment_id,
      childChunkId: hit.child_chunk_id ?? null,
      score: hit._rankingScore ?? 0,
    }));
  }
}
