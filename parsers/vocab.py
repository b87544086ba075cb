"""The one loader of the parser vocabulary (templates/*.yaml), so every module reads it alike.

Each file is parsed once per process. The vocabulary is data that people edit; a typo there
must fail loudly at the first parse, naming the file and the key, not as a KeyError deep
inside a table reader.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATES = Path(__file__).with_name("templates")


class VocabularyError(ValueError):
    """A templates/*.yaml file that cannot be read or lacks what the parser needs."""


@cache
def load_template(name: str) -> dict[str, Any]:
    """A YAML file of templates/, parsed once."""
    path = TEMPLATES / name
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise VocabularyError(f"{path}: {type(e).__name__}: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: expected a mapping of keys at the top level")
    return data
