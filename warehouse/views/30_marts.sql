-- Layer 3, marts: unit-year selection and summaries (contract), research views.

-- ---------------------------------------------------------------- unit-year selection

-- Latest readable versions per unit, year and kind, grouped into reports: the 说明 and 报表
-- files of one unit-year are one report (report_key), counted once. When several coverages
-- exist the consolidated one is summarised (department_total, then department_own, then unit);
-- files that do not say their coverage join either. priority orders the files whose figures win.
CREATE OR REPLACE VIEW unit_year_docs AS
WITH d AS (
    SELECT x.doc_id, x.unit_id, x.year, x.kind, x.scope, x.status, x.fetched_at, x.first_loaded_at,
           v.consolidation, v.units_consolidated
    FROM documents x JOIN document_versions v USING (doc_id)
    WHERE x.is_latest AND x.status IN ('parsed', 'partial')
      AND x.unit_id IS NOT NULL AND x.year IS NOT NULL AND x.kind IS NOT NULL
), chosen AS (
    SELECT unit_id, year, kind,
           CASE WHEN bool_or(scope = 'department') THEN 'department'
                WHEN bool_or(scope = 'unit') THEN 'unit' END AS chosen_scope,
           CASE WHEN bool_or(consolidation = 'department_total') THEN 'department_total'
                WHEN bool_or(consolidation = 'department_own') THEN 'department_own'
                WHEN bool_or(consolidation = 'unit') THEN 'unit' END AS chosen_consolidation
    FROM d GROUP BY ALL
)
SELECT d.*, c.chosen_scope, c.chosen_consolidation,
       d.unit_id || '|' || d.year || '|' || d.kind || '|' || coalesce(c.chosen_consolidation, '') AS report_key,
       row_number() OVER (PARTITION BY d.unit_id, d.year, d.kind
                          ORDER BY d.scope IS NULL, d.status <> 'parsed', d.fetched_at DESC NULLS LAST,
                                   d.first_loaded_at DESC, d.doc_id) AS priority
FROM d JOIN chosen c USING (unit_id, year, kind)
WHERE d.consolidation IS NULL OR d.consolidation = c.chosen_consolidation OR c.chosen_consolidation IS NULL;

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

-- The table of each kind the parser chose (doc_tables.chosen; the only one when NULL) stands
-- for the document.
CREATE OR REPLACE VIEW doc_kind_amounts AS
SELECT a.doc_id, a.table_kind, a.measure, a.amount_yuan, a.from_printed_total, f.table_idx, t.pages, t.label
FROM table_amounts a
JOIN (SELECT doc_id, kind AS table_kind, min(table_idx) FILTER (WHERE coalesce(chosen, true)) AS table_idx
      FROM doc_tables GROUP BY ALL) f
    USING (doc_id, table_kind, table_idx)
JOIN doc_tables t USING (doc_id, table_idx);

-- Personnel and public costs implied by a basic-expenditure table's economic classes:
-- 人员经费 = 301 工资福利支出 + 303 对个人和家庭的补助, 公用经费 = the other classes (302 商品和服务
-- 支出, 310 资本性支出 …). Pensions (离退休费) moved from 303 to 301 in the 2018 classification;
-- both sit inside 301 + 303, so the sum is comparable across that change.
CREATE OR REPLACE VIEW econ_implied_costs AS
WITH f AS (SELECT doc_id, kind AS table_kind, min(table_idx) FILTER (WHERE coalesce(chosen, true)) AS table_idx
           FROM doc_tables WHERE kind IN ('basic_by_econ', 'gpb_basic_by_econ', 'fiscal_basic_by_econ') GROUP BY ALL),
