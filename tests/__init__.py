"""The test suite (tests/conftest.py holds the shared fixtures)."""
