-- Every table's text-layer verification (parsers/verify.py): verified / mismatch / unverifiable,
-- NULL for empty tables and for documents parsed before verification existed.
ALTER TABLE doc_tables ADD COLUMN verification VARCHAR;
-- A report that prints two tables of one kind: the one the warehouse uses (parsers/verify.py
-- choose_tables), NULL when the kind is printed once, and the reason in words.
ALTER TABLE doc_tables ADD COLUMN chosen BOOLEAN;
ALTER TABLE doc_tables ADD COLUMN choice VARCHAR;
