-- Layer 3.5, comparable: the measure glossary, reports made of several files, code crosswalk.

-- ---------------------------------------------------------------- measures

-- The glossary of value keys. A key is [prior_|budget_]MEASURE[_QUALIFIER]: the measure (what
-- the column holds), the period (current / prior year), the basis (budget / final / adjusted),
-- and a qualifier the header adds when two columns would read alike (扣除基建 → excl_capital).
-- Fund scope: the qualifier's, else the table's (一般公共预算…表 → 一般公共预算), else all funds.
CREATE OR REPLACE VIEW measure_glossary AS
SELECT * FROM (VALUES
    ('total', '合计', 'total'),
    ('basic', '基本支出', 'basic expenditure'),
    ('project', '项目支出', 'project expenditure'),
    ('personnel', '人员经费', 'personnel costs'),
    ('public', '公用经费', 'public (office) costs'),
    ('business', '经营支出', 'operating expenditure of public institutions'),
    ('subsidy_subordinate', '对附属单位补助支出', 'subsidies to subordinate units'),
    ('remit_superior', '上缴上级支出', 'remittances to the superior'),
    ('carryover_next', '结转下年', 'carried over to next year'),
    ('carryover', '上年结转和结余', 'carry-over and balance from last year'),
    ('fiscal_carryover', '财政拨款结转', 'carry-over of fiscal appropriations'),
    ('nonfiscal_carryover', '非财政拨款结转结余', 'carry-over of non-fiscal funds'),
    ('three_public_total', '“三公”经费合计', 'three public expenses total'),
    ('abroad', '因公出国（境）费', 'official travel abroad'),
    ('vehicle_total', '公务用车购置及运行费', 'official vehicles purchase and operation'),
    ('vehicle_purchase', '公务用车购置费', 'official vehicle purchase'),
    ('vehicle_operation', '公务用车运行维护费', 'official vehicle operation'),
    ('reception', '公务接待费', 'official reception'),
    ('meeting', '会议费', 'meetings'),
    ('training', '培训费', 'training'),
    ('operating_costs', '机关运行经费', 'running costs of government offices'),
    ('procurement', '政府采购', 'government procurement'),
    ('procurement_sme', '政府采购（中小企业）', 'procurement from SMEs'),
    ('procurement_small_micro', '政府采购（小微企业）', 'procurement from small and micro enterprises'),
    ('superior_subsidy', '上级补助收入', 'subsidies from the superior'),
    ('subordinate_remit', '附属单位上缴收入', 'remittances from subordinate units'),
    ('transfer_gpb', '上级一般公共预算转移支付', 'general-budget transfers from the superior'),
    ('transfer_gov_fund', '上级政府性基金转移支付', 'government-fund transfers from the superior'),
    ('transfer_soe', '上级国有资本经营预算转移支付', 'state-capital transfers from the superior'),
    ('general_public_budget', '一般公共预算拨款', 'general public budget appropriation'),
    ('gov_fund', '政府性基金预算拨款', 'government fund appropriation'),
    ('soe_capital', '国有资本经营预算拨款', 'state-owned capital operation appropriation'),
    ('fiscal_special', '财政专户管理资金', 'fiscal special-account funds'),
    ('fiscal', '财政拨款', 'fiscal appropriation'),
    ('education_fees', '教育收费', 'education fees'),
    ('business_income', '事业收入', 'public-institution revenue'),
    ('operating_income', '经营收入', 'operating revenue'),
    ('other_income', '其他收入', 'other revenue'),
    ('unit_funds', '单位资金', 'unit funds'),
    ('use_of_reserves', '用事业基金弥补收支差额', 'use of reserves'),
    ('change', '增减额', 'change on last year'),
    ('budget_initial', '年初预算数', 'initial budget'),
    ('adjusted_budget', '调整预算数', 'adjusted budget'),
    ('revenue_total', '收入总计', 'revenue total'),
    ('expenditure_total', '支出总计', 'expenditure total'),
    ('econ_301', '工资福利支出', 'wages and benefits (301)'),
    ('econ_302', '商品和服务支出', 'goods and services (302)'),
    ('econ_303', '对个人和家庭的补助', 'subsidies to individuals and households (303)'),
    ('econ_307', '债务利息及费用支出', 'interest and debt costs (307)'),
    ('econ_309', '资本性支出（基本建设）', 'capital expenditure - construction (309)'),
    ('econ_310', '资本性支出', 'capital expenditure (310)'),
    ('econ_311', '对企业补助（基本建设）', 'subsidies to enterprises - construction (311)'),
    ('econ_312', '对企业补助', 'subsidies to enterprises (312)'),
    ('econ_313', '对社会保障基金补助', 'subsidies to social security funds (313)'),
    ('econ_399', '其他支出', 'other expenditure (399)')
) AS g(measure, meaning_zh, meaning_en);

