import DataLoader from 'dataloader';
import type { Database, Prisma } from '../db/database.ts';
import { type SegmentWithDocument, loadSegmentRows } from '../db/segment-rows.ts';

export interface DatasetStats {
  documentCount: number;
  availableDocumentCount: number;
  wordCount: number;
  /** The doc_form of the dataset's first document, which Dify reports as the dataset's. */
  firstDocForm: string | null;
}

export interface DocumentStats {
  segmentCount: number;
  hitCount: number;
}

export interface BoundMetadataField {
  id: string;
  name: string;
  type: string;
}

const EMPTY_STATS: DatasetStats = { documentCount: 0, availableDocumentCount: 0, wordCount: 0, firstDocForm: null };

/** Per-request batch loaders: one query for the derived numbers of every dataset on a page. */
export function createLoaders(prisma: Prisma, query: Database['query']) {
  return {
    accountName: new DataLoader<string, string | null>(async (ids) => {
      const accounts = await prisma.account.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, name: true },
      });
      return ids.map((id) => accounts.find((a) => a.id === id)?.name ?? null);
    }),
    datasetStats: new DataLoader<string, DatasetStats>(async (ids) => {
      const rows = await query<{ dataset_id: string; documents: string; available: string; words: string; first_doc_form: string | null }>(
        `SELECT dataset_id,
                count(*) AS documents,
                count(*) FILTER (WHERE indexing_status = 'completed' AND enabled AND NOT archived) AS available,
                coalesce(sum(word_count), 0) AS words,
                (array_agg(doc_form ORDER BY position))[1] AS first_doc_form
           FROM documents WHERE dataset_id = ANY($1::uuid[]) GROUP BY dataset_id`,
        [[...ids]],
      );
      const byId = new Map(
        rows.map((r) => [
          r.dataset_id,
          {
            documentCount: Number(r.documents),
            availableDocumentCount: Number(r.available),
            wordCount: Number(r.words),
            firstDocForm: r.first_doc_form,
          },
        ]),
      );
      return ids.map((id) => byId.get(id) ?? EMPTY_STATS);
    }),
    /** Segment count and hit-count sum of every document on a page, in one statement. */
    // Not cached: a mutation that changes segments may read these again later in the same request.
    documentStats: new DataLoader<string, DocumentStats>(async (ids) => {
      const rows = await query<{ document_id: string; segments: string; hits: string }>(
        `SELECT document_id, count(*) AS segments, coalesce(sum(hit_count), 0) AS hits
           FROM segments WHERE document_id = ANY($1::uuid[]) GROUP BY document_id`,
        [[...ids]],
      );
      const byId = new Map(rows.map((r) => [r.document_id, { segmentCount: Number(r.segments), hitCount: Number(r.hits) }]));
      return ids.map((id) => byId.get(id) ?? { segmentCount: 0, hitCount: 0 });
    }, { cache: false }),
    /** The custom metadata fields bound to every document on a page, oldest field first, in one statement. */
    documentMetadataFields: new DataLoader<string, BoundMetadataField[]>(async (ids) => {
      const rows = await query<BoundMetadataField & { document_id: string }>(
        `SELECT b.document_id, f.id, f.name, f.type
           FROM dataset_metadata_bindings b JOIN dataset_metadatas f ON f.id = b.metadata_id
          WHERE b.document_id = ANY($1::uuid[])
          ORDER BY f.created_at, f.id`,
        [[...ids]],
      );
      const byDocument = new Map<string, BoundMetadataField[]>();
      for (const { document_id, id, name, type } of rows) {
        byDocument.set(document_id, [...(byDocument.get(document_id) ?? []), { id, name, type }]);
      }
      return ids.map((id) => byDocument.get(id) ?? []);
    }, { cache: false }),
    /** Segments with their documents (retrieval records the search did not bring rows for), in one statement. */
    segmentRows: new DataLoader<string, SegmentWithDocument | null>(async (ids) => {
      const rows = await loadSegmentRows(query, ids);
      return ids.map((id) => rows.get(id) ?? null);
    }, { cache: false }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
