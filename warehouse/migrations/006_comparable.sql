-- 006: comparable units and reports. A unit is keyed by its canonical name (markers such as
-- （本级）/（汇总） and noise removed); what a report covers is a property of the document
-- version (consolidation), not of the unit. Category and region code come from
-- warehouse/reference (unit_categories.csv, admin_divisions.csv); report_key links the
-- 说明 and 报表 files of one unit-year.

ALTER TABLE dim_units ADD COLUMN category VARCHAR;
ALTER TABLE dim_units ADD COLUMN region_code VARCHAR;

ALTER TABLE document_versions ADD COLUMN unit_printed VARCHAR;
ALTER TABLE document_versions ADD COLUMN consolidation VARCHAR;
ALTER TABLE document_versions ADD COLUMN units_consolidated INTEGER;

UPDATE document_versions SET unit_printed = unit;
