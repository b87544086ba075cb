-- Every table's text-layer verification (parsers/verify.py): verified / mismatch / unverifiable,
-- NULL for empty tables and for documents parsed before verification existed.
ALTER TABLE doc_tables ADD COLUMN verification VARCHAR;
