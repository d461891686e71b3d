// Keeps the search indexes in step with segments and child chunks: vectors in pgvector (high_quality datasets) and
// text in the full-text engine (every dataset). The pipeline and the segment/child-chunk mutations both write through
// here, so an edit re-embeds and re-indexes exactly as indexing does.
import type { FullTextEntry, FullTextIndex } from '../search/fulltext/index.ts';
import type { PgVectorStore, VectorRow } from '../search/vector/pgvector-store.ts';
import type { EmbeddingProvider } from './embed/index.ts';

/** A segment or child chunk as the indexes see it. */
export type IndexNode = FullTextEntry;

export interface DatasetIndexing {
  indexingTechnique: string | null;
  embeddingModel: string | null;
  embeddingModelProvider: string | null;
}

/** Vectors computed for nodes, not yet written. */
export interface Embedded {
  rows: VectorRow[];
  tokens: number[];
}

export type EmbeddingResolver = (provider: string, model: string) => EmbeddingProvider | undefined;

export class EmbeddingUnavailableError extends Error {
  override name = 'EmbeddingUnavailableError';
}

const EMBEDDED_TEXT_NODES = 16;

export class SearchIndexes {
  constructor(
    readonly vectors: PgVectorStore,
    readonly fullText: FullTextIndex,
    private readonly resolveEmbedding: EmbeddingResolver,
  ) {}

  /** The dataset's embedding model, or null for economy datasets. */
  embedderFor(dataset: DatasetIndexing): EmbeddingProvider | null {
    if (dataset.indexingTechnique !== 'high_quality') return null;
    const provider = dataset.embeddingModelProvider ?? '';
    const model = dataset.embeddingModel ?? '';
    const embedder = this.resolveEmbedding(provider, model);
    if (!embedder) {
      throw new EmbeddingUnavailableError(
        `No Embedding Model available: ${provider}/${model} is not configured on this gateway.`,
      );
    }
    return embedder;
  }

  /** Indexes the nodes; answers the embedding tokens spent on each (0 for economy datasets). */
  async add(dataset: DatasetIndexing, nodes: IndexNode[], signal?: AbortSignal): Promise<number[]> {
    if (nodes.length === 0) return [];
    const embedded = await this.embed(dataset, nodes, signal);
    if (embedded) await this.vectors.upsert(embedded.rows);
    await this.addText(nodes);
    return embedded?.tokens ?? nodes.map(() => 0);
  }

  /**
   * The nodes' vectors (and the tokens spent on each), ready to write, with the index for their dimension in place;
   * null for economy datasets.
   */
  async embed(dataset: DatasetIndexing, nodes: IndexNode[], signal?: AbortSignal): Promise<Embedded | null> {
    const embedder = this.embedderFor(dataset);
    if (!embedder || nodes.length === 0) return null;
    const result = await embedder.embed(
      nodes.map((n) => n.content),
      { signal },
    );
    const rows = nodes.map((node, i) => ({ ...node, model: embedder.model, vector: result.vectors[i] as number[] }));
    for (const dimension of new Set(rows.map((r) => r.vector.length))) await this.vectors.ensureIndex(dimension);
    return { rows, tokens: result.tokens };
  }

  /**
   * Writes the nodes to the full-text engine. On PGlite a statement holds the database's one session, so a request
   * that comes meanwhile waits for it: the embedded engine's postings (about 1 ms of work per segment there) are
   * written a few nodes per statement.
   */
  async addText(nodes: IndexNode[]): Promise<void> {
    const perStatement =
      this.fullText.engine === 'embedded' && this.vectors.databaseKind === 'pglite' ? EMBEDDED_TEXT_NODES : nodes.length;
    for (let start = 0; start < nodes.length; start += perStatement) {
      await this.fullText.upsert(nodes.slice(start, start + perStatement));
    }
  }

  async removeNodes(nodeIds: string[]): Promise<void> {
    if (nodeIds.length === 0) return;
    await this.vectors.deleteByNodeIds(nodeIds);
    await this.fullText.deleteByNodeIds(nodeIds);
  }

  /**
   * Entries of the documents whose segments are gone. The embedded engine's entries go with their segments (foreign
   * key), so only an external engine (Meilisearch) needs this.
   */
  async removeDocumentsOutside(documentIds: string[]): Promise<void> {
    if (this.fullText.engine !== 'embedded') await this.removeDocuments(documentIds);
  }

  async removeDocuments(documentIds: string[]): Promise<void> {
    for (const id of documentIds) await this.fullText.deleteByDocument(id);
  }

  async removeDataset(datasetId: string): Promise<void> {
    await this.fullText.deleteByDataset(datasetId);
  }
}
