-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "last_document_position" INTEGER NOT NULL DEFAULT 0;

-- Existing datasets continue from their highest document position.
UPDATE "datasets" SET "last_document_position" = p."position"
  FROM (SELECT "dataset_id", max("position") AS "position" FROM "documents" GROUP BY "dataset_id") p
 WHERE p."dataset_id" = "datasets"."id";