classes AS (  -- a class row printed without its code is known by its name (工资福利支出 → 301)
    SELECT l.doc_id, l.table_kind, l.table_idx, l.page, l.row_unit, l.amount_yuan,
           coalesce(CASE WHEN l.level = 1 AND l.code IS NOT NULL THEN l.code END, r.code) AS code
    FROM line_amounts l JOIN f USING (doc_id, table_kind, table_idx)
    LEFT JOIN code_reference r ON l.code IS NULL AND r.scheme = 'econ_dept' AND r.level = 1 AND r.name_norm = l.name_norm
    WHERE l.measure = 'total' AND (l.scheme = 'econ_dept' OR l.scheme IS NULL)
), rows AS (
    SELECT doc_id, table_kind, table_idx, code, min(page) AS page,
           coalesce(sum(amount_yuan) FILTER (WHERE row_unit IS NULL), sum(amount_yuan)) AS amount
    FROM classes WHERE code IS NOT NULL
    GROUP BY ALL
)
SELECT doc_id, table_kind, table_idx,
       CAST(sum(amount) FILTER (WHERE code IN ('301', '303')) AS DECIMAL(18, 2)) AS personnel,
       CAST(coalesce(sum(amount) FILTER (WHERE code NOT IN ('301', '303')), 0) AS DECIMAL(18, 2)) AS public,
       min(page) AS first_page, max(page) AS last_page
FROM rows GROUP BY ALL
HAVING count(*) FILTER (WHERE code = '301') > 0;

