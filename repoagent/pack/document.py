"""Assemble a pack document from its parts and count it exactly.

A document is a list of parts joined at safe boundaries, so its exact token count is the sum of
the parts' counts (see ``repoagent.pack.tokenizer``). The header states that total, so the total
is found by a short fixed-point iteration (the header's own digits change its count).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from repoagent.errors import PackError
from repoagent.pack.counting import CachedCounter, Text
from repoagent.pack.formats import DocumentFormat, Header, get_format, longest_backtick_run
from repoagent.pack.options import ManifestEntry
from repoagent.pack.tokenizer import safe_join
from repoagent.pack.tree import render_tree


@dataclass
class Document:
    """The rendered parts of a pack and its exact total."""

    parts: list[Text]
    tokens: int

    def chunks(self) -> Iterator[str]:
        """The document text, piece by piece (for streaming)."""
        for part in self.parts:
            if isinstance(part, str):
                yield part
            else:
                yield from part

    @property
    def text(self) -> str:
        """The whole document as one string."""
        return "".join(self.chunks())

    def joins_are_safe(self) -> bool:
        """Whether every join between parts is a boundary no tokenizer chunk crosses.

        Then ``tokens`` (the sum of the parts' exact counts) is the whole document's exact count.
        A join is safe after a ``\\n`` when the next part starts with neither whitespace nor
        ``/``; after a letter when the next part starts with neither a letter, a combining mark
        nor ``'`` (the split pattern's letter runs and contractions); and after two punctuation
        characters when the next part starts with a letter (the punctuation run is one chunk).
        """
        previous = ""
        for part in self.parts:
            first = _first_char(part)
            if not first:
                continue
            if previous and not safe_join(previous, first):
                return False
            previous = _last_chars(part)
        return True


@dataclass
class Assembler:
    """Renders the same repository facts at different per-file detail levels."""

    format_name: str
    counter: CachedCounter
    header: Header
    entries: list[ManifestEntry]
    """Every file, in path order; levels are set by the caller before ``render``."""
    unit_text: Callable[[ManifestEntry], str]
    """The body shown for an entry at its current level (full text or outline)."""
    unit_key: Callable[[ManifestEntry], str | None] = lambda _: None
    """What determines that body (blob, level, rendering options), ``None`` if unknown: the
    cache key of the unit's count, so its text need not be hashed."""
    diff: tuple[str, str] | None = None
    query: str | None = None
    folded: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Collapsed directories (``a/b``) and the (files, bytes) they hide: their files (none shown)
    appear only as that one line in the tree (and the JSON ``files`` list), except files left
    out for a reason of their own (binary, secret-file, ...), still listed with it..."""
    fold_left_out: bool = False
    """...unless even that does not fit: then collapsed directories hide those too."""
    fmt: DocumentFormat = field(init=False)

    def __post_init__(self) -> None:
        self.fmt = get_format(self.format_name)

    def units(self, entries: list[ManifestEntry]) -> list[Text]:
        """The rendered content units of ``entries`` (glue included)."""
        units: list[Text] = []
        for entry in entries:
            body = self.unit_text(entry)
            if self.fmt.name == "markdown":
                entry.fence = max(3, longest_backtick_run(body) + 1)
            units.append(self.fmt.unit(body))
        return units

    def count_units(self, entries: list[ManifestEntry], units: list[Text]) -> list[int]:
        """Exact counts of ``entries``' rendered ``units``."""
        keys = []
        for entry in entries:
            key = self.unit_key(entry)
            keys.append(None if key is None else _key_sha(f"{self.fmt.name}|{key}"))
        return self.counter.count(units, keys)

    def render(self) -> Document:
        """Render all parts at the entries' current levels; return them with the exact total."""
        f = self.fmt
        shown = [e for e in self.entries if e.level in ("full", "outline")]
        units = self.units(shown)
        unit_tokens = self.count_units(shown, units)
        for entry, count in zip(shown, unit_tokens, strict=True):
            entry.tokens = count
        visible = [
            e
            for e in self.entries
            if not self.is_folded(e.path)
            or (e.level is None and e.reason != "budget" and not self.fold_left_out)
        ]
        not_full = [e for e in visible if e.level != "full"]
        left_out = [e for e in visible if e.level is None]
        tree = render_tree([e for e in visible if e.level is not None], self.folded)
        parts: list[Text] = [f.tree(tree)]
        if not f.manifest_after_files and left_out:
            parts.append(f.manifest(left_out))
        parts.append(f.files_open())
        for index, (entry, unit) in enumerate(zip(shown, units, strict=True)):
            parts += [f.file_prefix(entry, index == 0), unit, f.file_suffix(entry)]
        if f.manifest_after_files:
            # Each file once: outlines are already in the list, with their content.
            lines: list[tuple[str, ManifestEntry | str]] = [
                (e.path, e) for e in not_full if e.level != "outline"
            ]
            lines += [(d + "/", d) for d in self.folded]
            for i, (_, item) in enumerate(sorted(lines, key=lambda row: row[0])):
                first = i == 0 and not shown
                if isinstance(item, str):
                    parts.append(f.folded_line(item, *self.folded[item], first))
                else:
                    parts.append(f.manifest_line(item, first))
        parts.append(f.files_close(not_full))
        if self.diff is not None:
            parts.append(f.diff(*self.diff))
        if self.query:
            parts.append(f.query(self.query))
        parts.append(f.footer())
        parts = [p for p in parts if p]
        # Units are counted already (by their keys); hash and look up only the other parts.
        unit_ids = {id(u) for u in units}
        others = [p for p in parts if id(p) not in unit_ids]
        rest = self.counter.total(others) + sum(unit_tokens)
        header, own = self._header(rest)
        return Document([header, *parts], own + rest)

    def is_folded(self, path: str) -> bool:
        """Whether ``path`` lies in a collapsed directory."""
        if not self.folded:
            return False
        parts = path.split("/")[:-1]
        return any("/".join(parts[:n]) in self.folded for n in range(1, len(parts) + 1))

    def _header(self, rest: int) -> tuple[str, int]:
        levels: dict[str, int] = {}
        for e in self.entries:
            if e.level is not None:
                levels[e.level] = levels.get(e.level, 0) + 1
        header = replace(
            self.header,
            levels=levels,
            left_out=sum(1 for e in self.entries if e.level is None),
            redactions=self.header.redactions  # those of the diff and the query
            + sum(e.redactions for e in self.entries if e.level in ("full", "outline")),
        )
        total = rest
        for _ in range(8):
            header.tokens = total
            text = self.fmt.header(header)
            own = self.counter.count([text])[0]
            if own + rest == total:
                return text, own
            total = own + rest
        raise PackError("could not settle the document's token total")  # pragma: no cover


def _key_sha(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


def _first_char(part: Text) -> str:
    pieces = (part,) if isinstance(part, str) else part
    return next((p[0] for p in pieces if p), "")


def _last_chars(part: Text) -> str:
    """The last two characters of ``part`` (fewer if it is shorter)."""
    pieces = (part,) if isinstance(part, str) else part
    tail = ""
    for piece in reversed(pieces):
        tail = piece[-2:] + tail
        if len(tail) >= 2:
            break
    return tail[-2:]
