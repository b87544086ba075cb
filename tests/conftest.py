"""Suite-wide test settings.

OCR (parsers/ocr.py) is off unless a test turns it on: it costs seconds a page, and the
tests that are about OCR (tests/test_ocr*.py) enable it explicitly and are marked slow.
"""

import os

os.environ.setdefault("BUDGET_ETL_OCR", "0")
