import type { SegmentWithDocument } from '../../db/segment-rows.ts';

export interface FullTextEntry {
  nodeId: string;
  workspaceId: string;
  datasetId: string;
  documentId: string;
  segmentId: string;
  childChunkId?: string | null;
  content: string;
}

export interface FullTextHit {
  nodeId: string;
  segmentId: string;
  childChunkId: string | null;
  /** 0..1, higher is better. */
  score: number;
  /** The segment with its document, when asked for (`rows`) and the engine reads them in the search itself. */
  row?: SegmentWithDocument;
}

export interface FullTextSearchOptions {
  topK: number;
  /** Only entries of these documents (metadata filters are pushed down this way); an empty list matches nothing. */
  documentIds?: string[];
  /** Bring each hit's segment and document where the engine can in the same statement (the embedded one). */
  rows?: boolean;
}

/** Full-text search over index nodes: Meilisearch when configured, else the embedded engine in the database. */
export interface FullTextIndex {
  readonly engine: 'embedded' | 'meilisearch';
  /**
   * Whether search answers usable entries only (segment and document enabled, not archived, indexing completed), as
   * the embedded engine's statement checks itself; retrieval checks the hits of an engine that does not.
   */
  readonly answersUsableOnly: boolean;
  /** Adds entries, replacing those with the same node id. Written entries are searchable when it resolves. */
  upsert(entries: FullTextEntry[]): Promise<void>;
  deleteByNodeIds(nodeIds: string[]): Promise<void>;
  deleteByDocument(documentId: string): Promise<void>;
  deleteByDataset(datasetId: string): Promise<void>;
  /** The best `topK` entries of the dataset matching any of the query's words; [] for a query without words. */
  search(datasetId: string, query: string, options: FullTextSearchOptions): Promise<FullTextHit[]>;
}
