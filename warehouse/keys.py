"""The natural key of every per-document fact table, checked by the loader instead of by
unique indexes.

Migration 009 put a UNIQUE index (an ART) on each; maintaining them was ~15 % of a bulk
load's CPU and 70 % of the warehouse's bytes (bench/load_speed.py: 123 kB a report with
them, 37 kB without). Every key starts with doc_id and a load first deletes the rows of a
document already loaded, so a key can only repeat within the batch being written: each
table's Arrow batch is checked before its INSERT (check_unique), and a batch with a repeated
key is refused with the table, document and key named. A row added by hand-written SQL is
not refused; the `key_violations` view lists any key held twice (and the document's next
load replaces all its rows).
"""

from __future__ import annotations

import functools

import pyarrow as pa
import pyarrow.compute as pc

from warehouse.errors import LoadError

# table → key columns (migration 009's indexes). NULLs never collide, as under UNIQUE.
KEYS: dict[str, tuple[str, ...]] = {
    "doc_tables": ("doc_id", "table_idx"),
    "line_amounts": ("doc_id", "table_idx", "row_idx", "measure"),
    "table_totals": ("doc_id", "table_idx", "measure"),
    "summary_items": ("doc_id", "table_idx", "item_idx", "measure"),
    "quality_checks": ("doc_id", "check_idx"),
    "parse_errors": ("doc_id", "error_idx"),
    "three_public_amounts": ("doc_id", "measure", "period"),
    "staffing_counts": ("doc_id", "measure"),
    "procurement": ("doc_id", "measure"),
    "assets": ("doc_id", "item_idx"),
    "operating_costs": ("doc_id",),
    "yoy_statements": ("doc_id", "yoy_idx"),
    "performance_targets": ("doc_id", "target_idx"),
    "subordinate_units": ("doc_id", "name"),
    "disclosure_docs": ("doc_id",),
    "disclosure_items": ("doc_id", "item_type", "item"),
    "disclosure_figures": ("doc_id", "key", "source", "rank"),
    "disclosure_checks": ("doc_id", "key"),
}


def check_unique(table: str, data: pa.Table) -> None:
    """Refuse a batch in which `table`'s natural key repeats (LoadError naming the first)."""
    cols = KEYS.get(table)
    if not cols or data.num_rows < 2:
        return
    keys = data.select(list(cols))
    nullable = [c for c in cols if keys.column(c).null_count]
    if nullable:
        mask = functools.reduce(pc.and_, [pc.is_valid(keys.column(c)) for c in nullable])
        keys = keys.filter(mask)
    counts = keys.group_by(list(cols), use_threads=False).aggregate([([], "count_all")])
    if counts.num_rows == keys.num_rows:
        return
    twice = counts.filter(pc.greater(counts.column("count_all"), 1)).slice(0, 1).to_pylist()[0]
    where = ", ".join(f"{c}={twice[c]!r}" for c in cols if c != "doc_id")
    raise LoadError(f"document {twice['doc_id']}: {table} holds the key ({where}) {twice['count_all']} times")


def violations_view_sql() -> str:
    """CREATE VIEW key_violations: (table_name, doc_id, key, copies) for any key held twice."""
    parts = []
    for table, cols in KEYS.items():
        rest = [c for c in cols if c != "doc_id"]
        text = " || ', ' || ".join(f"'{c}=' || coalesce(CAST({c} AS VARCHAR), 'NULL')" for c in rest) or "''"
        nonnull = " AND ".join(f"{c} IS NOT NULL" for c in cols)
        parts.append(f"SELECT '{table}' AS table_name, doc_id, {text} AS key, count(*) AS copies FROM {table} "
                     f"WHERE {nonnull} GROUP BY ALL HAVING count(*) > 1")
    return "CREATE OR REPLACE VIEW key_violations AS\n" + "\nUNION ALL ".join(parts) + ";\n"
