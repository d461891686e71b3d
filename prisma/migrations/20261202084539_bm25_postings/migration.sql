-- BM25 for the embedded full-text engine: an inverted index (fulltext_postings) and each entry's length replace the
-- tsvector column and its GIN index.

-- CreateTable
CREATE TABLE "fulltext_postings" (
    "dataset_id" UUID NOT NULL,
    "term" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "tf" INTEGER NOT NULL,

    CONSTRAINT "fulltext_postings_pkey" PRIMARY KEY ("dataset_id","term","node_id")
);

-- CreateIndex
CREATE INDEX "fulltext_postings_node_id_idx" ON "fulltext_postings"("node_id");

-- AddForeignKey
ALTER TABLE "fulltext_postings" ADD CONSTRAINT "fulltext_postings_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "fulltext_entries"("node_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "fulltext_entries" ADD COLUMN     "length" INTEGER NOT NULL DEFAULT 0;

-- Backfill existing entries: text without CJK characters is analysed again with the `english` configuration; text with
-- CJK keeps the words the ICU segmenter cut before (re-indexing a document refreshes them with the full analysis).
INSERT INTO "fulltext_postings" ("dataset_id", "term", "node_id", "tf")
SELECT e."dataset_id", t.lexeme, e."node_id", coalesce(array_length(t.positions, 1), 1)
  FROM "fulltext_entries" e,
       LATERAL unnest(CASE WHEN e."content" ~ '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]'
                           THEN e."terms" ELSE to_tsvector('english', e."content") END) AS t;

UPDATE "fulltext_entries" e
   SET "length" = coalesce((SELECT sum(p."tf") FROM "fulltext_postings" p WHERE p."node_id" = e."node_id"), 0);

-- DropIndex
DROP INDEX "fulltext_entries_terms_idx";

-- AlterTable
ALTER TABLE "fulltext_entries" DROP COLUMN "terms";
