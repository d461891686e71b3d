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
}

/** Full-text search over index nodes: Meilisearch when configured, else the embedded engine in the database. */
export interface FullTextIndex {
  readonly engine: 'embedded' | 'meilisearch';
  upsert(entries: FullTextEntry[]): Promise<void>;
  deleteByNodeIds(nodeIds: string[]): Promise<void>;
  deleteByDocument(documentId: string): Promise<void>;
  deleteByDataset(datasetId: string): Promise<void>;
  search(datasetId: string, query: string, options: { topK: number; documentIds?: string[] }): Promise<FullTextHit[]>;
}
