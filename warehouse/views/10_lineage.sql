-- Layer 1, lineage: versions, which is latest, the documents contract view.
-- Contract views (docs/CONTRACT.md): documents, budget_lines, unit_year_summary; their column
-- names are fixed, extra columns are additions. "Latest" views use only versions that no later
-- delivery of one of their URLs has superseded.

-- a / b rounded half-up to the cent, in exact integer arithmetic (DuckDB's DECIMAL division
-- returns DOUBLE). NULL when b is NULL or 0. Both arguments must have at most 2 decimals.
CREATE OR REPLACE MACRO div2(a, b) AS
    CASE WHEN a IS NULL OR b IS NULL OR b = 0 THEN NULL ELSE
        CAST(sign(a) * sign(b) * ((200 * abs(CAST(a * 100 AS HUGEINT)) + abs(CAST(b * 100 AS HUGEINT)))
             // (2 * abs(CAST(b * 100 AS HUGEINT)))) AS DECIMAL(38, 0)) * 0.01
    END;

-- ---------------------------------------------------------------- versions and lineage

-- Which version each URL delivered most recently (only versions that were loaded).
CREATE OR REPLACE VIEW url_current AS
SELECT s.url, s.doc_id, s.last_seen_at
FROM document_sources s JOIN document_versions v USING (doc_id)
WHERE v.status IN ('parsed', 'partial')
QUALIFY row_number() OVER (PARTITION BY s.url ORDER BY s.last_seen_at DESC, v.first_loaded_at DESC, s.doc_id) = 1;

-- A version is superseded when one of its URLs has since delivered another readable version.
CREATE OR REPLACE VIEW document_lineage AS
SELECT s.doc_id,
       min(c.doc_id) FILTER (WHERE c.doc_id <> s.doc_id AND c.last_seen_at >= s.last_seen_at) AS superseded_by,
       list(DISTINCT s.url ORDER BY s.url) AS source_urls
FROM document_sources s LEFT JOIN url_current c USING (url)
GROUP BY s.doc_id;

CREATE OR REPLACE VIEW documents AS
SELECT v.doc_id, v.source_url, v.sha256, v.unit, v.year, v.kind, v.scope, v.status, v.pages,
       v.fetched_at, v.parsed_at,
       coalesce(nullif(v.region_path, ''), u.region_path) AS region,
       coalesce(nullif(v.region, []), u.region) AS region_list, v.unit_id, u.unit AS unit_name, u.short_name,
       v.title, v.source_file, v.parser_version, v.parsed_at_iso, v.loaded_at, v.first_loaded_at, v.run_id,
       l.superseded_by, l.superseded_by IS NULL AS is_latest, l.source_urls,
       e.errors
FROM document_versions v
LEFT JOIN document_lineage l USING (doc_id)
LEFT JOIN dim_units u USING (unit_id)
LEFT JOIN (SELECT doc_id, list(message ORDER BY error_idx) AS errors FROM parse_errors GROUP BY doc_id) e
    USING (doc_id);

CREATE OR REPLACE VIEW latest_documents AS
SELECT * FROM documents WHERE is_latest;