-- Every candidate figure for a unit-year summary field: value, fund basis (全部资金 /
-- 一般公共预算 / 财政拨款), where it came from, and its preference (lower wins).
CREATE OR REPLACE VIEW unit_year_candidates AS
WITH uyd AS MATERIALIZED (SELECT * FROM unit_year_docs),  -- used six times below: planned once (see unit_year_picks)
sources(field, table_kind, measure, basis, src_rank) AS (
    VALUES ('total_expenditure', 'expenditure_by_function', 'total', '全部资金', 1),
           ('total_expenditure', 'gpb_expenditure_by_function', 'total', '一般公共预算', 2),
           ('total_expenditure', 'fiscal_expenditure_by_function', 'total', '财政拨款', 3),
           ('basic_expenditure', 'expenditure_by_function', 'basic', '全部资金', 1),
           ('basic_expenditure', 'gpb_expenditure_by_function', 'basic', '一般公共预算', 2),
           ('basic_expenditure', 'fiscal_expenditure_by_function', 'basic', '财政拨款', 3),
           ('basic_expenditure', 'basic_by_econ', 'total', '全部资金', 4),
           ('basic_expenditure', 'gpb_basic_by_econ', 'total', '一般公共预算', 4),
           ('basic_expenditure', 'fiscal_basic_by_econ', 'total', '财政拨款', 4),
           ('project_expenditure', 'expenditure_by_function', 'project', '全部资金', 1),
           ('project_expenditure', 'gpb_expenditure_by_function', 'project', '一般公共预算', 2),
           ('project_expenditure', 'fiscal_expenditure_by_function', 'project', '财政拨款', 3),
           ('personnel', 'basic_by_econ', 'personnel', '全部资金', 1),
           ('personnel', 'expenditure_by_function', 'personnel', '全部资金', 1),
           ('personnel', 'gpb_basic_by_econ', 'personnel', '一般公共预算', 2),
           ('personnel', 'gpb_expenditure_by_function', 'personnel', '一般公共预算', 2),
           ('personnel', 'fiscal_basic_by_econ', 'personnel', '财政拨款', 3),
           ('public', 'basic_by_econ', 'public', '全部资金', 1),
           ('public', 'expenditure_by_function', 'public', '全部资金', 1),
           ('public', 'gpb_basic_by_econ', 'public', '一般公共预算', 2),
           ('public', 'gpb_expenditure_by_function', 'public', '一般公共预算', 2),
           ('public', 'fiscal_basic_by_econ', 'public', '财政拨款', 3),
           ('three_public_total', 'three_public', 'total', '财政拨款', 2)
), narrative(field, pattern, basis) AS (
    VALUES ('total_expenditure', '^(?:本年|本部门|部门)?(?:支出预算|支出决算|支出总计|总支出|支出合计)(?:总额)?$', '全部资金'),
           ('total_expenditure', '^一般公共预算(?:拨款)?支出(?:预算|决算)?$', '一般公共预算'),
           ('basic_expenditure', '^基本支出(?:预算|决算)?$', '全部资金'),
           ('project_expenditure', '^项目支出(?:预算|决算)?$', '全部资金')
), printed AS (
    SELECT d.unit_id, d.year, d.kind, d.doc_id, d.priority, s.field, s.src_rank, a.amount_yuan AS value, s.basis,
           'table ' || a.table_kind || coalesce(' ' || a.label, '') || ' p.' || coalesce(CAST(a.pages[1] AS VARCHAR), '?')
               || CASE WHEN a.from_printed_total THEN ' (printed total)' ELSE ' (sum of 类 rows)' END AS source
    FROM uyd d
    JOIN doc_kind_amounts a USING (doc_id)
    JOIN sources s ON s.table_kind = a.table_kind AND s.measure = a.measure
    WHERE a.amount_yuan IS NOT NULL
), implied AS (
    SELECT d.unit_id, d.year, d.kind, d.doc_id, d.priority, f.field, 5 AS src_rank,
           CASE f.field WHEN 'personnel' THEN e.personnel ELSE e.public END AS value,
           CASE e.table_kind WHEN 'basic_by_econ' THEN '全部资金' WHEN 'gpb_basic_by_econ' THEN '一般公共预算'
                ELSE '财政拨款' END AS basis,
           'derived: ' || CASE f.field WHEN 'personnel' THEN 'personnel = 301 + 303' ELSE 'public = 基本支出 classes other than 301, 303' END
               || ' (' || CASE WHEN d.year >= 2018 THEN 'pensions in 301 since 2018' ELSE 'pensions in 303 before 2018' END
               || '), rows of ' || e.table_kind || ' p.' || e.first_page
               || CASE WHEN e.last_page <> e.first_page THEN '-' || e.last_page ELSE '' END AS source
    FROM uyd d JOIN econ_implied_costs e USING (doc_id)
    CROSS JOIN (VALUES ('personnel'), ('public')) f(field)
), told AS (
    SELECT d.unit_id, d.year, d.kind, d.doc_id, d.priority, n.field, 7 AS src_rank, y.amount_yuan AS value, n.basis,
           'narrative p.' || coalesce(CAST(y.page AS VARCHAR), '?') || ': ' || left(y.text, 80) AS source
    FROM uyd d JOIN yoy_statements y USING (doc_id)
    JOIN narrative n ON regexp_matches(y.subject, n.pattern)
    WHERE y.amount_yuan IS NOT NULL
), noted AS (  -- facts.narrative_totals: the sentence that states a total (支出预算 X 万元)
    SELECT x.unit_id, x.year, x.kind, x.doc_id, x.priority, m.field, 7 AS src_rank,
           CAST(x.n.amount_yuan AS DECIMAL(18, 2)) AS value, '全部资金' AS basis,
           'narrative p.' || coalesce(CAST(x.n.page AS VARCHAR), '?') || ': ' || left(x.n.sentence, 80) AS source
    FROM (SELECT d.*, unnest(from_json(coalesce(v.facts -> 'narrative_totals', '[]'),
                                       '[{"key": "VARCHAR", "amount_yuan": "DOUBLE", "page": "INTEGER", "sentence": "VARCHAR"}]')) AS n
          FROM uyd d JOIN document_versions v USING (doc_id)) x
    JOIN (VALUES ('expenditure', 'total_expenditure'), ('basic', 'basic_expenditure'),
                 ('project', 'project_expenditure')) m(key, field) ON m.key = x.n.key
    WHERE x.n.amount_yuan IS NOT NULL
), direct AS MATERIALIZED (
    SELECT * FROM printed UNION ALL SELECT * FROM implied UNION ALL SELECT * FROM told UNION ALL SELECT * FROM noted
), summed AS (  -- basic = personnel + public, from one document and one basis
    SELECT p.unit_id, p.year, p.kind, p.doc_id, p.priority, 'basic_expenditure' AS field, 6 AS src_rank,
           p.value + q.value AS value, p.basis,
           'derived: basic = personnel + public, ' || p.source || ' + ' || q.source AS source
    FROM direct p JOIN direct q USING (unit_id, year, kind, doc_id, basis)
    WHERE p.field = 'personnel' AND q.field = 'public'
    QUALIFY row_number() OVER (PARTITION BY p.unit_id, p.year, p.kind, p.doc_id, p.basis
                               ORDER BY p.src_rank + q.src_rank) = 1
)
SELECT * FROM direct
UNION ALL SELECT * FROM summed
UNION ALL
SELECT d.unit_id, d.year, d.kind, d.doc_id, d.priority, 'three_public_total', 1, t.amount_yuan, '财政拨款',
       'facts.three_public (三公 table or narrative)'
