-- 004: the harvest manifest: every URL seen per run and what came of it.

CREATE TABLE fetches (
    run_id        VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    seq           INTEGER,                 -- order within the run
    source        VARCHAR,
    article_url   VARCHAR,
    article_title VARCHAR,
    link_text     VARCHAR,
    fetched_at    TIMESTAMPTZ NOT NULL,
    http_status   INTEGER,
    sha256        VARCHAR,
    bytes         BIGINT,
    content_type  VARCHAR,
    etag          VARCHAR,
    last_modified VARCHAR,
    outcome       VARCHAR NOT NULL,        -- new unchanged changed not_pdf http_error too_large timeout error
    error         VARCHAR,
    PRIMARY KEY (run_id, url)
);
