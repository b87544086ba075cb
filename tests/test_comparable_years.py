"""Codes across years: names per year, new / retired / renamed, links for recoded items, and a
unit's series that lines up across the years."""

from __future__ import annotations

import pytest

from tests.comparable_support import build

FIXTURES = ["jiangsu_gaoyuan_2017_yusuan.pdf", "jiangsu_gaoyuan_2018_yusuan_p1_p9-15.pdf",
            "jiangsu_gaoyuan_2019_yusuan_p1_p8-13.pdf"]


def _warehouse(tmp_path_factory, names: list[str]):
    c = build(tmp_path_factory.mktemp("years") / "w.duckdb", names)
    yield c
    c.close()


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    yield from _warehouse(tmp_path_factory, FIXTURES)


def test_crosswalk_names_per_year(con):
    years = con.execute("SELECT years FROM code_crosswalk WHERE scheme = 'function' AND code = '204'").fetchone()[0]
    assert years == [2017, 2018, 2019]
    rows = con.execute("SELECT code, name_by_year, new_in_span, retired_in_span, renamed, name_conflict_across_years "
                       "FROM code_crosswalk WHERE scheme = 'function'").fetchall()
    assert rows
    for code, names, new, retired, renamed, conflict in rows:
        assert renamed == (len(set(names.values())) > 1) == conflict, code
        assert new == (min(names) > 2017) and retired == (max(names) < 2019), code


def test_links_are_learned_per_unit_and_not_invented(con):
    # 江苏省高级人民法院 keeps its codes over 2017-2019: 行政运行 under another 款 of the corpus
    # is not this unit's successor code, so nothing is linked
    assert con.execute("SELECT count(*) FROM code_links").fetchone() == (0,)
    cols = [d[0] for d in con.execute("SELECT * FROM code_links").description]
    assert {"unit_id", "old_code", "new_code", "old_last_year", "new_first_year", "link"} <= set(cols)


def test_unit_series_per_code_over_three_years(con):
    rows = con.execute("SELECT year, amount_yuan, series_code FROM unit_series_linked "
                       "WHERE unit = '江苏省高级人民法院' AND code = '204' ORDER BY year").fetchall()
    assert [r[0] for r in rows] == [2017, 2018, 2019]
    assert all(r[1] > 0 and r[2] == "204" for r in rows)


PROCURATORATE = ["jiangsu_jianchayuan_2017_yusuan_p1_p14.pdf", "jiangsu_jianchayuan_2018_yusuan_p1_p17-18.pdf",
                 "jiangsu_jianchayuan_2019_yusuan_p1_p18.pdf"]


@pytest.fixture(scope="module")
def procuratorate(tmp_path_factory):
    yield from _warehouse(tmp_path_factory, PROCURATORATE)


def test_merged_and_renamed_codes_are_linked(procuratorate):
    """江苏省人民检察院: 2018 merged 侦查监督 (2040406) into 2040405, renamed 公诉、审判、侦查、执行等
    检察监督支出; 2019 recoded that as 2040410 检察监督. 查办和预防职务犯罪 left 检察 for the new
    supervision commissions and 其他检察支出 only skipped a year: neither is linked."""
    links = procuratorate.execute("SELECT old_code, new_code, old_last_year, new_first_year, link FROM code_links "
                                  "ORDER BY old_code").fetchall()
    assert links == [("2040405", "2040410", 2018, 2019, "renamed_and_recoded"),
                     ("2040406", "2040405", 2017, 2018, "merged_into")]
    series = dict(procuratorate.execute(
        "SELECT code, series_code FROM unit_series_linked WHERE year = 2017 AND code LIKE '20404%'").fetchall())
    assert series["2040406"] == "2040405" and series["2040405"] == "2040410"
    assert series["2040404"] == "2040404" and series["2040499"] == "2040499"
