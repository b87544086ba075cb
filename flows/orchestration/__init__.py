"""Orchestration: the Prefect flows (nightly and its stages), serving on a schedule, the
parse process pool, the run lock and the Prefect server lifecycle."""
