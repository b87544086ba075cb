-- The report's reads, one named query each ("-- name: x"); report/data.py runs them read-only.
-- They read whole views once (a site is a few thousand rows), and Python groups them per page.

-- name: documents
SELECT d.doc_id, d.sha256, d.unit, d.unit_id, d.year, d.kind, d.scope, d.status, d.pages,
       coalesce(d.region, '') AS region, d.source_url, d.is_latest, d.title, d.errors
FROM documents d
ORDER BY d.region, d.unit, d.year, d.kind, d.doc_id;

-- name: summaries
-- Per-head figures as the per_head view computes them, but from one evaluation of the summary.
SELECT s.unit_id, s.unit, coalesce(s.region, '') AS region, s.short_name, s.year, s.kind, s.scope,
       s.total_expenditure, s.basic_expenditure, s.project_expenditure, s.personnel, s.public,
       s.three_public_total, s.staff_authorized, s.staff_actual, s.doc_ids,
       CAST(div2(s.total_expenditure, s.staff_actual) AS DECIMAL(18, 2)) AS spend_per_head,
       CAST(div2(s.three_public_total, s.staff_actual) AS DECIMAL(18, 2)) AS three_public_per_head,
       CAST(div2(s.personnel, s.staff_actual) AS DECIMAL(18, 2)) AS personnel_per_head
FROM unit_year_kind_summary s
ORDER BY s.unit_id, s.year, s.kind;

-- name: functions
-- Function spending at 类 and 款 level with the page each figure was printed on.
SELECT f.unit_id, f.year, f.kind, f.level, f.code, f.name, f.total_yuan AS total, f.basic_yuan AS basic,
       f.project_yuan AS project, f.doc_id,
       (SELECT min(l.page) FROM line_amounts l
        WHERE l.doc_id = s.doc_id AND l.table_idx = s.table_idx AND l.code = f.code) AS page
FROM spend_by_function f
JOIN function_source_tables s USING (unit_id, year, kind, doc_id)
WHERE f.level IN (1, 2)
ORDER BY f.unit_id, f.year, f.kind, f.code;

-- name: series
SELECT s.unit_id, s.kind, s.year, s.code, s.name, s.level, s.amount_yuan AS amount, s.prev_year,
       s.prev_amount_yuan AS prev_amount,
       s.change_yuan, s.change_pct
FROM unit_series s
WHERE s.level = 1
ORDER BY s.unit_id, s.kind, s.code, s.year;

-- name: three_public
-- 三公 per unit, year and kind: each item from the highest-priority document that states it.
SELECT d.unit_id, d.year, d.kind, t.measure,
       arg_min(t.amount_yuan, d.priority) AS amount,
       arg_min(t.doc_id, d.priority) AS doc_id,
       arg_min((SELECT min(p) FROM doc_tables x, unnest(x.pages) AS u(p)
                WHERE x.doc_id = t.doc_id AND x.kind = 'three_public'), d.priority) AS page
FROM unit_year_docs d JOIN three_public_amounts t USING (doc_id)
WHERE t.period = 'current' AND t.amount_yuan IS NOT NULL
GROUP BY ALL
ORDER BY d.unit_id, d.year, d.kind, t.measure;

-- name: yoy
SELECT d.unit_id, d.year, d.kind, y.doc_id, y.yoy_idx, y.subject, y.amount_yuan, y.change_yuan, y.percent,
       y.direction, y.basis, y.page, y.text
FROM unit_year_docs d JOIN yoy_statements y USING (doc_id)
ORDER BY d.unit_id, d.year, d.kind, d.priority, y.yoy_idx;

-- name: projects
SELECT d.unit_id, d.year, d.kind, p.doc_id, p.code, p.name, p.project, p.total,
       (SELECT min(l.page) FROM line_amounts l
        WHERE l.doc_id = p.doc_id AND l.table_idx = p.table_idx AND l.row_idx = p.row_idx) AS page
FROM unit_year_docs d JOIN projects p USING (doc_id)
WHERE p.total IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY d.unit_id, d.year, d.kind ORDER BY p.total DESC, p.project) <= 30
ORDER BY d.unit_id, d.year, d.kind, p.total DESC, p.project;

-- name: targets
SELECT d.unit_id, d.year, d.kind, t.doc_id, t.target_idx, t.table_kind, t.project, t.level1, t.level2,
       t.level3, t.value, t.weight, t.page
FROM unit_year_docs d JOIN performance_targets t USING (doc_id)
ORDER BY d.unit_id, d.year, d.kind, d.priority, t.target_idx;

-- name: procurement
SELECT d.unit_id, d.year, d.kind, p.doc_id, p.measure, p.amount_yuan, p.ratio,
       (SELECT min(pg) FROM doc_tables x, unnest(x.pages) AS u(pg)
        WHERE x.doc_id = p.doc_id AND x.kind = 'procurement') AS page
FROM unit_year_docs d JOIN procurement p USING (doc_id)
ORDER BY d.unit_id, d.year, d.kind, d.priority, p.measure;

-- name: assets
SELECT d.unit_id, d.year, d.kind, a.doc_id, a.item_idx, a.label, a.value, a.value_unit
FROM unit_year_docs d JOIN assets a USING (doc_id)
ORDER BY d.unit_id, d.year, d.kind, d.priority, a.item_idx;

-- name: failed_checks
SELECT q.doc_id, q.check_idx, q.rule, q.table_name, q.expected, q.actual, q.detail, q.tolerance, q.page,
       d.unit, d.unit_id, d.year, d.kind, coalesce(d.region, '') AS region, d.sha256, d.is_latest
FROM quality_checks q JOIN documents d USING (doc_id)
WHERE NOT q.passed
ORDER BY d.region, d.unit, d.year, q.doc_id, q.check_idx;

-- name: check_counts
SELECT q.doc_id, count(*) AS checks, count(*) FILTER (WHERE NOT q.passed) AS failed
FROM quality_checks q GROUP BY ALL ORDER BY q.doc_id;

-- name: tables
SELECT t.doc_id, t.table_idx, t.kind, t.label, t.title, t.pages
FROM doc_tables t ORDER BY t.doc_id, t.table_idx;

-- name: disclosure_scores
SELECT s.doc_id, s.unit, d.unit_id, coalesce(d.region, '') AS region, s.year, s.kind, s.source_file, s.ruleset,
       s.score, s.tables_score, s.sections_score, s.consistency_score, s.tables_required, s.tables_missing,
       s.tables_empty, s.missing_tables, s.missing_sections, s.checks, s.inconsistencies
FROM disclosure_score s JOIN documents d USING (doc_id)
ORDER BY s.score NULLS LAST, s.unit, s.year;

-- name: disclosure_issues
SELECT c.doc_id, c.unit, d.unit_id, coalesce(d.region, '') AS region, c.year, c.kind, c.rule, c.key, c.label,
       c.stated_amount, c.stated_page, c.compared_amount, c.compared_page, c.compared_source, c.compared_file,
       c.difference, c.sentence
FROM disclosure_consistency c JOIN documents d USING (doc_id)
WHERE NOT c.passed
ORDER BY c.unit, c.year, c.rule, c.key;
