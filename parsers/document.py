"""The canonical document model: the JSON of docs/CONTRACT.md, as pydantic classes.

Everything the parser learns about one PDF ends up in a `Document`; the warehouse loads
nothing else. Contract fields keep their names; extra fields are additions, never renames.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

SCHEMA = "budget-document/1"
PARSER_VERSION = "0.3.35"

Status = Literal["parsed", "partial", "no_text_layer", "not_a_budget", "unreadable"]


class Source(BaseModel):
    file: str
    sha256: str
    pages: int = 0


class DocumentMeta(BaseModel):
    unit: str | None = None
    year: int | None = None
    kind: Literal["budget", "final_accounts"] | None = None
    scope: Literal["department", "unit"] | None = None
    # additions
    title: str | None = None
    region: list[str] = Field(default_factory=list)
    subordinate_units: list[str] = Field(default_factory=list)


class Row(BaseModel):
    code: str | None = None
    level: int | None = None
    name: str = ""
    page: int | None = None
    values: dict[str, float] = Field(default_factory=dict)
    # additions
    scheme: Literal["function", "econ_dept", "econ_gov", "revenue"] | None = None
    code_source: Literal["printed", "inferred", "name"] | None = None
    unit: str | None = None  # subordinate unit when a table lists several units (深圳 预算单位 column)
    project: str | None = None  # project name in 项目支出 tables
    alt_code: str | None = None  # a second classification printed on the row (政府经济分类 50101 …)
    # text columns printed beside the name and figures, by tables.yaml `attributes` key
    # (采购表: catalogue 采购目录, quantity 数量, spec 规格型号, method 采购方式, period, remark)
    attributes: dict[str, str] | None = None
    # in a 采购 or 项目 table (or one printed without codes): the row's depth in its printed
    # hierarchy (1 = outermost) and whether it is a group line (the sum of the rows under it);
    # set only where the table's sums confirm them (parsers/tables/depth.py)
    depth: int | None = None
    group: bool | None = None
    ocr: bool | None = None  # read from a page OCR gave a text layer (parsers/ocr.py)
    ocr_confidence: float | None = None  # lowest Tesseract confidence (0-100) of its amount words


class Item(BaseModel):
    """A labelled amount that is not a coded row: summary lines (收入总计, 一、财政拨款收入 …)."""

    side: Literal["revenue", "expenditure", "other"] = "other"
    label: str
    key: str | None = None  # normalised measure when the label is known (revenue_total …)
    code: str | None = None  # 类 code when the label names a function class
    values: dict[str, float] = Field(default_factory=dict)
    page: int | None = None


class Table(BaseModel):
    kind: str
    label: str | None = None
    title: str = ""
    pages: list[int] = Field(default_factory=list)
    money_unit: str | None = None
    rows: list[Row] = Field(default_factory=list)
    total: dict[str, float] = Field(default_factory=dict)
    # additions
    unit: str | None = None  # 编制单位/部门名称 printed above the table
    columns: dict[str, str] = Field(default_factory=dict)  # value key -> printed header
    items: list[Item] = Field(default_factory=list)
    empty: bool = False
    note: str | None = None  # e.g. 本表为空表 remark
    flavor: str | None = None  # camelot flavor the cells came from
    # camelot's own scores of the grids the table was read from (0-100; worst page): a low
    # accuracy or a high whitespace share says the cells were guessed, whatever the verification
    camelot_accuracy: float | None = None
    camelot_whitespace: float | None = None
    decimals: int | None = None  # digits printed after the point (sets check tolerances)
    # checked against the pages' own text (parsers/verify.py); None for an empty table
    verification: Literal["verified", "mismatch", "unverifiable"] | None = None
    # when a report prints two tables of one kind: the one the warehouse uses, and why
    chosen: bool | None = None
    choice: str | None = None
    ocr: bool | None = None  # some of its pages were OCR'd


class Check(BaseModel):
    rule: str
    table: str
    passed: bool
    expected: float | None = None
    actual: float | None = None
    # additions
    detail: str = ""
    tolerance: float = 0.0
    page: int | None = None


class Document(BaseModel):
    schema_: str = Field(SCHEMA, alias="schema")
    source: Source
    document: DocumentMeta = Field(default_factory=DocumentMeta)
    tables: list[Table] = Field(default_factory=list)
    facts: dict[str, Any] = Field(default_factory=dict)
    checks: list[Check] = Field(default_factory=list)
    status: Status = "parsed"
    errors: list[str] = Field(default_factory=list)
    # additions
    parser_version: str = PARSER_VERSION
    seconds: float | None = None
    ocr: bool = False  # some pages were OCR'd (parsers/ocr.py)
    ocr_pages: list[int] = Field(default_factory=list)
    ocr_confidence: dict[int, float] = Field(default_factory=dict)  # page -> mean word confidence

    model_config = {"populate_by_name": True}

    def to_json(self, indent: int | None = 1) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json")
