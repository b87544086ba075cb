"""The HTML report's disclosure page: every report's score and missing tables, and the
report's own inconsistency (国家信访局 2026: 财政拨款收支总预算 18,728.91 万元 on p18 against
18,728.94 in the table on p9) with both pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.parse import parse_pdf
from report.site import build_site
from warehouse import connect, load_document

REAL = Path(__file__).parent / "fixtures" / "real"


@pytest.mark.slow
def test_disclosure_page(tmp_path):
    db = tmp_path / "w.duckdb"
    con = connect(db)
    docs = [parse_pdf(REAL / f) for f in ("central_guojia-xinfangju_2026_yusuan.pdf",
                                          "beijing_caizhengju_2026_yusuan_text.pdf")]
    for d in docs:
        load_document(con, d, source_url=(REAL / d.source.file).as_uri())
    con.close()
    result = build_site(db, tmp_path / "raw", tmp_path / "site", workers=1)
    assert not result.errors
    html = (tmp_path / "site" / "disclosure.html").read_text(encoding="utf-8")
    assert "北京市财政局" in html and "33.3" in html and "国有资本经营预算支出表" in html
    issue = html[html.index('id="issues"'):]
    assert "国家信访局" in issue and "财政拨款收支总预算" in issue
    assert "<td>18</td>" in issue and "<td>9 " in issue
    assert 'href="disclosure.html"' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
