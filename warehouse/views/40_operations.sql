-- Layer 4, operations: runs and what they did.

-- ---------------------------------------------------------------- operations

CREATE OR REPLACE VIEW run_summary AS
SELECT r.run_id, r.started_at, r.finished_at, r.status, r.counts,
       (SELECT count(*) FROM fetches f WHERE f.run_id = r.run_id) AS urls_seen,
       (SELECT count(*) FROM fetches f WHERE f.run_id = r.run_id AND f.outcome = 'new') AS new_files,
       (SELECT count(*) FROM fetches f WHERE f.run_id = r.run_id AND f.outcome = 'changed') AS changed_files,
       (SELECT count(*) FROM fetches f WHERE f.run_id = r.run_id
            AND f.outcome IN ('http_error', 'too_large', 'timeout', 'error')) AS failed_fetches,
       (SELECT count(*) FROM document_versions v WHERE v.run_id = r.run_id) AS documents_loaded
FROM runs r;
