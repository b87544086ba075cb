"""PDF → canonical document. No Prefect, no DuckDB: a plain library call."""

from parsers.document import PARSER_VERSION, Document
from parsers.parse import parse_pdf

__all__ = ["Document", "PARSER_VERSION", "parse_pdf"]
