-- Views over the warehouse tables, re-created by warehouse.db.connect whenever this file changes.
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

-- ---------------------------------------------------------------- lines and per-document facts

CREATE OR REPLACE VIEW budget_lines AS
SELECT l.doc_id, coalesce(l.row_unit, d.unit) AS unit, d.year, l.table_kind, l.code, l.level, l.name,
       l.measure, CAST(l.amount_yuan AS DECIMAL(18, 2)) AS amount_yuan, l.page,
       d.unit AS doc_unit, l.row_unit, d.unit_id, d.region, d.kind AS doc_kind, d.scope, d.status,
       l.scheme, l.project, l.table_idx, l.table_label, l.table_title, l.money_unit, l.row_idx,
       l.code_source, d.is_latest
FROM line_amounts l JOIN documents d USING (doc_id);

CREATE OR REPLACE VIEW projects AS
SELECT l.doc_id, d.unit, d.year, d.kind, d.is_latest, l.table_kind, l.table_idx, l.row_idx, l.code,
       l.name, l.row_unit, l.project,
       sum(l.amount_yuan) FILTER (WHERE l.measure = 'total') AS total,
       map_from_entries(list({'k': l.measure, 'v': l.amount_yuan} ORDER BY l.measure)) AS amounts
FROM line_amounts l JOIN documents d USING (doc_id)
WHERE l.project IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE VIEW three_public AS
SELECT t.doc_id, d.unit, d.year, d.kind, d.is_latest, t.period,
       max(t.amount_yuan) FILTER (WHERE t.measure = 'total') AS total,
       max(t.amount_yuan) FILTER (WHERE t.measure = 'abroad') AS abroad,
       max(t.amount_yuan) FILTER (WHERE t.measure = 'reception') AS reception,
       max(t.amount_yuan) FILTER (WHERE t.measure = 'vehicle_total') AS vehicle_total,
       max(t.amount_yuan) FILTER (WHERE t.measure = 'vehicle_purchase') AS vehicle_purchase,
       max(t.amount_yuan) FILTER (WHERE t.measure = 'vehicle_operation') AS vehicle_operation
FROM three_public_amounts t JOIN documents d USING (doc_id)
GROUP BY ALL;

CREATE OR REPLACE VIEW staffing AS
SELECT s.doc_id, d.unit, d.year, d.kind, d.is_latest,
       CAST(max(s.value) FILTER (WHERE s.measure = 'authorized') AS INTEGER) AS authorized,
       CAST(max(s.value) FILTER (WHERE s.measure = 'actual') AS INTEGER) AS actual,
       CAST(max(s.value) FILTER (WHERE s.measure = 'in_service') AS INTEGER) AS in_service,
       CAST(max(s.value) FILTER (WHERE s.measure = 'retired') AS INTEGER) AS retired,
       CAST(max(s.value) FILTER (WHERE s.measure = 'separated') AS INTEGER) AS separated
FROM staffing_counts s JOIN documents d USING (doc_id)
GROUP BY ALL;

-- ---------------------------------------------------------------- dimensions

CREATE OR REPLACE VIEW units AS
WITH listed AS (
    SELECT s.unit_id, d.unit_id AS parent_unit_id
    FROM subordinate_units s JOIN documents d USING (doc_id)
    WHERE d.is_latest AND s.unit_id IS NOT NULL AND d.unit_id IS NOT NULL AND s.unit_id <> d.unit_id
    QUALIFY row_number() OVER (PARTITION BY s.unit_id ORDER BY d.year DESC NULLS LAST, d.loaded_at DESC) = 1
)
SELECT u.unit_id, u.unit, u.short_name, u.region_path AS region, u.region AS region_list,
       l.parent_unit_id, p.unit AS parent_unit,
       (SELECT list(a.alias ORDER BY a.alias) FROM unit_aliases a WHERE a.unit_id = u.unit_id) AS aliases
FROM dim_units u
LEFT JOIN listed l USING (unit_id)
LEFT JOIN dim_units p ON p.unit_id = l.parent_unit_id;

-- Printed names per code and year, latest versions only; >1 distinct name is a conflict.
CREATE OR REPLACE VIEW code_names_by_year AS
SELECT l.scheme, l.code, d.year,
       list(DISTINCT l.name_norm ORDER BY l.name_norm) AS names,
       count(DISTINCT l.name_norm) AS n_names,
       mode(l.name_norm) AS name,
       list(DISTINCT l.doc_id ORDER BY l.doc_id) AS doc_ids
