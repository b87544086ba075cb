"""The Prefect side of the pipeline: harvest library, orchestration and the command line."""
