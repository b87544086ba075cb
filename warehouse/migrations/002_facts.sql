-- 002: narrative facts (document.facts). Open-ended key sets are stored long (measure, value)
-- so a new parser key needs no migration; document_versions.facts keeps everything verbatim.

CREATE TABLE three_public_amounts (
    doc_id      VARCHAR NOT NULL,
    measure     VARCHAR NOT NULL,          -- total, abroad, reception, vehicle_* ...
    period      VARCHAR NOT NULL,          -- current | prior (keys prefixed prior_)
    amount_yuan DECIMAL(18,2)
);

CREATE TABLE staffing_counts (
    doc_id  VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,              -- authorized, actual, in_service, retired ...
    value   DECIMAL(18,2)
);

CREATE TABLE procurement (
    doc_id      VARCHAR NOT NULL,
    measure     VARCHAR NOT NULL,          -- total, goods, works, services, sme, sme_share
    amount_yuan DECIMAL(18,2),             -- money keys
    ratio       DOUBLE                     -- *_share / *_ratio / *_percent keys, as printed
);

CREATE TABLE assets (
    doc_id     VARCHAR NOT NULL,
    item_idx   INTEGER NOT NULL,
    label      VARCHAR NOT NULL,
    value      DECIMAL(18,2),
    value_unit VARCHAR                     -- 元, 辆, m2, or as the parser said
);

CREATE TABLE operating_costs (
    doc_id      VARCHAR NOT NULL,
    amount_yuan DECIMAL(18,2)
);

CREATE TABLE yoy_statements (
    doc_id      VARCHAR NOT NULL,
    yoy_idx     INTEGER NOT NULL,
    subject     VARCHAR,
    amount_yuan DECIMAL(18,2),
    change_yuan DECIMAL(18,2),
    percent     DOUBLE,
    direction   VARCHAR,
    basis       VARCHAR,
    page        INTEGER,
    text        VARCHAR
);

CREATE TABLE performance_targets (
    doc_id     VARCHAR NOT NULL,
    target_idx INTEGER NOT NULL,
    table_kind VARCHAR,                    -- unit | project
    project    VARCHAR,
    level1     VARCHAR,
    level2     VARCHAR,
    level3     VARCHAR,
    value      VARCHAR,
    basis      VARCHAR,
    weight     DOUBLE,
    page       INTEGER
);
