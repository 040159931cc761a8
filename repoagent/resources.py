"""Locate the data files the model and parsers read: ``prompts/``, ``tools/``.

They live at the repository's top level so reviewers read exactly what the model reads; the
wheel ships them under ``repoagent/_data`` (see pyproject.toml). An editable install reads the
top-level folders directly.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the directory of the named data folder (``prompts`` or ``tools``)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"repoagent data folder {name!r} is missing from the installation")


def read_prompt(name: str) -> str:
    """Return the text of ``prompts/<name>`` (UTF-8)."""
    return (data_dir("prompts") / name).read_text(encoding="utf-8")
