"""The DuckDB warehouse: schema migrations, document loading, contract and research views,
and read-only querying/export for analysts."""

from warehouse.db import connect, writer
from warehouse.errors import LoadError, WarehouseBusy, WarehouseError, WarehouseOutdated
from warehouse.fetches import prior_fetches, record_fetches
from warehouse.load import doc_id_for, load_document
from warehouse.runs import finish_run, start_run

__all__ = [
    "LoadError", "WarehouseBusy", "WarehouseError", "WarehouseOutdated", "connect", "doc_id_for",
    "finish_run", "load_document", "prior_fetches", "record_fetches", "start_run", "writer",
]
