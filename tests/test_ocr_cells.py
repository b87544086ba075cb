"""Header cells the page read got wrong are read again alone (parsers/ocr_cells.py): which
cells the rules make, which of them are read again, and how the new words replace the old."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

PLUGIN_DIR = Path(__file__).parents[1] / "parsers"


def _cells(code: str, *args: str) -> object:
    """ocr_cells runs in OCRmyPDF's (system) Python, beside the plugin: so does its test."""
    prog = f"import json, sys; sys.path.insert(0, sys.argv[1]); import ocr_cells as C\n{code}"
    p = subprocess.run(["/usr/bin/python3", "-c", prog, str(PLUGIN_DIR), *args],
                       capture_output=True, text=True, timeout=60, check=True)
    return json.loads(p.stdout)


# a 1000 x 1000 px page: rules at y 100, 200 (under the header), 300; x 100, 400, 700 (the
# header's second cell spans two columns: no rule at x 550 above y 200), 550 below y 200, 900
RULES = [[0.1, 0.1, 0.9, 0.1, 1], [0.1, 0.2, 0.9, 0.2, 1], [0.1, 0.3, 0.9, 0.3, 1],
         [0.1, 0.1, 0.1, 0.3, 1], [0.4, 0.1, 0.4, 0.3, 1], [0.9, 0.1, 0.9, 0.3, 1], [0.55, 0.2, 0.55, 0.3, 1]]


def test_cells_between_the_rules_merged_cells_included():
    cells = _cells("print(json.dumps(C.grid_cells(json.loads(sys.argv[2]), (1000, 1000))))", json.dumps(RULES))
    assert cells == [[100, 100, 400, 200], [400, 100, 900, 200], [100, 200, 400, 300], [400, 200, 550, 300],
                     [550, 200, 900, 300]]


def _w(text: str, x0: float, y0: float, conf: float) -> dict:
    return {"text": text, "conf": conf, "x0": x0, "y0": y0, "x1": x0 + 60, "y1": y0 + 30}


def test_only_header_cells_read_badly_or_not_at_all_are_read_again():
    words = [_w("科目名称", 200, 140, 95.0), _w("六", 600, 140, 3.0),  # header: one good, one garbled
             _w("行政运行", 200, 240, 20.0), _w("6,286.21", 450, 240, 92.0)]  # body: never read again
    code = ("from PIL import Image, ImageDraw\n"
            "im = Image.new('L', (1000, 1000), 255)\n"
            "cells = C.grid_cells(json.loads(sys.argv[2]), (1000, 1000))\n"
            "print(json.dumps(C.header_cells(cells, json.loads(sys.argv[3]), im)))")
    assert _cells(code, json.dumps(RULES), json.dumps(words)) == [[400, 100, 900, 200]]
    # a header cell with no word: read again only when it holds ink
    code_ink = code.replace("im = Image.new('L', (1000, 1000), 255)\n",
                            "im = Image.new('L', (1000, 1000), 255)\n"
                            "ImageDraw.Draw(im).rectangle((150, 130, 300, 170), fill=0)\n")
    blank = [w for w in words if w["text"] != "科目名称"]
    assert _cells(code, json.dumps(RULES), json.dumps(blank)) == [[400, 100, 900, 200]]
    assert _cells(code_ink, json.dumps(RULES), json.dumps(blank)) == [[100, 100, 400, 200], [400, 100, 900, 200]]


def test_new_words_replace_the_cell_only_when_more_confident():
    lines = [[_w("科目名称", 200, 140, 95.0), _w("六", 600, 140, 3.0)]]
    new = {"better": [dict(_w("事业单位经营", 560, 120, 96.0), line=[1, 1, 1]),
                      dict(_w("支出", 560, 160, 95.0), line=[1, 1, 2])],
           "worse": [dict(_w("科日", 200, 140, 40.0), line=[2, 1, 1])]}
    code = ("lines, new = json.loads(sys.argv[2]), json.loads(sys.argv[3])\n"
            "cells = {'better': (400, 100, 900, 200), 'worse': (100, 100, 400, 200)}\n"
            "out = C.replace_cells(lines, {cells[k]: [dict(w, line=tuple(w['line'])) for w in v] for k, v in new.items()})\n"
            "print(json.dumps([[w['text'] for w in ln] for ln in out]))")
    assert _cells(code, json.dumps(lines), json.dumps(new)) == [["科目名称"], ["事业单位经营"], ["支出"]]
