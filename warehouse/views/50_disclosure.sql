-- Layer 5, disclosure quality: how completely and consistently each report discloses.
-- Per-document rows come from warehouse/disclosure.py (tables disclosure_*); comparisons across
-- documents (last year's report, the budget of a 决算) are made here. README "Disclosure quality".

-- Parsed reports (latest versions) with what identifies them.
CREATE OR REPLACE VIEW disclosure_documents AS
SELECT d.doc_id, d.unit, d.unit_id, d.year, d.kind, d.scope,
       coalesce(nullif(regexp_extract(d.source_url, '[^/]+$'), ''), d.source_file) AS source_file, d.status, dd.ruleset,
       dd.w_tables, dd.w_sections, dd.w_consistency
FROM documents d LEFT JOIN disclosure_docs dd USING (doc_id)
WHERE d.is_latest AND d.status IN ('parsed', 'partial');

-- One row per document and required table or section.
CREATE OR REPLACE VIEW disclosure_completeness AS
SELECT d.doc_id, d.unit, d.year, d.kind, d.source_file, d.ruleset, i.item_type, i.item, i.label, i.status,
       i.credit, i.pages, i.table_kinds, i.note
FROM disclosure_documents d JOIN disclosure_items i USING (doc_id);

-- Last year's report of the same unit and kind, for every report.
CREATE OR REPLACE VIEW disclosure_prior_docs AS
SELECT c.doc_id, p.doc_id AS prior_doc_id, p.source_file AS prior_file
FROM disclosure_documents c JOIN disclosure_documents p
  ON p.unit_id = c.unit_id AND p.kind = c.kind AND p.year = c.year - 1
QUALIFY row_number() OVER (PARTITION BY c.doc_id ORDER BY p.scope IS NOT DISTINCT FROM c.scope DESC, p.doc_id) = 1;

-- "比上年增加 X 万元": the prior figure the statement implies against last year's report
-- (its narrative figure, else the table readings); agrees if any is within both steps.
CREATE OR REPLACE VIEW disclosure_yoy_checks AS
WITH stated AS (
    SELECT f.*, pd.prior_doc_id, pd.prior_file,
           row_number() OVER (PARTITION BY f.doc_id, f.key ORDER BY f.page, f.amount_yuan) AS n
    FROM disclosure_figures f JOIN disclosure_prior_docs pd USING (doc_id)
    WHERE f.source = 'yoy_prior'
), cands AS (
    SELECT s.doc_id, s.key, s.n, p.amount_yuan, p.page, p.source, p.table_kind, p.measure,
           s.step_yuan + coalesce(p.step_yuan, 0) + 0.01 AS tolerance,
           abs(s.amount_yuan - p.amount_yuan) AS gap
    FROM stated s JOIN disclosure_figures p ON p.doc_id = s.prior_doc_id AND p.key = s.key
    WHERE p.source IN ('narrative', 'table')
), best AS (
    SELECT * FROM cands
    QUALIFY row_number() OVER (PARTITION BY doc_id, key, n ORDER BY gap, source, page) = 1
)
SELECT s.doc_id, 'yoy_vs_prior_report' AS rule, s.key, s.amount_yuan AS stated_amount, s.page AS stated_page,
       b.amount_yuan AS compared_amount, b.page AS compared_page, s.prior_doc_id AS compared_doc_id,
       s.prior_file AS compared_file, coalesce(b.table_kind, b.source) AS compared_source,
       s.amount_yuan - b.amount_yuan AS difference, b.tolerance, b.gap <= b.tolerance AS passed, s.sentence
FROM stated s JOIN best b USING (doc_id, key, n);

-- The budget report of a 决算's unit-year.
CREATE OR REPLACE VIEW disclosure_budget_of_final AS
SELECT f.doc_id, b.doc_id AS budget_doc_id, b.source_file AS budget_file
FROM disclosure_documents f JOIN disclosure_documents b
  ON b.unit_id = f.unit_id AND b.year = f.year AND b.kind = 'budget'
WHERE f.kind = 'final_accounts'
QUALIFY row_number() OVER (PARTITION BY f.doc_id ORDER BY b.scope IS NOT DISTINCT FROM f.scope DESC, b.doc_id) = 1;

-- Execution by code: the 决算 against the budget report of the same unit-year (or, without
-- one, against the 年初预算 column the 决算 prints itself).
CREATE OR REPLACE VIEW disclosure_execution AS
WITH fin AS (
    SELECT doc_id, table_kind, code, any_value(name) AS name, min(page) AS page,
           sum(amount_yuan) FILTER (WHERE measure = 'total') AS final_amount,
           sum(amount_yuan) FILTER (WHERE measure = 'budget_total') AS own_budget
    FROM line_amounts
    WHERE table_kind IN ('expenditure_by_function', 'gpb_expenditure_by_function') AND code IS NOT NULL
      AND row_unit IS NULL
    GROUP BY ALL
), bud AS (
    SELECT doc_id, table_kind, code, min(page) AS page, sum(amount_yuan) AS amount
    FROM line_amounts
    WHERE measure = 'total' AND code IS NOT NULL AND row_unit IS NULL
    GROUP BY ALL
)
SELECT d.doc_id, d.unit, d.year, f.table_kind, f.code, f.name, f.final_amount, f.page AS final_page,
       coalesce(b.amount, f.own_budget) AS budget_amount,
       CASE WHEN b.amount IS NOT NULL THEN 'budget_report' WHEN f.own_budget IS NOT NULL THEN 'final_budget_column' END
           AS budget_source,
       bf.budget_doc_id, b.page AS budget_page,
       round(f.final_amount / nullif(coalesce(b.amount, f.own_budget), 0), 4) AS execution_rate
FROM disclosure_documents d
JOIN fin f USING (doc_id)
LEFT JOIN disclosure_budget_of_final bf USING (doc_id)
LEFT JOIN bud b ON b.doc_id = bf.budget_doc_id AND b.table_kind = f.table_kind AND b.code = f.code
WHERE d.kind = 'final_accounts';

-- The 年初预算 a 决算 prints against the budget report's total, per table kind.
CREATE OR REPLACE VIEW disclosure_final_vs_budget AS
SELECT f.doc_id, 'final_vs_budget_report' AS rule, ft.table_kind AS key,
       ft.amount_yuan AS stated_amount, fp.pages[1] AS stated_page,
       bt.amount_yuan AS compared_amount, bp.pages[1] AS compared_page, bf.budget_doc_id AS compared_doc_id,
       bf.budget_file AS compared_file, bt.table_kind AS compared_source,
       ft.amount_yuan - bt.amount_yuan AS difference, 100.01 AS tolerance,
       abs(ft.amount_yuan - bt.amount_yuan) <= 100.01 AS passed,
       '决算 年初预算 (' || ft.table_kind || ') against the budget report' AS sentence
FROM disclosure_documents f
JOIN disclosure_budget_of_final bf USING (doc_id)
JOIN (SELECT doc_id, table_kind, min(table_idx) AS table_idx FROM table_totals GROUP BY ALL) fi ON fi.doc_id = f.doc_id
JOIN table_totals ft ON ft.doc_id = f.doc_id AND ft.table_idx = fi.table_idx AND ft.measure = 'budget_total'
JOIN (SELECT doc_id, table_kind, min(table_idx) AS table_idx FROM table_totals GROUP BY ALL) bi
  ON bi.doc_id = bf.budget_doc_id AND bi.table_kind = ft.table_kind
JOIN table_totals bt ON bt.doc_id = bf.budget_doc_id AND bt.table_idx = bi.table_idx AND bt.measure = 'total'
LEFT JOIN doc_tables fp ON fp.doc_id = f.doc_id AND fp.table_idx = fi.table_idx
LEFT JOIN doc_tables bp ON bp.doc_id = bf.budget_doc_id AND bp.table_idx = bi.table_idx
WHERE ft.table_kind IN ('expenditure_by_function', 'gpb_expenditure_by_function');

-- Every consistency comparison of a report, with both pages.
CREATE OR REPLACE VIEW disclosure_consistency AS
WITH all_checks AS (
    SELECT doc_id, 'narrative_vs_table' AS rule, key, label, stated_amount, stated_page, compared_amount,
           compared_page, doc_id AS compared_doc_id, NULL AS compared_file,
           table_kind || '.' || measure AS compared_source, difference, tolerance, passed, sentence
    FROM disclosure_checks
    UNION ALL
    SELECT doc_id, rule, key, key AS label, stated_amount, stated_page, compared_amount, compared_page,
           compared_doc_id, compared_file, compared_source, difference, tolerance, passed, sentence
    FROM disclosure_yoy_checks
    UNION ALL
    SELECT doc_id, rule, key, key AS label, stated_amount, stated_page, compared_amount, compared_page,
           compared_doc_id, compared_file, compared_source, difference, tolerance, passed, sentence
    FROM disclosure_final_vs_budget
)
SELECT d.unit, d.year, d.kind, d.source_file, c.*
FROM disclosure_documents d JOIN all_checks c USING (doc_id);

-- One row per parsed report: the parts and the weighted score (README "Disclosure quality").
CREATE OR REPLACE VIEW disclosure_score AS
WITH t AS (
    SELECT doc_id, count(*) AS tables_required,
           count(*) FILTER (WHERE status = 'present') AS tables_present,
           count(*) FILTER (WHERE status = 'empty_explained') AS tables_empty_explained,
           count(*) FILTER (WHERE status = 'empty') AS tables_empty,
           count(*) FILTER (WHERE status = 'missing') AS tables_missing,
           string_agg(label, '、' ORDER BY item) FILTER (WHERE status = 'missing') AS missing_tables,
           avg(credit) AS tables_part
    FROM disclosure_items WHERE item_type = 'table' GROUP BY doc_id
), s AS (
    SELECT doc_id, count(*) AS sections_required,
           count(*) FILTER (WHERE status = 'present') AS sections_present,
           string_agg(label, '、' ORDER BY item) FILTER (WHERE status = 'missing') AS missing_sections,
           avg(credit) AS sections_part
    FROM disclosure_items WHERE item_type = 'section' GROUP BY doc_id
), c AS (
    SELECT doc_id, count(*) AS checks, count(*) FILTER (WHERE NOT passed) AS inconsistencies,
           avg(CASE WHEN passed THEN 1.0 ELSE 0.0 END) AS consistency_part
    FROM disclosure_consistency GROUP BY doc_id
), parts AS (
    SELECT d.*, t.* EXCLUDE (doc_id), s.* EXCLUDE (doc_id),
           coalesce(c.checks, 0) AS checks, coalesce(c.inconsistencies, 0) AS inconsistencies, c.consistency_part
    FROM disclosure_documents d LEFT JOIN t USING (doc_id) LEFT JOIN s USING (doc_id) LEFT JOIN c USING (doc_id)
)
SELECT doc_id, unit, year, kind, scope, source_file, ruleset,
       tables_required, tables_present, tables_empty_explained, tables_empty, tables_missing, missing_tables,
       sections_required, sections_present, missing_sections, checks, inconsistencies,
       round(100 * tables_part, 1) AS tables_score, round(100 * sections_part, 1) AS sections_score,
       round(100 * consistency_part, 1) AS consistency_score,
       round(100 * (coalesce(w_tables * tables_part, 0) + coalesce(w_sections * sections_part, 0)
                    + coalesce(w_consistency * consistency_part, 0))
             / nullif(CASE WHEN tables_part IS NULL THEN 0 ELSE w_tables END
                      + CASE WHEN sections_part IS NULL THEN 0 ELSE w_sections END
                      + CASE WHEN consistency_part IS NULL THEN 0 ELSE w_consistency END, 0), 1) AS score
FROM parts;
