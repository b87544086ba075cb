-- 001: document versions, their source URLs, parsed tables and amounts, checks, errors, runs.
-- Amounts are DECIMAL(18,2) 元. Per-document rows carry doc_id and are replaced as a whole
-- when a document version is re-loaded (warehouse/load.py), so they have no primary keys.

CREATE TABLE document_versions (
    doc_id          VARCHAR PRIMARY KEY,   -- first 16 hex chars of the PDF's sha256
    sha256          VARCHAR,
    source_url      VARCHAR NOT NULL,      -- URL (or local path) it was first loaded from
    source_file     VARCHAR,
    pages           INTEGER,
    unit            VARCHAR,               -- normalised printed unit name
    year            INTEGER,
    kind            VARCHAR,               -- budget | final_accounts
    scope           VARCHAR,               -- department | unit | NULL
    title           VARCHAR,
    status          VARCHAR NOT NULL,
    schema_tag      VARCHAR,
    parser_version  VARCHAR,
    parse_seconds   DOUBLE,
    facts           JSON,                  -- the document's facts verbatim, for keys not modelled
    fetched_at      TIMESTAMPTZ,
    parsed_at       TIMESTAMPTZ,
    parsed_at_iso   VARCHAR,               -- parsed_at exactly as the caller gave it
    first_loaded_at TIMESTAMPTZ NOT NULL,
    loaded_at       TIMESTAMPTZ NOT NULL,
    run_id          VARCHAR
);

-- Every URL a version was delivered by; lineage (which version supersedes which) derives from it.
CREATE TABLE document_sources (
    url           VARCHAR NOT NULL,
    doc_id        VARCHAR NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    seen_from     VARCHAR NOT NULL,        -- fetch (harvest times) | load (load time, no fetch time known)
    PRIMARY KEY (url, doc_id)
);

CREATE TABLE doc_tables (
    doc_id     VARCHAR NOT NULL,
    table_idx  INTEGER NOT NULL,
    kind       VARCHAR NOT NULL,
    label      VARCHAR,
    title      VARCHAR,
    pages      INTEGER[],
    money_unit VARCHAR,
    table_unit VARCHAR,
    columns    JSON,
    empty      BOOLEAN,
    note       VARCHAR,
    flavor     VARCHAR,
    n_rows     INTEGER,
    n_items    INTEGER
);

-- One row per table row x measure (the long format behind the budget_lines view).
CREATE TABLE line_amounts (
    doc_id      VARCHAR NOT NULL,
    table_idx   INTEGER NOT NULL,
    row_idx     INTEGER NOT NULL,
    table_kind  VARCHAR NOT NULL,
    table_label VARCHAR,
    table_title VARCHAR,
    money_unit  VARCHAR,
    code        VARCHAR,
    level       INTEGER,
    scheme      VARCHAR,
    code_source VARCHAR,
    name        VARCHAR,
    row_unit    VARCHAR,
    project     VARCHAR,
    measure     VARCHAR NOT NULL,
    amount_yuan DECIMAL(18,2),
    page        INTEGER
);

CREATE TABLE table_totals (
    doc_id      VARCHAR NOT NULL,
    table_idx   INTEGER NOT NULL,
    table_kind  VARCHAR NOT NULL,
    measure     VARCHAR NOT NULL,
    amount_yuan DECIMAL(18,2)
);

-- Uncoded labelled amounts (收入总计, 一、财政拨款收入 ...), one row per item x measure.
CREATE TABLE summary_items (
    doc_id      VARCHAR NOT NULL,
    table_idx   INTEGER NOT NULL,
    item_idx    INTEGER NOT NULL,
    table_kind  VARCHAR NOT NULL,
    side        VARCHAR,
    label       VARCHAR,
    key         VARCHAR,
    code        VARCHAR,
    measure     VARCHAR NOT NULL,
    amount_yuan DECIMAL(18,2),
    page        INTEGER
);

CREATE TABLE quality_checks (
    doc_id     VARCHAR NOT NULL,
    check_idx  INTEGER NOT NULL,
    rule       VARCHAR,
    table_name VARCHAR,
    passed     BOOLEAN,
    expected   DECIMAL(18,2),
    actual     DECIMAL(18,2),
    detail     VARCHAR,
    tolerance  DOUBLE,
    page       INTEGER
);

CREATE TABLE parse_errors (
    doc_id    VARCHAR NOT NULL,
    error_idx INTEGER NOT NULL,
    message   VARCHAR
);

CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    status      VARCHAR,
    counts      JSON
);
