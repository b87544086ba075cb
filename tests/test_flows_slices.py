"""Parse and load subflows get the work in slices: Prefect's API refuses flow-run parameters
over 512 KiB, which 1,000 work items of a first harvest exceed (bench/nightly_nochange.py
found it). Real flow runs on the session's Prefect test server, real PDFs, a real warehouse."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows.orchestration import slices as slices_mod
from flows.orchestration.slices import json_size, slices
from tests.test_flows_support import SUBSET, copy_subset, query, write_config

PAIR = SUBSET[:2]  # two documents are two slices of each subflow; a third adds only its parse


@dataclass
class Item:
    name: str


def test_slices_keep_order_and_stay_under_the_budget() -> None:
    items = [Item("x" * n) for n in (10, 50, 5, 200, 1, 30)]
    budget = json_size(Item("x" * 60))
    got = list(slices(items, budget))
    assert [i for part in got for i in part] == items
    assert all(len(p) == 1 or sum(json_size(i) for i in p) <= budget for p in got)
    assert [len(p) for p in got] == [1, 1, 1, 1, 2]  # each next item would pass it; 200 alone is over it
    assert list(slices([], budget)) == []
    assert [len(p) for p in slices(items)] == [6]  # the default budget: all of these in one call


def _flow_runs(name: str, tag: str) -> int:
    """This test's runs of a subflow: the server is shared with other tests running at once."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName, FlowRunFilter, FlowRunFilterTags

    with get_client(sync_client=True) as client:
        return len(client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=[name])),
                                         flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag])), limit=200))


@pytest.mark.slow
@pytest.mark.usefixtures("api_url")
def test_a_run_in_slices_loads_what_one_call_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect import tags

    from flows.orchestration.nightly import nightly

    monkeypatch.setattr(slices_mod, "PARAM_BUDGET", 1)  # one document a subflow call
    (tmp_path / "in").mkdir()
    folder = copy_subset(tmp_path / "in", PAIR)
    cfg = write_config(tmp_path / "config.yaml", tmp_path / "data", [{"url": str(folder)}])
    tag = f"slices-{uuid.uuid4().hex}"
    with tags(tag):
        first = nightly(config=str(cfg))
    c = first["counts"]
    assert (c["new"], c["parsed"], c["loaded"], c["failed"]) == (len(PAIR), len(PAIR), len(PAIR), 0)
    assert (_flow_runs("parse", tag), _flow_runs("load", tag)) == (len(PAIR), len(PAIR))
    db = tmp_path / "data" / "warehouse.duckdb"
    assert query(db, "SELECT count(*) FROM documents")[0][0] == len(PAIR)
    assert query(db, "SELECT count(*) FROM budget_lines")[0][0] == c["rows_loaded"] > 0

    with tags(tag):
        again = nightly(config=str(cfg))  # no change: no subflow at all, every fetch recorded in bulk
    c = again["counts"]
    assert (c["unchanged"], c["up_to_date"], c["parsed"], c["loaded"]) == (len(PAIR), len(PAIR), 0, 0)
    assert _flow_runs("parse", tag) == len(PAIR)
    rows = query(db, "SELECT outcome, sha256 IS NOT NULL, etag IS NOT NULL FROM fetches WHERE run_id = ?",
                 [again["run_id"]])
    assert sorted(rows) == [("unchanged", True, True)] * len(PAIR)