FROM uyd d JOIN three_public_amounts t USING (doc_id)
WHERE t.measure = 'total' AND t.period = 'current' AND t.amount_yuan IS NOT NULL
UNION ALL
SELECT d.unit_id, d.year, d.kind, d.doc_id, d.priority, 'staff_' || s.measure, 1, s.value, NULL,
       'facts.staffing (narrative)'
FROM uyd d JOIN staffing_counts s USING (doc_id)
WHERE s.measure IN ('authorized', 'actual') AND s.value IS NOT NULL;

-- One pick per field: the summary's basis is the basis of its best total; every other field
-- prefers that basis, and says which one it has when it could not (bases never mix silently).
-- A view named twice in one query is planned twice, with everything under it: candidates and
-- the views they read are MATERIALIZED CTEs, planned and run once (unit_year_summary took 0.5 s
-- to plan on a four-document warehouse; at 2,000 reports a filtered query costs half the CPU).
CREATE OR REPLACE VIEW unit_year_picks AS
WITH cand AS MATERIALIZED (SELECT * FROM unit_year_candidates), base AS (
    SELECT unit_id, year, kind,
           arg_min(basis, {'rank': src_rank, 'priority': priority,
                           'basis': CASE basis WHEN '全部资金' THEN 0 WHEN '一般公共预算' THEN 1 ELSE 2 END,
                           'source': source}) FILTER (WHERE field = 'total_expenditure') AS summary_basis
    FROM cand GROUP BY ALL
)
SELECT c.unit_id, c.year, c.kind, c.field, any_value(b.summary_basis) AS summary_basis,
       arg_min({'value': c.value, 'basis': c.basis, 'source': c.source, 'doc_id': c.doc_id},
               -- every tie is broken: two bases derived at one rank go to the wider one, then the source text
               {'other_basis': CASE WHEN c.basis IS NULL OR b.summary_basis IS NULL OR c.field = 'three_public_total'
                                         OR c.basis = b.summary_basis THEN 0 ELSE 1 END,
                'rank': c.src_rank, 'priority': c.priority,
                'basis': CASE c.basis WHEN '全部资金' THEN 0 WHEN '一般公共预算' THEN 1 WHEN '财政拨款' THEN 2 ELSE 3 END,
                'source': c.source}) AS pick
FROM cand c LEFT JOIN base b USING (unit_id, year, kind)
GROUP BY c.unit_id, c.year, c.kind, c.field;

