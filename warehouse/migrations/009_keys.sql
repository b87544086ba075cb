-- 009: natural keys on the per-document fact tables. A document's rows are still replaced as a
-- whole on re-load (warehouse/load.py); these unique indexes make a second copy of any row
-- (a loader bug, a hand-made INSERT) fail instead of silently doubling a sum. Columns that may
-- be NULL (disclosure_figures.rank) take part through UNIQUE semantics: NULLs never collide.

CREATE UNIQUE INDEX doc_tables_key ON doc_tables (doc_id, table_idx);
CREATE UNIQUE INDEX line_amounts_key ON line_amounts (doc_id, table_idx, row_idx, measure);
CREATE UNIQUE INDEX table_totals_key ON table_totals (doc_id, table_idx, measure);
CREATE UNIQUE INDEX summary_items_key ON summary_items (doc_id, table_idx, item_idx, measure);
CREATE UNIQUE INDEX quality_checks_key ON quality_checks (doc_id, check_idx);
CREATE UNIQUE INDEX parse_errors_key ON parse_errors (doc_id, error_idx);
CREATE UNIQUE INDEX three_public_amounts_key ON three_public_amounts (doc_id, measure, period);
CREATE UNIQUE INDEX staffing_counts_key ON staffing_counts (doc_id, measure);
CREATE UNIQUE INDEX procurement_key ON procurement (doc_id, measure);
CREATE UNIQUE INDEX assets_key ON assets (doc_id, item_idx);
CREATE UNIQUE INDEX operating_costs_key ON operating_costs (doc_id);
CREATE UNIQUE INDEX yoy_statements_key ON yoy_statements (doc_id, yoy_idx);
CREATE UNIQUE INDEX performance_targets_key ON performance_targets (doc_id, target_idx);
CREATE UNIQUE INDEX subordinate_units_key ON subordinate_units (doc_id, name);
CREATE UNIQUE INDEX disclosure_docs_key ON disclosure_docs (doc_id);
CREATE UNIQUE INDEX disclosure_items_key ON disclosure_items (doc_id, item_type, item);
CREATE UNIQUE INDEX disclosure_figures_key ON disclosure_figures (doc_id, key, source, rank);
CREATE UNIQUE INDEX disclosure_checks_key ON disclosure_checks (doc_id, key);
