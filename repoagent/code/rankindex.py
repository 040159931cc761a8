"""``RankIndex``: what ranking asks of an index, met by ``SymbolIndex`` and ``LexicalIndex``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from repoagent.code.symbols import Definition, Reference

if TYPE_CHECKING:
    from repoagent.code.index import SymbolIndex
    from repoagent.code.lexical import LexicalIndex


class RankIndex(Protocol):
    """Per-file languages, definitions, references and search terms, for ``rank_files``."""

    @property
    def paths(self) -> list[str]:
        """Every indexed path, sorted."""
        ...

    def language(self, path: str) -> str | None:
        """The file's language, or ``None``."""
        ...

    def defining_paths(self) -> dict[str, set[str]]:
        """For every defined name, the paths that define it."""
        ...

    def defined_names_in(self, path: str) -> list[str]:
        """The names ``path`` defines."""
        ...

    def defined_in(self, path: str) -> list[Definition]:
        """What ``path`` defines, with lines."""
        ...

    def reference_counts(self, path: str) -> dict[tuple[str, str], int]:
        """How often ``path`` uses each ``(name, kind)``."""
        ...

    def references(self, name: str) -> Sequence[Reference]:
        """Where ``name`` is used."""
        ...

    def terms(self, path: str) -> Mapping[str, int]:
        """The lexical terms of ``path`` with counts."""
        ...


if TYPE_CHECKING:  # mypy checks that both indexes satisfy the protocol

    def _conforms(symbols: SymbolIndex, lexical: LexicalIndex) -> tuple[RankIndex, RankIndex]:
        return symbols, lexical
