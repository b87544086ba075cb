-- 011: rows of 采购 and 项目 tables (and of any table printed without codes) carry their depth
-- in the printed hierarchy and whether they are a group line, the sum of the rows under them
-- (parsers/tables/depth.py): summing every row of such a table counts the money two or three
-- times; summing the rows that are not group lines does not. NULL where the table shows no
-- hierarchy its sums confirm (and in classification tables, where a row's level says it).

ALTER TABLE line_amounts ADD COLUMN IF NOT EXISTS depth INTEGER;
ALTER TABLE line_amounts ADD COLUMN IF NOT EXISTS group_line BOOLEAN;
