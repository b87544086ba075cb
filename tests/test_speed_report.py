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