FROM line_amounts l JOIN documents d USING (doc_id)
WHERE d.is_latest AND l.code IS NOT NULL AND l.scheme IS NOT NULL AND l.name_norm IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE VIEW classification_codes AS
WITH learned AS (
    SELECT scheme, code,
           list(year ORDER BY year) AS years_seen,
           mode(name) AS name,
           bool_or(n_names > 1) AS name_conflict,
           list(year ORDER BY year) FILTER (WHERE n_names > 1) AS conflict_years
    FROM code_names_by_year GROUP BY ALL
)
SELECT coalesce(r.scheme, l.scheme) AS scheme,
       coalesce(r.code, l.code) AS code,
       coalesce(r.name, l.name) AS name,
       coalesce(r.level, CASE length(coalesce(r.code, l.code)) WHEN 3 THEN 1 WHEN 5 THEN 2 WHEN 7 THEN 3 END) AS level,
       coalesce(r.parent_code, CASE WHEN length(l.code) > 3 THEN left(l.code, length(l.code) - 2) END) AS parent_code,
       coalesce(l.years_seen, []) AS years_seen,
       CASE WHEN r.code IS NOT NULL THEN 'reference' ELSE 'learned' END AS name_source,
       coalesce(l.name_conflict, false) AS name_conflict,
       l.conflict_years,
       l.name AS learned_name,
       coalesce(l.name <> r.name_norm, false) AS differs_from_reference,
       r.evidence
FROM code_reference r FULL OUTER JOIN learned l ON l.scheme = r.scheme AND l.code = r.code;

-- ---------------------------------------------------------------- unit-year selection

-- Latest readable versions per unit, year and kind; when a department-scope document exists the
-- unit-scope ones are left out (and vice versa), scope-less ones (e.g. a narrative file that
-- does not say) join either. priority orders the documents whose figures win.
CREATE OR REPLACE VIEW unit_year_docs AS
WITH d AS (
    SELECT doc_id, unit_id, year, kind, scope, status, fetched_at, first_loaded_at
    FROM documents
    WHERE is_latest AND status IN ('parsed', 'partial')
      AND unit_id IS NOT NULL AND year IS NOT NULL AND kind IS NOT NULL
), chosen AS (
    SELECT unit_id, year, kind,
           CASE WHEN bool_or(scope = 'department') THEN 'department'
                WHEN bool_or(scope = 'unit') THEN 'unit' END AS chosen_scope
    FROM d GROUP BY ALL
)
SELECT d.*, c.chosen_scope,
       row_number() OVER (PARTITION BY d.unit_id, d.year, d.kind
                          ORDER BY d.scope IS NULL, d.status <> 'parsed', d.fetched_at DESC NULLS LAST,
                                   d.first_loaded_at DESC, d.doc_id) AS priority
FROM d JOIN chosen c USING (unit_id, year, kind)
WHERE d.scope IS NULL OR d.scope = c.chosen_scope OR c.chosen_scope IS NULL;

-- What each table says for the whole document per measure: its printed total, else the sum of
-- its level-1 rows (department rows only, when the table also lists subordinate units).
CREATE OR REPLACE VIEW table_amounts AS
WITH lvl1 AS (
    SELECT doc_id, table_idx, measure,
           coalesce(sum(amount_yuan) FILTER (WHERE row_unit IS NULL), sum(amount_yuan)) AS amount
    FROM line_amounts WHERE level = 1
    GROUP BY ALL
), measures AS (
    SELECT doc_id, table_idx, measure FROM table_totals
    UNION SELECT doc_id, table_idx, measure FROM lvl1
)
SELECT t.doc_id, t.table_idx, t.kind AS table_kind, m.measure,
       CAST(coalesce(tt.amount_yuan, r.amount) AS DECIMAL(18, 2)) AS amount_yuan,
       tt.amount_yuan IS NOT NULL AS from_printed_total
FROM doc_tables t
JOIN measures m USING (doc_id, table_idx)
LEFT JOIN (SELECT doc_id, table_idx, measure, max(amount_yuan) AS amount_yuan FROM table_totals GROUP BY ALL) tt
    USING (doc_id, table_idx, measure)
LEFT JOIN lvl1 r USING (doc_id, table_idx, measure);

-- The first table of each kind in a document stands for the document.
CREATE OR REPLACE VIEW doc_kind_amounts AS
SELECT a.doc_id, a.table_kind, a.measure, a.amount_yuan
FROM table_amounts a
JOIN (SELECT doc_id, kind AS table_kind, min(table_idx) AS table_idx FROM doc_tables GROUP BY ALL) f
    USING (doc_id, table_kind, table_idx);

