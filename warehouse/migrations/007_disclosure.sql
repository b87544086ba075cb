-- 007: disclosure quality (warehouse/disclosure*.py, views/50_disclosure.sql). Per-document
-- rows, replaced with the document on every load like the other fact tables.

-- The ruleset applied and the score weights in force when the document was loaded.
CREATE TABLE disclosure_docs (
    doc_id            VARCHAR NOT NULL,
    ruleset           VARCHAR,             -- NULL: no ruleset for this kind/year
    w_tables          DOUBLE,
    w_sections        DOUBLE,
    w_consistency     DOUBLE
);

-- One row per required table or section: present / empty_explained / empty / missing.
CREATE TABLE disclosure_items (
    doc_id     VARCHAR NOT NULL,
    item_type  VARCHAR NOT NULL,           -- table | section
    item       VARCHAR NOT NULL,           -- requirement key (gov_fund, glossary …)
    label      VARCHAR,                    -- 政府性基金预算支出表, 名词解释 …
    status     VARCHAR NOT NULL,
    credit     DOUBLE NOT NULL,            -- 1 present/explained, 0.5 unexplained empty, 0 missing
    pages      INTEGER[],
    table_kinds VARCHAR[],
    note       VARCHAR                     -- the report's explanation of an empty table, or a heading
);

-- Figures per key: the narrative's (source narrative), each table reading it may be compared
-- with (source table, rank = candidate order), and last year's figure implied by a
-- "比上年增加 X 万元" statement (source yoy_prior).
CREATE TABLE disclosure_figures (
    doc_id      VARCHAR NOT NULL,
    key         VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    rank        INTEGER,
    amount_yuan DECIMAL(18,2),
    step_yuan   DOUBLE,                    -- one unit of the last printed digit
    page        INTEGER,
    table_kind  VARCHAR,
    measure     VARCHAR,
    sentence    VARCHAR
);

-- Narrative figure against the tables of the same document, with both pages.
CREATE TABLE disclosure_checks (
    doc_id           VARCHAR NOT NULL,
    key              VARCHAR NOT NULL,
    label            VARCHAR,
    stated_amount    DECIMAL(18,2),
    stated_page      INTEGER,
    compared_amount  DECIMAL(18,2),
    compared_page    INTEGER,
    table_kind       VARCHAR,
    measure          VARCHAR,
    difference       DECIMAL(18,2),
    tolerance        DOUBLE,
    passed           BOOLEAN NOT NULL,
    sentence         VARCHAR
);
