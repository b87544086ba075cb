"""config.yaml, validated. Every key is documented in the README; defaults make the
bundled sample corpus work offline with no config at all."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from flows.harvest.config import HarvestConfig, SourceConfig, Strict

__all__ = ["Config", "ConfigError", "HarvestConfig", "SourceConfig", "load_config"]


class ScheduleConfig(Strict):
    cron: str = "0 2 * * *"
    timezone: str = "Asia/Shanghai"


class ConcurrencyConfig(Strict):
    parse_workers: int = 2
    download_workers: int = 4
    dask_scheduler: str | None = None  # e.g. tcp://10.0.0.5:8786: parse on that Dask cluster


class PrefectConfig(Strict):
    api_url: str | None = None  # an existing Prefect server / Cloud; None: a local one under data_dir


class ParseConfig(Strict):
    ocr: bool = True  # OCR scanned pages (parsers/ocr.py); false: they stay no_text_layer


class Config(Strict):
    parse: ParseConfig = Field(default_factory=ParseConfig)
    data_dir: Path = Path("data")
    warehouse: str = "warehouse.duckdb"  # relative to data_dir
    sources: list[SourceConfig] = Field(default_factory=list)
    harvest: HarvestConfig = Field(default_factory=HarvestConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    concurrency: ConcurrencyConfig = Field(default_factory=ConcurrencyConfig)
    prefect: PrefectConfig = Field(default_factory=PrefectConfig)

    base_dir: Path = Field(default=Path("."), exclude=True)  # where relative paths are resolved

    @property
    def data_path(self) -> Path:
        return (self.base_dir / self.data_dir).resolve()

    @property
    def warehouse_path(self) -> Path:
        return self.data_path / self.warehouse

    @property
    def raw_dir(self) -> Path:
        return self.data_path / "raw"

    @property
    def parsed_dir(self) -> Path:
        return self.data_path / "parsed"

    def resolve_url(self, url: str) -> str:
        """Relative local paths in config are relative to the config file, not the cwd."""
        if "://" in url or Path(url).is_absolute():
            return url
        return str((self.base_dir / url).resolve())


class ConfigError(ValueError):
    """config.yaml cannot be used; the message is one line naming the file, key and value."""


def load_config(path: Path | str | None = None, data_dir: Path | str | None = None) -> Config:
    """Read config.yaml (or defaults when it does not exist); --data-dir overrides data_dir.

    Raises ConfigError (one line) for a YAML syntax error, a wrong type or an unknown key.
    """
    from flows.config_errors import describe_validation, describe_yaml

    p = Path(path) if path else Path("config.yaml")
    if p.exists():
        try:
            raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as e:
            raise ConfigError(describe_yaml(p, e)) from None
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{p}: cannot be read ({e})") from None
        if not isinstance(raw, dict):
            raise ConfigError(f"{p}: expected a mapping of keys (data_dir, sources, harvest, ...) "
                              f"at the top level, found {type(raw).__name__}")
        try:
            cfg = Config.model_validate(raw)
        except ValidationError as e:
            raise ConfigError(describe_validation(p, e, Config)) from None
        cfg.base_dir = p.resolve().parent
    else:
        if path:
            raise FileNotFoundError(f"config file not found: {p}")
        cfg = Config()
        cfg.base_dir = Path.cwd()
    if data_dir is not None:
        cfg.data_dir = Path(data_dir).resolve()
    return cfg
