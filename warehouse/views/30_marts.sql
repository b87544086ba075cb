-- Layer 3, marts: unit-year selection and summaries (contract), research views.

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

