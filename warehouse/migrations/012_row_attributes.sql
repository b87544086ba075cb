-- 012: the text columns a row prints beside its name and figures (采购表: 采购目录, 数量, 规格型号,
-- 采购方式, 实施采购时间, 说明), as a JSON object keyed by tables.yaml `attributes`
-- ({"catalogue": "C23120301车辆维修和保养服务", "quantity": "1"}); NULL where the row prints none.
-- Text as printed: a 数量 of "25,000" or "1批" is not a number the warehouse should guess at.

ALTER TABLE line_amounts ADD COLUMN IF NOT EXISTS attributes JSON;
