-- Layer 2b, verification: every table's check against its pages' own text (parsers/verify.py).
-- One row per table: its status, how many printed lines matched, and the failed lines' pages.

CREATE OR REPLACE VIEW table_verification AS
SELECT t.doc_id, d.unit, d.year, d.kind AS doc_kind, d.is_latest, t.table_idx, t.kind AS table_kind, t.label,
       t.title, t.pages, t.verification,
       max(q.actual) FILTER (WHERE q.rule = 'text layer verification') AS lines_matched,
       max(q.expected) FILTER (WHERE q.rule = 'text layer verification') AS lines_printed,
       count(q.rule) FILTER (WHERE NOT q.passed AND q.rule LIKE 'text layer:%') AS lines_failed,
       list(DISTINCT q.page ORDER BY q.page) FILTER (WHERE NOT q.passed AND q.rule LIKE 'text layer%') AS failed_pages
FROM doc_tables t
JOIN documents d USING (doc_id)
LEFT JOIN quality_checks q ON q.doc_id = t.doc_id
     AND q.table_name = t.kind || ' (' || coalesce(t.label, t.title) || ')'
GROUP BY ALL;
