-- Layer 1, lineage: versions, which is latest, the documents contract view.
-- Contract views (docs/CONTRACT.md): documents, budget_lines, unit_year_summary; their column
-- names are fixed, extra columns are additions. "Latest" views use only versions that no later
-- delivery of one of their URLs has superseded (a later version of the same unit, year, kind).

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

-- A version is superseded when one of its URLs has since delivered another readable version
-- of the same report: same unit, year and kind. A reused URL that starts serving another
-- unit's or year's report leaves the old one latest. A version that was not readable (no unit
-- or year to compare) is superseded by any readable version its URL delivered since.
CREATE OR REPLACE VIEW document_lineage AS
WITH seen AS (
    SELECT s.url, s.doc_id, s.last_seen_at, v.first_loaded_at, v.status IN ('parsed', 'partial') AS readable,
           v.unit, v.year, v.kind
    FROM document_sources s JOIN document_versions v USING (doc_id)
)
SELECT a.doc_id,
       arg_max(b.doc_id, b.last_seen_at) AS superseded_by,
       list(DISTINCT a.url ORDER BY a.url) AS source_urls
FROM seen a
LEFT JOIN seen b
    ON b.url = a.url AND b.doc_id <> a.doc_id AND b.readable
   AND (b.last_seen_at > a.last_seen_at
        OR (b.last_seen_at = a.last_seen_at AND b.first_loaded_at > a.first_loaded_at)
        OR (b.last_seen_at = a.last_seen_at AND b.first_loaded_at = a.first_loaded_at AND b.doc_id < a.doc_id))
   AND (NOT a.readable
        OR (b.unit IS NOT DISTINCT FROM a.unit AND b.year IS NOT DISTINCT FROM a.year
            AND b.kind IS NOT DISTINCT FROM a.kind))
GROUP BY a.doc_id;

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

