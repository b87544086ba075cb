-- 011: rows of tables printed without codes (政府采购, project lists) carry their depth in the
-- printed hierarchy and whether they are a group line, the sum of the rows under them
-- (parsers/tables/depth.py): summing every row of such a table counts the money two or three
-- times; summing the rows that are not group lines does not. NULL where the table shows no
-- hierarchy the sums confirm (and for coded rows, whose level says it).

ALTER TABLE line_amounts ADD COLUMN IF NOT EXISTS depth INTEGER;
ALTER TABLE line_amounts ADD COLUMN IF NOT EXISTS group_line BOOLEAN;