CREATE OR REPLACE VIEW measure_qualifier_glossary AS
SELECT * FROM (VALUES
    ('excl_capital', '扣除基建投资后', 'excluding capital construction', NULL),
    ('closing', '年末', 'at year end', NULL),
    ('opening', '年初', 'at year start', NULL),
    ('used', '其中：动用', 'of which used', NULL),
    ('fiscal', '财政拨款', 'fiscal appropriations only', '财政拨款'),
    ('gpb', '一般公共预算', 'general public budget only', '一般公共预算'),
    ('gov_fund', '政府性基金', 'government funds only', '政府性基金'),
    ('soe_capital', '国有资本经营预算', 'state capital operations budget only', '国有资本经营'),
    ('expenditure', '支出', 'expenditure side', NULL),
    ('revenue', '收入', 'revenue side', NULL),
    ('subtotal', '小计', 'subtotal', NULL),
    ('change', '增减变化', 'change from the prior year', NULL)
) AS q(qualifier, meaning_zh, meaning_en, fund_scope);

CREATE OR REPLACE VIEW measures AS
WITH used AS (
    SELECT l.table_kind, l.measure AS key, d.kind AS doc_kind, count(*) AS n_values,
           count(DISTINCT l.doc_id) AS n_documents,
           list(DISTINCT json_extract_string(t.columns, '$."' || l.measure || '"'))
               FILTER (WHERE json_extract_string(t.columns, '$."' || l.measure || '"') IS NOT NULL) AS printed_headers
    FROM line_amounts l
    JOIN doc_tables t USING (doc_id, table_idx)
    JOIN document_versions d USING (doc_id)
    GROUP BY ALL
), split AS (
    SELECT u.*,
           CASE WHEN key LIKE 'prior\_%' ESCAPE '\' THEN 'prior' ELSE 'current' END AS period,
           regexp_replace(key, '^(prior|budget)_', '') AS rest,
           key LIKE 'budget\_%' ESCAPE '\' AS budget_column
    FROM used u
), parts AS (
    SELECT s.*, coalesce(g.measure, g2.measure, s.rest) AS measure,
           CASE WHEN g.measure IS NULL AND g2.measure IS NOT NULL THEN q.qualifier END AS qualifier
    FROM split s
    LEFT JOIN measure_glossary g ON g.measure = s.rest
    LEFT JOIN measure_qualifier_glossary q ON g.measure IS NULL AND s.rest LIKE '%\_' || q.qualifier ESCAPE '\'
    LEFT JOIN measure_glossary g2 ON g2.measure = left(s.rest, length(s.rest) - length(q.qualifier) - 1)
    QUALIFY row_number() OVER (PARTITION BY s.table_kind, s.key, s.doc_kind ORDER BY g2.measure IS NULL,
                               length(q.qualifier) DESC NULLS LAST) = 1
)
SELECT p.key, p.table_kind, p.doc_kind, p.measure, p.period,
       CASE WHEN p.measure = 'adjusted_budget' THEN 'adjusted'
            WHEN p.measure = 'budget_initial' OR p.budget_column OR p.doc_kind = 'budget' THEN 'budget'
            WHEN p.doc_kind = 'final_accounts' THEN 'final' END AS basis,
       coalesce(q.fund_scope,
                CASE WHEN p.table_kind LIKE 'gpb\_%' ESCAPE '\' THEN '一般公共预算'
                     WHEN p.table_kind LIKE 'fiscal\_%' ESCAPE '\' OR p.table_kind = 'three_public' THEN '财政拨款'
                     WHEN p.table_kind = 'gov_fund_expenditure' THEN '政府性基金'
                     WHEN p.table_kind = 'soe_capital_expenditure' THEN '国有资本经营'
                     ELSE '全部资金' END) AS fund_scope,
       p.qualifier,
       concat_ws('，', g.meaning_zh, q.meaning_zh) AS meaning_zh,
       concat_ws(', ', g.meaning_en, q.meaning_en) || CASE p.period WHEN 'prior' THEN ' (prior year)' ELSE '' END
           AS meaning_en,
       coalesce(p.printed_headers, []) AS printed_headers, p.n_values, p.n_documents
FROM parts p
LEFT JOIN measure_glossary g ON g.measure = p.measure
LEFT JOIN measure_qualifier_glossary q ON q.qualifier = p.qualifier;

-- ---------------------------------------------------------------- reports

