"""Old import path of parsers.normalise.money, kept because ten parser modules import it."""

from parsers.normalise.money import (
    AMOUNT_TOKEN,
    BLANKS,
    CENT,
    MONEY_UNIT,
    MONEY_UNITS,
    SCALE,
    decimals_of,
    find_money_unit,
    find_table_unit,
    parse_amount,
    scale_of,
    to_yuan,
)

__all__ = ["AMOUNT_TOKEN", "BLANKS", "CENT", "MONEY_UNIT", "MONEY_UNITS", "SCALE", "decimals_of",
           "find_money_unit", "find_table_unit", "parse_amount", "scale_of", "to_yuan"]
