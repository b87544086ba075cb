-- 003: unit and classification-code dimensions. Existing documents get a region-less unit each
-- (the next load with a region attaches it), and existing lines get their normalised names.

CREATE TABLE dim_units (
    unit_id     VARCHAR PRIMARY KEY,       -- region_path|short_name when first seen
    unit        VARCHAR NOT NULL,          -- display name: the most specific (longest) alias
    short_name  VARCHAR NOT NULL,          -- unit name without its region prefix
    region      VARCHAR[],
    region_path VARCHAR NOT NULL           -- 新疆维吾尔自治区/乌鲁木齐市/水磨沟区, '' if unknown
);

-- Every normalised printed name a unit went by, per region.
CREATE TABLE unit_aliases (
    alias       VARCHAR NOT NULL,
    region_path VARCHAR NOT NULL,
    unit_id     VARCHAR NOT NULL,
    PRIMARY KEY (alias, region_path)
);

-- Subordinate units a document names (narrative list or a table's 单位 column).
CREATE TABLE subordinate_units (
    doc_id  VARCHAR NOT NULL,
    name    VARCHAR NOT NULL,
    unit_id VARCHAR,
    source  VARCHAR NOT NULL               -- facts | document | table
);

CREATE TABLE code_reference (
    scheme      VARCHAR NOT NULL,          -- function | econ_dept | econ_gov
    code        VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    name_norm   VARCHAR NOT NULL,
    level       INTEGER,
    parent_code VARCHAR,
    edition     VARCHAR,
    evidence    VARCHAR,
    note        VARCHAR,
    PRIMARY KEY (scheme, code)
);

CREATE TABLE code_map (
    dept_code VARCHAR NOT NULL,
    gov_code  VARCHAR NOT NULL,
    evidence  VARCHAR
);

CREATE TABLE warehouse_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

ALTER TABLE document_versions ADD COLUMN unit_id VARCHAR;
ALTER TABLE document_versions ADD COLUMN region VARCHAR[];
ALTER TABLE document_versions ADD COLUMN region_path VARCHAR;
ALTER TABLE line_amounts ADD COLUMN name_norm VARCHAR;

UPDATE line_amounts
SET name_norm = replace(replace(regexp_replace(name, '[\s\x{3000}\x{00A0}]+', '', 'g'), '(', '（'), ')', '）');

INSERT INTO dim_units (unit_id, unit, short_name, region, region_path)
SELECT DISTINCT '|' || unit, unit, unit, [], '' FROM document_versions WHERE unit IS NOT NULL;

INSERT INTO unit_aliases (alias, region_path, unit_id)
SELECT DISTINCT unit, '', '|' || unit FROM document_versions WHERE unit IS NOT NULL;

UPDATE document_versions SET unit_id = '|' || unit, region = [], region_path = ''
WHERE unit IS NOT NULL;
