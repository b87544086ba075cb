"""`python -m flows.cli …` runs the `budget-etl` command."""

from flows.cli.main import app

app()
