"""The run report's time-outside line: wall time since the process started minus the stages."""

from __future__ import annotations

import time

from flows.cli.report import time_outside


def test_time_outside_is_wall_minus_stages() -> None:
    time.sleep(0.2)
    got = time_outside({"stage_seconds": {"harvest": 0.05, "load": 0.05}})
    assert got is not None
    outside, wall = got
    assert wall >= 0.2 and abs(outside - (wall - 0.1)) < 0.05
    assert time_outside({"stage_seconds": {"parse": wall + 3600}})[0] == 0.0


def test_the_outside_line_names_the_server_start_apart() -> None:
    from flows.cli.report import outside_line

    line = outside_line((7.5, 20.0), 5.25)
    assert line is not None and "7.5s of 20.0s" in line
    assert "Prefect server start 5.2s" in line and "flow bookkeeping 2.2s" in line
    assert "server" not in (outside_line((1.0, 2.0), None) or "")
    assert outside_line(None, 3.0) is None
