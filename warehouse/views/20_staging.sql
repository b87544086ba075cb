-- Layer 2, staging: one row per printed figure or fact, joined to its document; dimensions.

-- ---------------------------------------------------------------- lines and per-document facts

CREATE OR REPLACE VIEW budget_lines AS
SELECT l.doc_id, coalesce(l.row_unit, d.unit) AS unit, d.year, l.table_kind, l.code, l.level, l.name,
       l.measure, CAST(l.amount_yuan AS DECIMAL(18, 2)) AS amount_yuan, l.page,
       d.unit AS doc_unit, l.row_unit, d.unit_id, d.region, d.kind AS doc_kind, d.scope, d.status,
       l.scheme, l.project, l.table_idx, l.table_label, l.table_title, l.money_unit, l.row_idx,
       l.code_source, d.is_latest,
       d.unit_id AS doc_unit_id, coalesce(su.unit_id, d.unit_id) AS row_unit_id, l.depth, l.group_line,
       l.attributes
FROM line_amounts l JOIN documents d USING (doc_id)
LEFT JOIN subordinate_units su ON su.doc_id = l.doc_id AND su.name = l.row_unit;

CREATE OR REPLACE VIEW projects AS
SELECT l.doc_id, d.unit, d.year, d.kind, d.is_latest, l.table_kind, l.table_idx, l.row_idx, l.code,
       l.name, l.row_unit, l.project,
       sum(l.amount_yuan) FILTER (WHERE l.measure = 'total') AS total,
       map_from_entries(list({'k': l.measure, 'v': l.amount_yuan} ORDER BY l.measure)) AS amounts
FROM line_amounts l JOIN documents d USING (doc_id)
WHERE l.project IS NOT NULL
GROUP BY ALL;

-- The lines of the 政府采购 tables, one a line, with what each prints beside its amount
-- (line_amounts.attributes): sum `WHERE NOT group_line` for the table's printed total.
CREATE OR REPLACE VIEW procurement_items AS
SELECT b.doc_id, b.unit, b.year, b.doc_kind, b.is_latest, b.table_idx, b.row_idx, b.page, b.name,
       b.code AS function_code, b.depth, coalesce(b.group_line, false) AS group_line, b.amount_yuan,
       b.attributes ->> 'catalogue' AS catalogue, b.attributes ->> 'spec' AS spec,
       b.attributes ->> 'quantity' AS quantity, b.attributes ->> 'method' AS method,
       b.attributes ->> 'period' AS period, b.attributes ->> 'econ_dept' AS econ_dept,
       b.attributes ->> 'econ_gov' AS econ_gov, b.attributes ->> 'remark' AS remark
FROM budget_lines b
WHERE b.table_kind = 'procurement' AND b.measure = 'total';

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
       (SELECT list(a.alias ORDER BY a.alias) FROM unit_aliases a WHERE a.unit_id = u.unit_id) AS aliases,
       u.unit AS canonical_name,
       (SELECT list(DISTINCT v.unit_printed ORDER BY v.unit_printed) FROM document_versions v
        WHERE v.unit_id = u.unit_id AND v.unit_printed IS NOT NULL) AS printed_names,
       coalesce(u.category, p.category) AS category,
       CASE WHEN u.category IS NULL AND p.category IS NOT NULL THEN 'parent' WHEN u.category IS NOT NULL
            THEN 'name' END AS category_source,
       u.region_code, u.region_path = '中央' AS is_central,
       u.region[1] AS province
FROM dim_units u
LEFT JOIN listed l USING (unit_id)
LEFT JOIN dim_units p ON p.unit_id = l.parent_unit_id;

-- Printed names per code and year, latest versions only; >1 distinct name is a conflict.
-- scheme and level are the loaded columns (decided once, in parsers/normalise/codes.py).
CREATE OR REPLACE VIEW code_names_by_year AS
SELECT l.scheme, l.code, d.year, min(l.level) AS level,
       list(DISTINCT l.name_norm ORDER BY l.name_norm) AS names,
       count(DISTINCT l.name_norm) AS n_names,
       mode(l.name_norm) AS name,
       list(DISTINCT l.doc_id ORDER BY l.doc_id) AS doc_ids
FROM line_amounts l JOIN documents d USING (doc_id)
WHERE d.is_latest AND l.code IS NOT NULL AND l.scheme IS NOT NULL AND l.name_norm IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE VIEW classification_codes AS
WITH learned AS (
    SELECT scheme, code, min(level) AS level,
           list(year ORDER BY year) AS years_seen,
           mode(name) AS name,
           bool_or(n_names > 1) AS name_conflict,
           list(year ORDER BY year) FILTER (WHERE n_names > 1) AS conflict_years
    FROM code_names_by_year GROUP BY ALL
)
SELECT coalesce(r.scheme, l.scheme) AS scheme,
       coalesce(r.code, l.code) AS code,
       coalesce(r.name, l.name) AS name,
       coalesce(r.level, l.level) AS level,
       -- the code one level up: mirrors parsers.normalise.codes.parent_of
       coalesce(r.parent_code, CASE WHEN length(l.code) > 3 THEN left(l.code, length(l.code) - 2) END) AS parent_code,
       coalesce(l.years_seen, []) AS years_seen,
       CASE WHEN r.code IS NOT NULL THEN 'reference' ELSE 'learned' END AS name_source,
       coalesce(l.name_conflict, false) AS name_conflict,
       l.conflict_years,
       l.name AS learned_name,
       coalesce(l.name <> r.name_norm, false) AS differs_from_reference,
       r.evidence
FROM code_reference r FULL OUTER JOIN learned l ON l.scheme = r.scheme AND l.code = r.code;

