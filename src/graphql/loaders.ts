import DataLoader from 'dataloader';
import type { Prisma } from '../db/database.ts';

export interface DatasetStats {
  documentCount: number;
  availableDocumentCount: number;
  wordCount: number;
  /** The doc_form of the dataset's first document, which Dify reports as the dataset's. */
  firstDocForm: string | null;
}

const EMPTY_STATS: DatasetStats = { documentCount: 0, availableDocumentCount: 0, wordCount: 0, firstDocForm: null };

/** Per-request batch loaders: one query for the derived numbers of every dataset on a page. */
export function createLoaders(prisma: Prisma) {
  return {
    accountName: new DataLoader<string, string | null>(async (ids) => {
      const accounts = await prisma.account.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, name: true },
      });
      return ids.map((id) => accounts.find((a) => a.id === id)?.name ?? null);
    }),
    datasetStats: new DataLoader<string, DatasetStats>(async (ids) => {
      const rows = await prisma.$queryRawUnsafe<
        { dataset_id: string; documents: bigint; available: bigint; words: bigint; first_doc_form: string | null }[]
      >(
        `SELECT dataset_id,
                count(*) AS documents,
                count(*) FILTER (WHERE indexing_status = 'completed' AND enabled AND NOT archived) AS available,
                coalesce(sum(word_count), 0) AS words,
                (array_agg(doc_form ORDER BY position))[1] AS first_doc_form
           FROM documents WHERE dataset_id = ANY($1::uuid[]) GROUP BY dataset_id`,
        [...ids],
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
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