CREATE OR REPLACE VIEW unit_year_kind_summary AS
WITH docs AS (
    SELECT unit_id, year, kind, any_value(chosen_scope) AS scope, any_value(chosen_consolidation) AS consolidation,
           max(units_consolidated) AS units_consolidated, any_value(report_key) AS report_key,
           list(doc_id ORDER BY priority) AS doc_ids
    FROM unit_year_docs GROUP BY ALL
), pick AS (
    SELECT unit_id, year, kind, any_value(summary_basis) AS summary_basis,
        any_value(pick) FILTER (WHERE field = 'total_expenditure') AS total_expenditure,
        any_value(pick) FILTER (WHERE field = 'basic_expenditure') AS basic_expenditure,
        any_value(pick) FILTER (WHERE field = 'project_expenditure') AS project_expenditure,
        any_value(pick) FILTER (WHERE field = 'personnel') AS personnel,
        any_value(pick) FILTER (WHERE field = 'public') AS public,
        any_value(pick) FILTER (WHERE field = 'three_public_total') AS three_public_total,
        any_value(pick) FILTER (WHERE field = 'staff_authorized') AS staff_authorized,
        any_value(pick) FILTER (WHERE field = 'staff_actual') AS staff_actual
    FROM unit_year_picks GROUP BY ALL
)
SELECT u.unit, u.region_path AS region, docs.year, docs.kind,
       CAST(p.total_expenditure.value AS DECIMAL(18, 2)) AS total_expenditure,
       CAST(p.basic_expenditure.value AS DECIMAL(18, 2)) AS basic_expenditure,
       CAST(p.project_expenditure.value AS DECIMAL(18, 2)) AS project_expenditure,
       CAST(p.personnel.value AS DECIMAL(18, 2)) AS personnel,
       CAST(p.public.value AS DECIMAL(18, 2)) AS public,
       CAST(p.three_public_total.value AS DECIMAL(18, 2)) AS three_public_total,
       CAST(p.staff_authorized.value AS INTEGER) AS staff_authorized,
       CAST(p.staff_actual.value AS INTEGER) AS staff_actual,
       docs.unit_id, u.short_name, u.region AS region_list, docs.scope, docs.doc_ids,
       docs.consolidation, docs.units_consolidated, u.category, u.region_code, docs.report_key,
       p.summary_basis,
       p.total_expenditure.source AS total_expenditure_source, p.total_expenditure.basis AS total_expenditure_basis,
       p.basic_expenditure.source AS basic_expenditure_source, p.basic_expenditure.basis AS basic_expenditure_basis,
       p.project_expenditure.source AS project_expenditure_source,
       p.project_expenditure.basis AS project_expenditure_basis,
       p.personnel.source AS personnel_source, p.personnel.basis AS personnel_basis,
       p.public.source AS public_source, p.public.basis AS public_basis,
       p.three_public_total.source AS three_public_total_source, p.three_public_total.basis AS three_public_total_basis,
       p.staff_actual.source AS staff_source,
       len(list_distinct(list_filter([p.total_expenditure.basis, p.basic_expenditure.basis,
                                      p.project_expenditure.basis, p.personnel.basis, p.public.basis],
                                     lambda x: x IS NOT NULL))) > 1 AS bases_mixed
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
-- so a department appears once. Amounts in 元 are named *_yuan here and in every view below.
CREATE OR REPLACE VIEW spend_by_function AS
SELECT u.unit, u.region_path AS region, s.year, s.kind, l.level, l.code,
       arg_min(l.name, l.row_idx) AS name,
       CAST(sum(l.amount_yuan) FILTER (WHERE l.measure = 'total') AS DECIMAL(18, 2)) AS total_yuan,
       CAST(sum(l.amount_yuan) FILTER (WHERE l.measure = 'basic') AS DECIMAL(18, 2)) AS basic_yuan,
       CAST(sum(l.amount_yuan) FILTER (WHERE l.measure = 'project') AS DECIMAL(18, 2)) AS project_yuan,
       s.unit_id, s.doc_id, s.table_kind
