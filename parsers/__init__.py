"""PDF → canonical document. No Prefect, no DuckDB: a plain library call.

Imports are lazy so that light users (the harvester needs only parsers.pdf) do not load
camelot and pandas.
"""

from typing import Any

__all__ = ["PARSER_VERSION", "Document", "parse_pdf"]


def __getattr__(name: str) -> Any:
    if name == "parse_pdf":
        from parsers.parse import parse_pdf

        return parse_pdf
    if name in ("Document", "PARSER_VERSION"):
        from parsers import document

        return getattr(document, name)
    raise AttributeError(name)