-- One row per report (unit, year, kind and coverage): the files it was published as. A file
-- with table rows is 报表, one with prose statements only is 说明, one with both is 说明和报表.
CREATE OR REPLACE VIEW reports AS
WITH files AS (
    SELECT d.report_key, d.unit_id, d.year, d.kind, d.chosen_consolidation AS consolidation, d.doc_id, d.priority,
           d.units_consolidated, v.source_file,
           EXISTS (SELECT 1 FROM doc_tables t WHERE t.doc_id = d.doc_id AND t.n_rows > 0) AS has_tables,
           EXISTS (SELECT 1 FROM yoy_statements y WHERE y.doc_id = d.doc_id)
               OR EXISTS (SELECT 1 FROM staffing_counts s WHERE s.doc_id = d.doc_id) AS has_text
    FROM unit_year_docs d JOIN document_versions v USING (doc_id)
)
SELECT f.report_key, f.unit_id, u.unit, f.year, f.kind, any_value(f.consolidation) AS consolidation,
       max(f.units_consolidated) AS units_consolidated, count(*) AS n_files,
       list(f.doc_id ORDER BY f.priority) AS doc_ids,
       list(f.source_file ORDER BY f.priority) AS source_files,
       list(CASE WHEN f.has_tables AND f.has_text THEN '说明和报表' WHEN f.has_tables THEN '报表' ELSE '说明' END
            ORDER BY f.priority) AS roles,
       u.category, u.region_path AS region
FROM files f JOIN dim_units u USING (unit_id)
GROUP BY f.report_key, f.unit_id, u.unit, f.year, f.kind, u.category, u.region_path;

-- ---------------------------------------------------------------- codes across years

-- Each code's printed name per year (latest documents), the years it is seen, whether it is new
-- or retired within the span of years its scheme is seen, renamed, and how it compares with the
-- reference lists. name_conflict_across_years: more than one name over the years.
CREATE OR REPLACE VIEW code_crosswalk AS
WITH span AS (SELECT scheme, min(year) AS first_year, max(year) AS last_year FROM code_names_by_year GROUP BY ALL),
per_code AS (
    SELECT scheme, code, min(level) AS level, min(year) AS first_year, max(year) AS last_year, list(year ORDER BY year) AS years,
           map_from_entries(list({'k': year, 'v': name} ORDER BY year)) AS name_by_year,
           count(DISTINCT name) AS n_names,
           arg_max(name, year) AS latest_name
    FROM code_names_by_year GROUP BY ALL
)
SELECT c.scheme, c.code, c.level,
       c.latest_name AS name, c.name_by_year, c.years, c.first_year, c.last_year,
       c.first_year > s.first_year AS new_in_span,
       c.last_year < s.last_year AS retired_in_span,
       c.n_names > 1 AS renamed, c.n_names > 1 AS name_conflict_across_years,
       r.name AS reference_name, r.code IS NOT NULL AS in_reference,
       coalesce(r.name_norm <> c.latest_name, false) AS differs_from_reference
FROM per_code c JOIN span s USING (scheme)
LEFT JOIN code_reference r ON r.scheme = c.scheme AND r.code = c.code;

-- Codes that carry on under another code, learned per unit, from one year to the unit's next:
-- * recoded / renamed_and_recoded: a code the unit prints in year Y and no longer in its next
--   year, and a code of the same level and 类 it prints that next year but not in Y, with the
--   same name, nearly the same name, or one name inside the other (公诉、审判、侦查、执行等检察
--   监督支出 → 检察监督); split_into when one old code has several such successors;
-- * merged_into: a code that disappears while a sibling of the same 款, printed in both years,
--   is renamed that year to a name sharing a term with it (侦查监督 → 公诉、审判、侦查、执行等检察
--   监督支出). Terms are two-character pieces, not counting the 款's own name and filler words,
--   so 其他检察支出 or 查办和预防职务犯罪 (moved out of 检察 in 2018) are not linked.
CREATE OR REPLACE VIEW code_links AS
WITH s AS MATERIALIZED (SELECT unit_id, kind, year, code, level, name FROM spend_by_function),
ys AS (SELECT unit_id, kind, year, lead(year) OVER (PARTITION BY unit_id, kind ORDER BY year) AS next_year
       FROM (SELECT DISTINCT unit_id, kind, year FROM s)),
