"""Disclosure quality on real reports: sections and narrative figures (parsers/sections.py),
completeness, narrative-vs-table, year-over-year and budget-vs-final consistency and the score
(warehouse/disclosure*.py, views/50_disclosure.sql). Every rule is shown holding on a real
report and failing on a copy with an altered figure or a removed table."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.document import Document
from parsers.parse import parse_pdf
from parsers.pdf import read_pdf_text
from parsers.sections import extract_sections
from warehouse import connect, load_document
from warehouse.disclosure_rules import ruleset_for

REAL = Path(__file__).parent / "fixtures" / "real"
FILES = {
    "central": "central_guojia-xinfangju_2026_yusuan.pdf",
    "final": "shanghai-putuo_shehui-gongzuobu_2024_juesuan.pdf",
    "beijing_text": "beijing_caizhengju_2026_yusuan_text.pdf",
    "jiangsu17": "jiangsu_gaoyuan_2017_yusuan.pdf",
    "jiangsu18": "jiangsu_gaoyuan_2018_yusuan_p1_p17_p21_p24.pdf",
}


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {name: parse_pdf(REAL / f) for name, f in FILES.items()}


def copy(doc: Document, sha: str | None = None) -> Document:
    out = doc.model_copy(deep=True)
    if sha:
        out.source.sha256 = sha
    return out


def warehouse(tmp_path: Path, *loaded: Document):
    con = connect(tmp_path / "w.duckdb")
    for i, d in enumerate(loaded):
        load_document(con, d, source_url=f"file:///corpus/{i}/{d.source.file}")
    return con


def rows(con, sql: str, *params) -> list[dict]:
    cur = con.execute(sql, list(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


# --------------------------------------------------------------------------- parser side


def test_sections_and_figures_with_pages(docs):
    facts = docs["central"].facts
    pages = {s["name"]: s["page"] for s in facts["sections"]}
    assert pages == {"functions": 3, "organisation": 4, "income_expenditure": 17, "three_public": 24,
                     "operating_costs": 25, "procurement": 26, "assets": 26, "performance": 26, "glossary": 33}
    figs = {f["key"]: (f["amount_yuan"], f["page"]) for f in facts["narrative_totals"]}
    assert figs["total_budget"] == (506169400.0, 17)
    assert figs["basic"] == (110560700.0, 18) and figs["project"] == (395608700.0, 18)
    assert figs["tp_total"] == (1126100.0, 24) and figs["operating_costs"] == (23762600.0, 25)
    assert figs["procurement_total"] == (43083900.0, 26)
    assert all(f["step_yuan"] == 100.0 for f in facts["narrative_totals"])  # "50,616.94万元"


def test_removed_section_heading_is_missing():
    pages = read_pdf_text(REAL / FILES["central"]).pages
    meta = {"kind": "budget", "year": 2026}
    assert "glossary" in {s["name"] for s in extract_sections(pages, meta)["sections"]}
    altered = [p.replace("名词解释", "附录") for p in pages]  # the PDF text of a copy without the heading
    assert "glossary" not in {s["name"] for s in extract_sections(altered, meta)["sections"]}


def test_final_accounts_figures_are_the_final_ones(docs):
    figs = {f["key"]: f["amount_yuan"] for f in docs["final"].facts["narrative_totals"]}
    assert figs["revenue"] == 3078200.0 and figs["expenditure"] == 3078200.0
    assert figs["basic"] == 1055800.0 and figs["operating_costs"] == 102300.0


# --------------------------------------------------------------------------- completeness


def test_rulesets_by_kind_year_region():
    assert ruleset_for("budget", 2017, ["江苏省"])["name"] == "jiangsu_budget_2017"
    assert ruleset_for("budget", 2017, ["北京市"])["name"] == "budget_2016"
    assert ruleset_for("budget", 2026, ["江苏省"])["name"] == "budget_2021"
    assert ruleset_for("final_accounts", 2024, [])["name"] == "final_accounts_2019"
    assert ruleset_for(None, 2024, []) is None


def test_completeness_present_empty_explained_missing(tmp_path, docs):
    con = warehouse(tmp_path, docs["central"], docs["final"], docs["beijing_text"], docs["jiangsu17"])
    status = {(r["source_file"], r["item"]): r for r in rows(
        con, "SELECT * FROM disclosure_completeness WHERE item_type = 'table'")}
    central, final = FILES["central"], FILES["final"]
    assert status[(central, "gpb_basic")]["status"] == "present" and status[(central, "gpb_basic")]["pages"] == [12, 13]
    assert status[(central, "gov_fund")]["status"] == "empty_explained"
    assert "没有使用政府性基金预算拨款" in status[(central, "gov_fund")]["note"]
    assert status[(final, "three_public")]["status"] == "empty_explained"
    assert "故本表无数据" in status[(final, "three_public")]["note"]
    # Jiangsu 2017's own set: 机关运行经费 and 政府采购 tables, no 国有资本 table
    j17 = {item for (f, item), r in status.items() if f == FILES["jiangsu17"] and r["status"] != "missing"}
    assert {"operating_costs", "procurement", "fiscal_expenditure", "fiscal_basic"} <= j17
    assert (FILES["jiangsu17"], "soe_capital") not in status
    # the Beijing narrative-only file lists every table as missing, every section as present
    bj = rows(con, "SELECT * FROM disclosure_score WHERE source_file = ?", FILES["beijing_text"])[0]
    assert bj["tables_missing"] == bj["tables_required"] == 10
    assert "收支总表" in bj["missing_tables"] and "“三公”经费支出表" in bj["missing_tables"]
    assert bj["sections_present"] == bj["sections_required"] == 9


def test_removed_table_is_missing(tmp_path, docs):
    removed = copy(docs["central"], sha="f" * 64)
    removed.tables = [t for t in removed.tables if t.kind != "gpb_basic_by_econ"]
    con = warehouse(tmp_path, docs["central"], removed)
    got = {r["doc_id"]: r for r in rows(con, "SELECT * FROM disclosure_score")}
    orig, alt = got[docs["central"].source.sha256[:16]], got["f" * 16]
    assert orig["tables_missing"] == 0 and alt["tables_missing"] == 1
    assert alt["missing_tables"] == "一般公共预算基本支出表" and alt["score"] < orig["score"]


def test_empty_table_without_explanation_counts_half(tmp_path, docs):
    unexplained = copy(docs["final"], sha="e" * 64)
    unexplained.facts["empty_notes"] = []
    con = warehouse(tmp_path, unexplained)
    r = rows(con, "SELECT status, credit FROM disclosure_completeness WHERE item = 'three_public'")[0]
    assert (r["status"], r["credit"]) == ("empty", 0.5)


# --------------------------------------------------------------------------- narrative vs tables

CENTRAL_AGREES = ["total_budget", "revenue", "expenditure", "basic", "project", "gpb_income", "gpb_basic",
                  "tp_total", "tp_abroad", "tp_reception", "tp_vehicle_total"]
JIANGSU_AGREES = ["operating_costs", "procurement_total", "tp_vehicle_operation", "gpb_basic"]


def _checks(con) -> dict[tuple[str, str], dict]:
    return {(r["source_file"], r["key"]): r for r in rows(
        con, "SELECT * FROM disclosure_consistency WHERE rule = 'narrative_vs_table'")}


def test_narrative_agrees_with_tables(tmp_path, docs):
    con = warehouse(tmp_path, docs["central"], docs["jiangsu17"])
    checks = _checks(con)
    for key in CENTRAL_AGREES:
        assert checks[(FILES["central"], key)]["passed"], key
    for key in JIANGSU_AGREES:
        assert checks[(FILES["jiangsu17"], key)]["passed"], key
    tp = checks[(FILES["central"], "tp_total")]
    assert (tp["stated_page"], tp["compared_page"], tp["compared_source"]) == (24, 16, "three_public.total")
    # the report's own discrepancy: 财政拨款收支总预算 18,728.91 万元 (p18) against 18,728.94 (p9)
    fiscal = checks[(FILES["central"], "fiscal_total")]
    assert not fiscal["passed"] and (fiscal["stated_page"], fiscal["compared_page"]) == (18, 9)
    assert float(fiscal["difference"]) == -300.0


@pytest.mark.parametrize("name,key", [("central", k) for k in CENTRAL_AGREES] + [("jiangsu17", k) for k in JIANGSU_AGREES])
def test_altered_narrative_figure_fails(tmp_path, docs, name, key):
    altered = copy(docs[name])
    for f in altered.facts["narrative_totals"]:
        if f["key"] == key:
            f["amount_yuan"] += 10000.0  # one 万元 more in the prose
    con = warehouse(tmp_path, altered)
    check = _checks(con)[(FILES[name], key)]
    assert not check["passed"] and float(check["difference"]) == 10000.0


def test_altered_table_figure_fails(tmp_path, docs):
    altered = copy(docs["central"])
    three = next(t for t in altered.tables if t.kind == "three_public")
    three.total["reception"] += 500.0
    check = _checks(warehouse(tmp_path, altered))[(FILES["central"], "tp_reception")]
    assert not check["passed"] and check["compared_page"] == 16


# --------------------------------------------------------------------------- across documents


def _yoy(con) -> list[dict]:
    return rows(con, "SELECT * FROM disclosure_consistency WHERE rule = 'yoy_vs_prior_report' ORDER BY stated_page")


def test_yoy_statement_against_last_years_report(tmp_path, docs):
    con = warehouse(tmp_path, docs["jiangsu17"], docs["jiangsu18"])
    yoy = _yoy(con)
    gpb = [r for r in yoy if r["key"] == "gpb"]
    assert gpb and all(r["passed"] for r in gpb)
    # 33172.15 万元 "与上年相比增加4322.77万元" -> 28849.38 万元, as the 2017 report says
    assert float(gpb[0]["stated_amount"]) == 288493800.0 and gpb[0]["compared_file"] == FILES["jiangsu17"]
    # without last year's report there is nothing to compare
    assert _yoy(warehouse(tmp_path / "alone", docs["jiangsu18"])) == []


def test_altered_yoy_change_fails(tmp_path, docs):
    altered = copy(docs["jiangsu18"])
    for y in altered.facts["yoy"]:
        if "一般公共预算" in (y.get("subject") or "") and y.get("change"):
            y["change"] += 10000.0
    yoy = _yoy(warehouse(tmp_path, docs["jiangsu17"], altered))
    assert [r for r in yoy if r["key"] == "gpb"] and not any(r["passed"] for r in yoy if r["key"] == "gpb")


def _as_final(budget: Document, shift: float = 0.0) -> Document:
    """The budget report re-labelled as its 决算, printing the budget as 年初预算 (the corpus
    has no budget and final accounts of the same unit-year)."""
    final = copy(budget, sha="a" * 64)
    final.document.kind = "final_accounts"
    for t in final.tables:
        if t.kind in ("expenditure_by_function", "gpb_expenditure_by_function") and "total" in t.total:
            t.total["budget_total"] = t.total["total"] + shift
    return final


def test_final_accounts_against_budget_of_same_unit_year(tmp_path, docs):
    con = warehouse(tmp_path, docs["central"], _as_final(docs["central"]))
    checks = rows(con, "SELECT * FROM disclosure_consistency WHERE rule = 'final_vs_budget_report'")
    assert {r["key"] for r in checks} == {"expenditure_by_function", "gpb_expenditure_by_function"}
    assert all(r["passed"] for r in checks) and {r["compared_page"] for r in checks} == {7, 10}
    rates = rows(con, "SELECT code, execution_rate, budget_source FROM disclosure_execution WHERE table_kind = "
                      "'expenditure_by_function' AND code = '201'")
    assert rates == [{"code": "201", "execution_rate": 1.0, "budget_source": "budget_report"}]


def test_final_accounts_with_altered_budget_column_fails(tmp_path, docs):
    con = warehouse(tmp_path, docs["central"], _as_final(docs["central"], shift=10000.0))
    checks = rows(con, "SELECT * FROM disclosure_consistency WHERE rule = 'final_vs_budget_report'")
    assert checks and not any(r["passed"] for r in checks)
    assert all(float(r["difference"]) == 10000.0 for r in checks)


# --------------------------------------------------------------------------- score, robustness


def test_score_is_the_documented_weighted_mean(tmp_path, docs):
    con = warehouse(tmp_path, docs["central"], docs["beijing_text"])
    for r in rows(con, "SELECT * FROM disclosure_score"):
        parts = [(0.4, r["tables_score"]), (0.2, r["sections_score"]), (0.4, r["consistency_score"])]
        have = [(w, s) for w, s in parts if s is not None]
        expected = sum(w * s for w, s in have) / sum(w for w, _ in have)
        assert abs(float(r["score"]) - expected) < 0.11
    bj = rows(con, "SELECT * FROM disclosure_score WHERE source_file = ?", FILES["beijing_text"])[0]
    assert bj["consistency_score"] is None and float(bj["score"]) == pytest.approx(33.3, abs=0.05)


def test_bad_facts_load_and_reload_is_idempotent(tmp_path, docs):
    bad = copy(docs["central"])
    bad.facts["sections"] = "not a list"
    bad.facts["narrative_totals"] = [{"key": "tp_total", "amount_yuan": "n/a"}, 7, {"amount_yuan": 1}]
    bad.facts["empty_notes"] = None
    con = warehouse(tmp_path, bad)
    first = rows(con, "SELECT count(*) AS n FROM disclosure_items")[0]["n"]
    load_document(con, bad, source_url=f"file:///corpus/0/{bad.source.file}")
    assert rows(con, "SELECT count(*) AS n FROM disclosure_items")[0]["n"] == first == 19
    assert rows(con, "SELECT count(*) AS n FROM disclosure_checks WHERE key = 'tp_total'")[0]["n"] == 0
    assert rows(con, "SELECT count(*) AS n FROM disclosure_score")[0]["n"] == 1


def test_unnumbered_titles_and_glossary_entries():
    pages = read_pdf_text(REAL / "shanghai-putuo_wanli-jiedao_2024_yusuan_bumen.pdf").pages
    meta = {"kind": "budget", "year": 2024}
    found = {s["name"]: s["page"] for s in extract_sections(pages, meta)["sections"]}
    # "…办事处（部门）主要职能" and a bare "名词解释" line are titles; "（七）“三公”经费：是…" in the
    # glossary (p5) is not the 三公 section (p32)
    assert (found["functions"], found["organisation"], found["glossary"], found["three_public"]) == (3, 4, 5, 32)
    altered = [p.replace("（部门）主要职能", "（部门）概述") for p in pages]
    assert "functions" not in {s["name"] for s in extract_sections(altered, meta)["sections"]}
