"""The ``outline`` detail level: a file's structure with bodies elided.

The packer asks ``outline_text`` and nothing else; the code-intelligence package provides the
outline (``repoagent.code.outline_file``). Without it, or for a language it does not parse,
the answer is ``None`` and the file falls to the ``listed`` level.
"""

from __future__ import annotations

from typing import Any

Unsaved = dict[str, dict[str, Any]]
"""Outlines made but not stored yet (``save_outlines`` stores them in one write)."""


def outline_text(path: str, text: str, unsaved: Unsaved | None = None) -> str | None:
    """Return the outline of ``text`` (numbered kept lines), or ``None`` when unavailable.
    With ``unsaved``, a new outline waits there for ``save_outlines``."""
    try:
        from repoagent.code.outline import outline_file
    except ImportError:
        return None
    try:
        return outline_file(path, text, unsaved=unsaved)
    except Exception:  # an outline is an optimisation; a parser failure must not fail the pack
        return None


def save_outlines(unsaved: Unsaved) -> None:
    """Store the outlines ``outline_text`` left in ``unsaved`` (in the shared cache)."""
    if not unsaved:
        return
    from repoagent.code.outline import save_outlines as save

    save(unsaved)


def may_have_outline(path: str) -> bool:
    """Whether ``path``'s language has a grammar (cheap: nothing is parsed)."""
    try:
        from repoagent.code.languages import language_for_path
    except ImportError:
        return False
    return language_for_path(path) is not None