gone AS (  -- printed in Y, not in the unit's next year
    SELECT o.*, y.next_year FROM s o
    JOIN ys y ON y.unit_id = o.unit_id AND y.kind = o.kind AND y.year = o.year
    WHERE NOT EXISTS (SELECT 1 FROM s x WHERE x.unit_id = o.unit_id AND x.kind = o.kind AND x.year = y.next_year
                      AND x.code = o.code)
),
recoded AS (
    SELECT o.unit_id, o.kind, o.code AS old_code, n.code AS new_code, o.year AS old_last_year,
           n.year AS new_first_year, o.name AS old_name, n.name AS new_name,
           CASE WHEN o.name = n.name THEN 'recoded' ELSE 'renamed_and_recoded' END AS link
    FROM gone o
    JOIN s n ON n.unit_id = o.unit_id AND n.kind = o.kind AND n.year = o.next_year AND n.level = o.level
            AND left(n.code, 3) = left(o.code, 3) AND n.code <> o.code
            AND (n.name = o.name OR jaro_winkler_similarity(n.name, o.name) >= 0.9
                 OR (least(length(n.name), length(o.name)) >= 4
                     AND (contains(n.name, o.name) OR contains(o.name, n.name))))
    WHERE NOT EXISTS (SELECT 1 FROM s x WHERE x.unit_id = o.unit_id AND x.kind = o.kind AND x.year = o.year
                      AND x.code = n.code)
),
terms AS (  -- a level-3 name's two-character pieces, without its 款's name and filler words
    SELECT s.unit_id, s.kind, s.year, s.code,
           list_filter([substr(s.name, i, 2) FOR i IN range(1, length(s.name))],
                       lambda t: NOT contains(coalesce(p.name, ''), t)
                            AND t NOT IN ('其他', '支出', '事务', '管理', '运行', '一般', '行政', '事业', '专项')) AS terms
    FROM s LEFT JOIN s p ON p.unit_id = s.unit_id AND p.kind = s.kind AND p.year = s.year AND p.code = left(s.code, 5)
    WHERE s.level = 3
),
merged AS (
    SELECT o.unit_id, o.kind, o.code AS old_code, b.code AS new_code, o.year AS old_last_year,
           o.next_year AS new_first_year, o.name AS old_name, b.name AS new_name, 'merged_into' AS link
    FROM gone o
    JOIN s a ON a.unit_id = o.unit_id AND a.kind = o.kind AND a.year = o.year AND a.level = 3
            AND left(a.code, 5) = left(o.code, 5) AND a.code <> o.code
    JOIN s b ON b.unit_id = a.unit_id AND b.kind = a.kind AND b.year = o.next_year AND b.code = a.code
            AND b.name <> a.name
    JOIN terms ot ON ot.unit_id = o.unit_id AND ot.kind = o.kind AND ot.year = o.year AND ot.code = o.code
    JOIN terms bt ON bt.unit_id = b.unit_id AND bt.kind = b.kind AND bt.year = b.year AND bt.code = b.code
    WHERE o.level = 3 AND list_has_any(ot.terms, bt.terms)
      AND NOT EXISTS (SELECT 1 FROM recoded r WHERE r.unit_id = o.unit_id AND r.kind = o.kind AND r.old_code = o.code
                      AND r.old_last_year = o.year)
)
SELECT 'function' AS scheme, unit_id, kind, old_code, new_code, old_last_year, new_first_year, old_name, new_name,
       CASE WHEN link <> 'merged_into'
                 AND count(*) OVER (PARTITION BY unit_id, kind, old_code, old_last_year) > 1 THEN 'split_into'
            ELSE link END AS link
FROM (SELECT * FROM recoded UNION ALL SELECT * FROM merged);

-- A unit's series per code with the codes linked across years: series_code is the code a code
-- carries on as in that unit's later years, so 2017–2019 line up where an item was recoded.
CREATE OR REPLACE VIEW unit_series_linked AS
SELECT s.*, coalesce(l.new_code, s.code) AS series_code, l.link,
       x.renamed AS code_renamed, x.name_by_year AS code_name_by_year
FROM unit_series s
LEFT JOIN (SELECT * FROM code_links  -- one successor a code (a split carries on as its first)
           QUALIFY row_number() OVER (PARTITION BY unit_id, kind, old_code ORDER BY new_code) = 1) l
    ON l.unit_id = s.unit_id AND l.kind = s.kind AND l.old_code = s.code AND s.year <= l.old_last_year
LEFT JOIN code_crosswalk x ON x.scheme = 'function' AND x.code = s.code;

-- ---------------------------------------------------------------- like for like

-- One code across the units of one category (信访, 财政 …) in a year: amount, share of each
-- unit's total expenditure, rank within the category (by share), and the report's coverage.
CREATE OR REPLACE VIEW category_comparison AS
SELECT c.year, c.kind, c.code, c.name, c.level, u.category, c.unit, c.region, c.amount_yuan, c.share,
       rank() OVER (PARTITION BY c.kind, c.year, c.code, u.category ORDER BY c.share DESC NULLS LAST) AS rank_in_category,
       count(*) OVER (PARTITION BY c.kind, c.year, c.code, u.category) AS n_in_category,
       c.unit_total_expenditure, c.consolidation, c.total_expenditure_source, c.unit_id
FROM unit_comparison c
JOIN units u USING (unit_id);
