-- Announce every key revocation on kg_api_key_revoked (LISTEN/NOTIFY), whichever process or statement revokes it
-- (the CLI, a dataset deletion), so that servers end the subscriptions still streaming with that key.
CREATE FUNCTION "kg_notify_api_key_revoked"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('kg_api_key_revoked', json_build_object('apiKeyId', NEW."id")::text);
  RETURN NEW;
END;
$$;

CREATE TRIGGER "api_keys_revoked_notify"
  AFTER UPDATE OF "revoked_at" ON "api_keys"
  FOR EACH ROW
  WHEN (OLD."revoked_at" IS NULL AND NEW."revoked_at" IS NOT NULL)
  EXECUTE FUNCTION "kg_notify_api_key_revoked"();
