"""The harvest stage's settings (config.yaml `harvest:` and `sources[]`), validated.

Kept inside flows.harvest so the harvest library depends on nothing above it; the
whole-config model in flows/config.py composes this one."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["HarvestConfig", "SourceConfig", "Strict"]


class Strict(BaseModel):
    """Unknown keys are refused: a misspelled key would otherwise silently keep its default."""

    model_config = ConfigDict(extra="forbid")


class SourceConfig(Strict):
    """One place to harvest: a portal column (discovery), a direct PDF URL, or a local dir/file."""

    url: str
    name: str | None = None
    region: list[str] = Field(default_factory=list)  # e.g. [新疆维吾尔自治区, 乌鲁木齐市, 水磨沟区]
    keywords: list[str] | None = None  # article/link text must mention one (default: 预算, 决算)
    link_patterns: list[str] | None = None  # regexes an article/attachment URL must match
    max_depth: int | None = None
    max_pages: int | None = None  # pagination pages per column
    rate_limit: float | None = None  # requests per second to this host
    headers: dict[str, str] = Field(default_factory=dict)


class HarvestConfig(Strict):
    user_agent: str = "budget-etl/0.1 (+https://github.com/budget-etl/budget-etl)"
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    deadline: float = 600.0  # seconds one file (or page) may take in all, however steadily it trickles
    retries: int = 3
    backoff: float = 1.0  # seconds, doubled per retry
    max_bytes: int = 200 * 1024 * 1024
    keywords: list[str] = Field(default_factory=lambda: ["预算", "决算"])
    max_depth: int = 2
    max_pages: int = 20
    rate_limit: float = 2.0  # requests per second per host
    per_host: int = 2  # concurrent connections per host
