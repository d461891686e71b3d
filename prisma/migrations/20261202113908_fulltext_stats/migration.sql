-- AlterTable
ALTER TABLE "fulltext_entries" ADD COLUMN     "usable" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "fulltext_stats" (
    "dataset_id" UUID NOT NULL,
    "entries" BIGINT NOT NULL DEFAULT 0,
    "total_length" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "fulltext_stats_pkey" PRIMARY KEY ("dataset_id")
);

-- AddForeignKey
ALTER TABLE "fulltext_stats" ADD CONSTRAINT "fulltext_stats_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- BM25's statistics per dataset, kept in the statements that change them, so a query reads one row instead of
-- counting the dataset's entries. An entry is `usable` when retrieval may return it (segment enabled, document enabled
-- and not archived); triggers on segments and documents keep the flag, triggers on fulltext_entries the sums.

-- Whether retrieval may return the entries of a segment.
CREATE FUNCTION fulltext_segment_usable(segment UUID) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT s.enabled AND d.enabled AND NOT d.archived
                     FROM segments s JOIN documents d ON d.id = s.document_id
                    WHERE s.id = segment), false)
$$;

-- A new entry (or one moved to another segment) takes its segment's state.
CREATE FUNCTION fulltext_entry_set_usable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.usable := fulltext_segment_usable(NEW.segment_id);
  RETURN NEW;
END
$$;

CREATE TRIGGER fulltext_entries_usable BEFORE INSERT OR UPDATE OF segment_id ON fulltext_entries
  FOR EACH ROW EXECUTE FUNCTION fulltext_entry_set_usable();

-- Adds each statement's change in usable entries and their lengths to the datasets' sums (one row per dataset).
CREATE FUNCTION fulltext_stats_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO fulltext_stats AS f (dataset_id, entries, total_length)
    SELECT dataset_id, count(*), sum(length) FROM new_rows WHERE usable GROUP BY dataset_id
    ON CONFLICT (dataset_id) DO UPDATE
      SET entries = f.entries + EXCLUDED.entries, total_length = f.total_length + EXCLUDED.total_length;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO fulltext_stats AS f (dataset_id, entries, total_length)
    SELECT dataset_id, sum(n), sum(len)
      FROM (SELECT dataset_id, 1 AS n, length AS len FROM new_rows WHERE usable
            UNION ALL
            SELECT dataset_id, -1, -length FROM old_rows WHERE usable) AS change
     GROUP BY dataset_id
    HAVING sum(n) <> 0 OR sum(len) <> 0
    ON CONFLICT (dataset_id) DO UPDATE
      SET entries = f.entries + EXCLUDED.entries, total_length = f.total_length + EXCLUDED.total_length;
  ELSE
    -- Only subtracts: when a dataset is being deleted its row may be gone already, and must not come back.
    UPDATE fulltext_stats f SET entries = f.entries - gone.n, total_length = f.total_length - gone.len
      FROM (SELECT dataset_id, count(*) AS n, sum(length) AS len FROM old_rows WHERE usable GROUP BY dataset_id) AS gone
     WHERE f.dataset_id = gone.dataset_id;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER fulltext_stats_insert AFTER INSERT ON fulltext_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fulltext_stats_apply();
CREATE TRIGGER fulltext_stats_update AFTER UPDATE ON fulltext_entries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fulltext_stats_apply();
CREATE TRIGGER fulltext_stats_delete AFTER DELETE ON fulltext_entries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fulltext_stats_apply();

-- A segment enabled or disabled: its entries follow.
CREATE FUNCTION fulltext_segment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  now_usable BOOLEAN := fulltext_segment_usable(NEW.id);
BEGIN
  UPDATE fulltext_entries SET usable = now_usable WHERE segment_id = NEW.id AND usable <> now_usable;
  RETURN NULL;
END
$$;

CREATE TRIGGER segments_fulltext_usable AFTER UPDATE OF enabled, document_id ON segments
  FOR EACH ROW WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.document_id IS DISTINCT FROM NEW.document_id)
  EXECUTE FUNCTION fulltext_segment_changed();

-- A document enabled, disabled, archived or unarchived: the entries of its enabled segments follow.
CREATE FUNCTION fulltext_document_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  now_usable BOOLEAN := NEW.enabled AND NOT NEW.archived;
BEGIN
  UPDATE fulltext_entries e SET usable = (s.enabled AND now_usable)
    FROM segments s
   WHERE s.document_id = NEW.id AND e.segment_id = s.id AND e.usable <> (s.enabled AND now_usable);
  RETURN NULL;
END
$$;

CREATE TRIGGER documents_fulltext_usable AFTER UPDATE OF enabled, archived ON documents
  FOR EACH ROW WHEN ((OLD.enabled AND NOT OLD.archived) IS DISTINCT FROM (NEW.enabled AND NOT NEW.archived))
  EXECUTE FUNCTION fulltext_document_changed();

-- Existing entries: their flag (the update trigger adds them to the sums).
UPDATE fulltext_entries SET usable = fulltext_segment_usable(segment_id);
