-- CreateTable
CREATE TABLE "fulltext_entries" (
    "node_id" TEXT NOT NULL,
    "workspace_id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "segment_id" UUID NOT NULL,
    "child_chunk_id" UUID,
    "content" TEXT NOT NULL,
    "terms" tsvector NOT NULL,

    CONSTRAINT "fulltext_entries_pkey" PRIMARY KEY ("node_id")
);

-- CreateIndex
CREATE INDEX "fulltext_entries_dataset_id_idx" ON "fulltext_entries"("dataset_id");

-- CreateIndex
CREATE INDEX "fulltext_entries_document_id_idx" ON "fulltext_entries"("document_id");

-- CreateIndex
CREATE INDEX "fulltext_entries_segment_id_idx" ON "fulltext_entries"("segment_id");

-- CreateIndex
CREATE INDEX "fulltext_entries_terms_idx" ON "fulltext_entries" USING GIN ("terms");

-- AddForeignKey
ALTER TABLE "fulltext_entries" ADD CONSTRAINT "fulltext_entries_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
