-- Claims up to `max_jobs` due indexing jobs for one worker in one round trip. Claims are serialised by a
-- transaction-scoped advisory lock (the key the worker used before: 0x6b677100); each statement of a plpgsql function
-- takes a fresh snapshot, so the claim below sees every claim committed before the lock was granted. At most one job
-- per document is claimed, and none of a document that a live lease holds.
CREATE FUNCTION claim_indexing_jobs(worker TEXT, lease_ms INTEGER, max_jobs INTEGER)
  RETURNS TABLE (job_id UUID, job_document_id UUID, job_attempts INTEGER)
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1801941248);
  -- Leases that ran out belong to dead workers: their jobs are due again, cancelled ones are simply dropped.
  DELETE FROM indexing_jobs c WHERE c.status = 'cancelled' AND c.lease_until < now();
  RETURN QUERY
    UPDATE indexing_jobs u
       SET status = 'running', locked_by = worker, attempts = u.attempts + 1,
           lease_until = now() + (lease_ms * interval '1 millisecond'), updated_at = now()
     WHERE u.id IN (
       SELECT pick.id FROM (
         SELECT DISTINCT ON (d.document_id) d.id, d.run_at, d.created_at
           FROM (SELECT j.id, j.document_id, j.run_at, j.created_at FROM indexing_jobs j
                  WHERE ((j.status = 'queued' AND j.run_at <= now()) OR (j.status = 'running' AND j.lease_until < now()))
                    AND NOT EXISTS (SELECT 1 FROM indexing_jobs r
                                     WHERE r.document_id = j.document_id AND r.id <> j.id
                                       AND r.status IN ('running', 'cancelled') AND r.lease_until >= now())
                  ORDER BY j.run_at, j.created_at
                  LIMIT max_jobs * 4
                  FOR UPDATE SKIP LOCKED) AS d
          ORDER BY d.document_id, d.run_at, d.created_at) AS pick
        ORDER BY pick.run_at, pick.created_at
        LIMIT max_jobs)
    RETURNING u.id, u.document_id, u.attempts;
END
$$;