FROM function_source_tables s
JOIN line_amounts l USING (doc_id, table_idx)
JOIN dim_units u USING (unit_id)
WHERE l.code IS NOT NULL
GROUP BY u.unit, u.region_path, s.year, s.kind, l.level, l.code, s.unit_id, s.doc_id, s.table_kind;

-- One code across units in a year: amount, share of each unit's total expenditure, rank.
CREATE OR REPLACE VIEW unit_comparison AS
SELECT f.year, f.kind, f.code, f.name, f.level, f.unit, f.region, f.total_yuan AS amount_yuan,
       round(CAST(f.total_yuan AS DOUBLE) / nullif(CAST(s.total_expenditure AS DOUBLE), 0), 6) AS share,
       rank() OVER (PARTITION BY f.kind, f.year, f.code ORDER BY f.total_yuan DESC NULLS LAST) AS rank,
       count(*) OVER (PARTITION BY f.kind, f.year, f.code) AS n_units,
       s.total_expenditure AS unit_total_expenditure, f.unit_id,
       s.consolidation, s.total_expenditure_source  -- for category_comparison: the summary is costly to join twice
FROM spend_by_function f
LEFT JOIN unit_year_kind_summary s USING (unit_id, year, kind);

-- A unit's spending per code over the years it has, against the previous year it has (a code
-- absent in that year counts as 0 there; a code absent this year shows amount_yuan 0).
CREATE OR REPLACE VIEW unit_series AS
WITH sbf AS MATERIALIZED (SELECT * FROM spend_by_function), years AS (
    SELECT unit_id, kind, year, lag(year) OVER (PARTITION BY unit_id, kind ORDER BY year) AS prev_year
    FROM (SELECT DISTINCT unit_id, kind, year FROM function_source_tables)
), cells AS (
    SELECT y.unit_id, y.kind, y.year, y.prev_year, f.code FROM years y JOIN sbf f USING (unit_id, kind, year)
    UNION
    SELECT y.unit_id, y.kind, y.year, y.prev_year, f.code
    FROM years y JOIN sbf f ON f.unit_id = y.unit_id AND f.kind = y.kind AND f.year = y.prev_year
)
SELECT u.unit, c.code, c.year, c.kind,
       coalesce(cur.name, prv.name) AS name, coalesce(cur.level, prv.level) AS level,
       coalesce(cur.total_yuan, 0) AS amount_yuan,
       c.prev_year,
       CASE WHEN c.prev_year IS NOT NULL THEN coalesce(prv.total_yuan, 0) END AS prev_amount_yuan,
       CAST(CASE WHEN c.prev_year IS NOT NULL THEN coalesce(cur.total_yuan, 0) - coalesce(prv.total_yuan, 0) END
            AS DECIMAL(18, 2)) AS change_yuan,
       div2((coalesce(cur.total_yuan, 0) - prv.total_yuan) * 100, prv.total_yuan) AS change_pct,
       u.region_path AS region, c.unit_id
FROM cells c
JOIN dim_units u USING (unit_id)
LEFT JOIN sbf cur ON cur.unit_id = c.unit_id AND cur.kind = c.kind AND cur.year = c.year AND cur.code = c.code
LEFT JOIN sbf prv ON prv.unit_id = c.unit_id AND prv.kind = c.kind AND prv.year = c.prev_year AND prv.code = c.code;

-- Spending per person actually employed (实有人数), rounded half-up to the cent.
CREATE OR REPLACE VIEW per_head AS
SELECT unit, region, year, kind, staff_actual, staff_authorized,
       CAST(div2(total_expenditure, staff_actual) AS DECIMAL(18, 2)) AS spend_per_head,
       CAST(div2(three_public_total, staff_actual) AS DECIMAL(18, 2)) AS three_public_per_head,
       CAST(div2(personnel, staff_actual) AS DECIMAL(18, 2)) AS personnel_per_head,
       total_expenditure, three_public_total, personnel, unit_id
FROM unit_year_kind_summary;

