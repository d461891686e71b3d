-- Announce on kg_dataset_changed every change to what a search reads from its dataset (owner, API access, technique,
-- models, retrieval settings) and every deletion (cascades from a workspace included), whichever process or
-- statement makes it, so that servers drop the dataset from their caches (src/domain/datasets/dataset-cache.ts).
-- Other columns (the document position counter, names, descriptions) change without a notice.
CREATE FUNCTION "kg_notify_dataset_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('kg_dataset_changed', json_build_object('datasetId', OLD."id")::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "datasets_changed_notify"
  AFTER UPDATE ON "datasets"
  FOR EACH ROW
  WHEN ((OLD."workspace_id", OLD."enable_api", OLD."indexing_technique", OLD."embedding_model",
         OLD."embedding_model_provider", OLD."retrieval_model"::text)
        IS DISTINCT FROM
        (NEW."workspace_id", NEW."enable_api", NEW."indexing_technique", NEW."embedding_model",
         NEW."embedding_model_provider", NEW."retrieval_model"::text))
  EXECUTE FUNCTION "kg_notify_dataset_changed"();

CREATE TRIGGER "datasets_deleted_notify"
  AFTER DELETE ON "datasets"
  FOR EACH ROW
  EXECUTE FUNCTION "kg_notify_dataset_changed"();
