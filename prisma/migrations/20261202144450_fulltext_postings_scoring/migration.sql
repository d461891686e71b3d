-- BM25 scores from the postings alone: each posting carries what scoring needs of its entry (the entry's length and
-- whether it is usable), and one index holds every column a query reads, so that a query's postings are one index
-- range (an index-only scan once the pages are all-visible) and fulltext_entries is read for the top k only.
-- The primary key becomes (node_id, term), which also serves what the node_id index served (an entry's postings).

-- DropIndex
DROP INDEX "fulltext_postings_node_id_idx";

-- AlterTable
ALTER TABLE "fulltext_postings" DROP CONSTRAINT "fulltext_postings_pkey",
ADD COLUMN     "length" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "usable" BOOLEAN NOT NULL DEFAULT false,
ADD CONSTRAINT "fulltext_postings_pkey" PRIMARY KEY ("node_id", "term");

-- Existing postings take their entry's values.
UPDATE "fulltext_postings" p SET "length" = e."length", "usable" = e."usable"
  FROM "fulltext_entries" e
 WHERE e."node_id" = p."node_id";

-- Index-only scans skip the heap only on pages the visibility map marks all-visible, which (auto)vacuum does. By
-- default autovacuum visits a table after inserts of 20% of its rows, so up to a fifth of a large index would keep
-- costing heap fetches; 1% keeps that tail small. (PGlite has no autovacuum: the engine vacuums there itself.)
ALTER TABLE "fulltext_postings" SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.02);

-- CreateIndex
CREATE INDEX "fulltext_postings_scoring_idx" ON "fulltext_postings"("dataset_id", "term", "usable", "node_id", "tf", "length");

-- An entry's postings follow its flag and length when they change after the entry was written: a segment or a document
-- enabled, disabled, archived or unarchived (the triggers of migration 20261202113908_fulltext_stats update the
-- entries), or an entry moved to another segment. The statement that writes an entry writes its postings' copies.
CREATE FUNCTION fulltext_postings_follow_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE fulltext_postings SET usable = NEW.usable, length = NEW.length
   WHERE node_id = NEW.node_id AND (usable <> NEW.usable OR length <> NEW.length);
  RETURN NULL;
END
$$;

CREATE TRIGGER fulltext_entries_postings AFTER UPDATE ON fulltext_entries
  FOR EACH ROW WHEN (OLD.usable IS DISTINCT FROM NEW.usable OR OLD.length IS DISTINCT FROM NEW.length)
  EXECUTE FUNCTION fulltext_postings_follow_entry();
