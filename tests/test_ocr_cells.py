"""Header cells the page read got wrong are read again alone (parsers/ocr_cells.py): which
cells the rules make, which of them are read again, and how the new words replace the old."""

from __future__ import annotations

from PIL import Image, ImageDraw

from parsers.ocr_cells import grid_cells, header_cells, replace_cells

# a 1000 x 1000 px page: rules at y 100, 200 (under the header), 300; x 100, 400, 900, and
# 550 below y 200 only (the header's second cell spans two columns)
RULES = [[0.1, 0.1, 0.9, 0.1, 1], [0.1, 0.2, 0.9, 0.2, 1], [0.1, 0.3, 0.9, 0.3, 1],
         [0.1, 0.1, 0.1, 0.3, 1], [0.4, 0.1, 0.4, 0.3, 1], [0.9, 0.1, 0.9, 0.3, 1], [0.55, 0.2, 0.55, 0.3, 1]]


def test_cells_between_the_rules_merged_cells_included():
    assert grid_cells(RULES, (1000, 1000)) == [(100, 100, 400, 200), (400, 100, 900, 200), (100, 200, 400, 300),
                                              (400, 200, 550, 300), (550, 200, 900, 300)]


def _w(text: str, x0: float, y0: float, conf: float) -> dict:
    return {"text": text, "conf": conf, "x0": x0, "y0": y0, "x1": x0 + 60, "y1": y0 + 30}


def test_only_header_cells_read_badly_or_not_at_all_are_read_again():
    words = [_w("科目名称", 200, 140, 95.0), _w("六", 600, 140, 3.0),  # header: one good, one garbled
             _w("行政运行", 200, 240, 20.0), _w("6,286.21", 450, 240, 92.0)]  # body: never read again
    cells = grid_cells(RULES, (1000, 1000))
    white = Image.new("L", (1000, 1000), 255)
    assert header_cells(cells, words, white) == [(400, 100, 900, 200)]
    # a header cell with no word is read again only when it holds ink
    blank = [w for w in words if w["text"] != "科目名称"]
    assert header_cells(cells, blank, white) == [(400, 100, 900, 200)]
    inked = white.copy()
    ImageDraw.Draw(inked).rectangle((150, 130, 300, 170), fill=0)
    assert header_cells(cells, blank, inked) == [(100, 100, 400, 200), (400, 100, 900, 200)]
    assert header_cells(cells, [w for w in words if "," not in w["text"]], inked) == []  # no figures: no header


def test_new_words_replace_the_cell_only_when_more_confident():
    lines = [[_w("科目名称", 200, 140, 95.0), _w("六", 600, 140, 3.0)]]
    new = {(400, 100, 900, 200): [dict(_w("事业单位经营", 560, 120, 96.0), line=(1, 1, 1)),
                                  dict(_w("支出", 560, 160, 95.0), line=(1, 1, 2))],
           (100, 100, 400, 200): [dict(_w("科日", 200, 140, 40.0), line=(2, 1, 1))]}
    out = replace_cells(lines, new)
    assert [[w["text"] for w in ln] for ln in out] == [["科目名称"], ["事业单位经营"], ["支出"]]