-- Every candidate figure for a unit-year summary field, with its preference (lower wins).
CREATE OR REPLACE VIEW unit_year_candidates AS
WITH sources(field, table_kind, measure, src_rank) AS (
    VALUES ('total_expenditure', 'expenditure_by_function', 'total', 1),
           ('total_expenditure', 'gpb_expenditure_by_function', 'total', 2),
           ('basic_expenditure', 'expenditure_by_function', 'basic', 1),
           ('basic_expenditure', 'gpb_expenditure_by_function', 'basic', 2),
           ('project_expenditure', 'expenditure_by_function', 'project', 1),
           ('project_expenditure', 'gpb_expenditure_by_function', 'project', 2),
           ('personnel', 'gpb_basic_by_econ', 'personnel', 1),
           ('public', 'gpb_basic_by_econ', 'public', 1),
           ('three_public_total', 'three_public', 'total', 2)
)
SELECT d.unit_id, d.year, d.kind, d.doc_id, d.priority, s.field, s.src_rank, a.amount_yuan AS value
FROM unit_year_docs d
JOIN doc_kind_amounts a USING (doc_id)
JOIN sources s ON s.table_kind = a.table_kind AND s.measure = a.measure
WHERE a.amount_yuan IS NOT NULL
UNION ALL
SELECT d.unit_id, d.year, d.kind, d.doc_id, d.priority, 'three_public_total', 1, t.amount_yuan
FROM unit_year_docs d JOIN three_public_amounts t USING (doc_id)
WHERE t.measure = 'total' AND t.period = 'current' AND t.amount_yuan IS NOT NULL
UNION ALL
SELECT d.unit_id, d.year, d.kind, d.doc_id, d.priority, 'staff_' || s.measure, 1, s.value
FROM unit_year_docs d JOIN staffing_counts s USING (doc_id)
WHERE s.measure IN ('authorized', 'actual') AND s.value IS NOT NULL;

CREATE OR REPLACE VIEW unit_year_kind_summary AS
WITH docs AS (
    SELECT unit_id, year, kind, any_value(chosen_scope) AS scope,
           list(doc_id ORDER BY priority) AS doc_ids
    FROM unit_year_docs GROUP BY ALL
), pick AS (
    SELECT unit_id, year, kind,
        arg_min(value, src_rank * 100000 + priority) FILTER (WHERE field = 'total_expenditure') AS total_expenditure,
        arg_min(value, src_rank * 100000 + priority) FILTER (WHERE field = 'basic_expenditure') AS basic_expenditure,
        arg_min(value, src_rank * 100000 + priority) FILTER (WHERE field = 'project_expenditure') AS project_expenditure,
        arg_min(value, src_rank * 100000 + priority) FILTER (WHERE field = 'personnel') AS personnel,
        arg_min(value, src_rank * 100000 + priority) FILTER (WHERE field = 'public') AS public,
        arg_min(value, src_rank * 100000 + priority) FILTER (WHERE field = 'three_public_total') AS three_public_total,
        arg_min(value, src_rank * 100000 + priority) FILTER (WHERE field = 'staff_authorized') AS staff_authorized,
        arg_min(value, src_rank * 100000 + priority) FILTER (WHERE field = 'staff_actual') AS staff_actual
    FROM unit_year_candidates GROUP BY ALL
)
SELECT u.unit, u.region_path AS region, docs.year, docs.kind,
       CAST(p.total_expenditure AS DECIMAL(18, 2)) AS total_expenditure,
       CAST(p.basic_expenditure AS DECIMAL(18, 2)) AS basic_expenditure,
       CAST(p.project_expenditure AS DECIMAL(18, 2)) AS project_expenditure,
       CAST(p.personnel AS DECIMAL(18, 2)) AS personnel,
       CAST(p.public AS DECIMAL(18, 2)) AS public,
       CAST(p.three_public_total AS DECIMAL(18, 2)) AS three_public_total,
       CAST(p.staff_authorized AS INTEGER) AS staff_authorized,
       CAST(p.staff_actual AS INTEGER) AS staff_actual,
       docs.unit_id, u.short_name, u.region AS region_list, docs.scope, docs.doc_ids
FROM docs
JOIN dim_units u USING (unit_id)
LEFT JOIN pick p USING (unit_id, year, kind);

CREATE OR REPLACE VIEW unit_year_summary AS
SELECT * EXCLUDE (kind) FROM unit_year_kind_summary WHERE kind = 'budget';

CREATE OR REPLACE VIEW unit_year_final_summary AS
SELECT * EXCLUDE (kind) FROM unit_year_kind_summary WHERE kind = 'final_accounts';

-- ---------------------------------------------------------------- research views

-- The one table per unit, year and kind that function spending is read from: the
-- expenditure_by_function table of the highest-priority document that has one, else the
-- gpb_expenditure_by_function table.
CREATE OR REPLACE VIEW function_source_tables AS
SELECT d.unit_id, d.year, d.kind, t.doc_id, t.table_idx, t.kind AS table_kind
FROM unit_year_docs d JOIN doc_tables t USING (doc_id)
WHERE t.kind IN ('expenditure_by_function', 'gpb_expenditure_by_function') AND t.n_rows > 0
QUALIFY row_number() OVER (PARTITION BY d.unit_id, d.year, d.kind
                           ORDER BY t.kind <> 'expenditure_by_function', d.priority, t.table_idx) = 1;

