"""One-table budget reports drawn with reportlab, for layouts the corpus does not hold: a cover
page, an optional prose page, then a ruled table under its title, 编制单位 line and unit lines.
Real PDFs, read by the real parser."""

from __future__ import annotations

import re
from pathlib import Path

Row = tuple[str, ...]  # code, name, figures…


def draw_report(path: Path, title: str, heads: list[str], body: list[Row], unit_lines: list[str] = ("单位：万元",),
                prose: str | None = None, cover: str = "某市某区某局2026年部门预算",
                cols: list[float] | None = None) -> Path:
    """Write the report to `path`. `unit_lines` are printed right-aligned from the 编制单位
    line down, one under the other; by default the first two columns are code and name and
    the rest figures, else `cols` gives the rules' x positions. Figures are right-aligned."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    w, h = landscape(A4)
    c.setFont("STSong-Light", 20)
    c.drawCentredString(w / 2, h / 2, cover)
    c.showPage()
    if prose:
        c.setFont("STSong-Light", 12)
        c.drawString(60, h - 80, "一、收支预算总体情况")
        c.drawString(60, h - 100, prose)
        c.showPage()
    c.setFont("STSong-Light", 16)
    c.drawCentredString(w / 2, h - 50, title)
    c.setFont("STSong-Light", 10)
    c.drawString(60, h - 75, "编制单位：某市某区某局")
    for k, text in enumerate(unit_lines):
        c.drawRightString(w - 60, h - 75 - 12 * k, text)
    if cols is None:
        figures = len(heads) - 2
        cols = [60, 160] + [420 + k * (360 // figures) for k in range(figures)] + [780]
    top, step = h - 110, 22
    n = len(body) + 1
    for i in range(n + 1):
        c.line(cols[0], top - i * step, cols[-1], top - i * step)
    for x in cols:
        c.line(x, top, x, top - n * step)
    for j, text in enumerate(heads):
        c.drawString(cols[j] + 4, top - 15, text)
    for i, cells in enumerate(body, start=1):
        for j, text in enumerate(cells):
            if j >= 2 or re.fullmatch(r"-?[\d,]+\.\d+", text):
                c.drawRightString(cols[j + 1] - 4, top - i * step - 15, text)
            else:
                c.drawString(cols[j] + 4, top - i * step - 15, text)
    c.showPage()
    c.save()
    return path
