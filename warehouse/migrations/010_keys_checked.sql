-- 010: the natural keys of 009 are checked by the loader (warehouse/keys.py) instead of by
-- unique indexes: their ART maintenance cost ~15 % of a bulk load's CPU and their bytes were 70 %
-- of the warehouse (123 kB a report with them, 37 kB without; bench/load_speed.py). The
-- key_violations view lists any key a hand-written INSERT may still repeat.

DROP INDEX IF EXISTS doc_tables_key;
DROP INDEX IF EXISTS line_amounts_key;
DROP INDEX IF EXISTS table_totals_key;
DROP INDEX IF EXISTS summary_items_key;
DROP INDEX IF EXISTS quality_checks_key;
DROP INDEX IF EXISTS parse_errors_key;
DROP INDEX IF EXISTS three_public_amounts_key;
DROP INDEX IF EXISTS staffing_counts_key;
DROP INDEX IF EXISTS procurement_key;
DROP INDEX IF EXISTS assets_key;
DROP INDEX IF EXISTS operating_costs_key;
DROP INDEX IF EXISTS yoy_statements_key;
DROP INDEX IF EXISTS performance_targets_key;
DROP INDEX IF EXISTS subordinate_units_key;
DROP INDEX IF EXISTS disclosure_docs_key;
DROP INDEX IF EXISTS disclosure_items_key;
DROP INDEX IF EXISTS disclosure_figures_key;
DROP INDEX IF EXISTS disclosure_checks_key;