-- Function-classification spending per unit, year and code; subordinate-unit rows are summed
-- so a department appears once.
CREATE OR REPLACE VIEW spend_by_function AS
SELECT u.unit, u.region_path AS region, s.year, s.kind, l.level, l.code,
       arg_min(l.name, l.row_idx) AS name,
       CAST(sum(l.amount_yuan) FILTER (WHERE l.measure = 'total') AS DECIMAL(18, 2)) AS total,
       CAST(sum(l.amount_yuan) FILTER (WHERE l.measure = 'basic') AS DECIMAL(18, 2)) AS basic,
       CAST(sum(l.amount_yuan) FILTER (WHERE l.measure = 'project') AS DECIMAL(18, 2)) AS project,
       s.unit_id, s.doc_id, s.table_kind
FROM function_source_tables s
JOIN line_amounts l USING (doc_id, table_idx)
JOIN dim_units u USING (unit_id)
WHERE l.code IS NOT NULL
GROUP BY u.unit, u.region_path, s.year, s.kind, l.level, l.code, s.unit_id, s.doc_id, s.table_kind;

-- One code across units in a year: amount, share of each unit's total expenditure, rank.
CREATE OR REPLACE VIEW unit_comparison AS
SELECT f.year, f.kind, f.code, f.name, f.level, f.unit, f.region, f.total AS amount,
       round(CAST(f.total AS DOUBLE) / nullif(CAST(s.total_expenditure AS DOUBLE), 0), 6) AS share,
       rank() OVER (PARTITION BY f.kind, f.year, f.code ORDER BY f.total DESC NULLS LAST) AS rank,
       count(*) OVER (PARTITION BY f.kind, f.year, f.code) AS n_units,
       s.total_expenditure AS unit_total_expenditure, f.unit_id
FROM spend_by_function f
LEFT JOIN unit_year_kind_summary s USING (unit_id, year, kind);

-- A unit's spending per code over the years it has, against the previous year it has (a code
-- absent in that year counts as 0 there; a code absent this year shows amount 0).
CREATE OR REPLACE VIEW unit_series AS
WITH years AS (
    SELECT unit_id, kind, year, lag(year) OVER (PARTITION BY unit_id, kind ORDER BY year) AS prev_year
    FROM (SELECT DISTINCT unit_id, kind, year FROM function_source_tables)
), cells AS (
    SELECT y.unit_id, y.kind, y.year, y.prev_year, f.code FROM years y JOIN spend_by_function f USING (unit_id, kind, year)
    UNION
    SELECT y.unit_id, y.kind, y.year, y.prev_year, f.code
    FROM years y JOIN spend_by_function f ON f.unit_id = y.unit_id AND f.kind = y.kind AND f.year = y.prev_year
)
SELECT u.unit, c.code, c.year, c.kind,
       coalesce(cur.name, prv.name) AS name, coalesce(cur.level, prv.level) AS level,
       coalesce(cur.total, 0) AS amount,
       c.prev_year,
       CASE WHEN c.prev_year IS NOT NULL THEN coalesce(prv.total, 0) END AS prev_amount,
       CAST(CASE WHEN c.prev_year IS NOT NULL THEN coalesce(cur.total, 0) - coalesce(prv.total, 0) END
            AS DECIMAL(18, 2)) AS change_yuan,
       div2((coalesce(cur.total, 0) - prv.total) * 100, prv.total) AS change_pct,
       u.region_path AS region, c.unit_id
FROM cells c
JOIN dim_units u USING (unit_id)
LEFT JOIN spend_by_function cur ON cur.unit_id = c.unit_id AND cur.kind = c.kind AND cur.year = c.year AND cur.code = c.code
LEFT JOIN spend_by_function prv ON prv.unit_id = c.unit_id AND prv.kind = c.kind AND prv.year = c.prev_year AND prv.code = c.code;

-- Spending per person actually employed (实有人数), rounded half-up to the cent.
CREATE OR REPLACE VIEW per_head AS
SELECT unit, region, year, kind, staff_actual, staff_authorized,
       CAST(div2(total_expenditure, staff_actual) AS DECIMAL(18, 2)) AS spend_per_head,
       CAST(div2(three_public_total, staff_actual) AS DECIMAL(18, 2)) AS three_public_per_head,
       CAST(div2(personnel, staff_actual) AS DECIMAL(18, 2)) AS personnel_per_head,
       total_expenditure, three_public_total, personnel, unit_id
FROM unit_year_kind_summary;

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
