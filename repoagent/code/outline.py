"""Outlines: a file's structure with bodies elided and every kept line numbered as in the file.

An outline keeps imports, definition signatures (with their decorators), type definitions, kept
fields and the first line of docstrings. Each kept line reads ``<line number>│<text>``; a run of
elided lines becomes one ``⋮...`` marker, so a reader can cite any line it sees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from repoagent.cache import BlobCache, blob_sha
from repoagent.code.languages import language_for_path, language_for_source
from repoagent.code.parsing import ParsedFile, parse_source, to_bytes
from repoagent.code.tags import (
    CALLABLE_KINDS,
    FileTags,
    analysis_fingerprint,
    extract_tags,
    query_fingerprint,
)
from repoagent.home import state_path

ANALYSIS_VERSION = "4"
"""Bump when outlines change, so cached outlines are recomputed."""
CACHE_KIND = "outline"
_CACHES: dict[Path, BlobCache] = {}

ELISION = "⋮..."
SEPARATOR = "│"
MAX_KEEP_LINES = 3
MAX_IMPORT_LINES = 12


def kept_rows(tags: FileTags) -> set[int]:
    """The 0-based rows an outline keeps (nothing from inside a function body)."""
    body_rows: set[int] = set()
    for d in tags.defs:
        if d.kind in CALLABLE_KINDS:
            body_rows.update(range(d.sig_end_row + 1, d.node.end_point[0] + 1))

    def in_body(row: int) -> bool:
        return row in body_rows

    rows: set[int] = set()
    for spans, limit in ((tags.imports, MAX_IMPORT_LINES), (tags.keep, MAX_KEEP_LINES)):
        for start, end in spans:
            if not in_body(start):
                rows.update(range(start, min(end, start + limit - 1) + 1))
    # A docstring opens a body: keep it when its definition's signature is kept.
    shown_ends = {d.sig_end_row for d in tags.defs if not d.local}
    rows.update(r for r in tags.docs if not in_body(r) or r - 1 in shown_ends)
    for d in tags.defs:
        if not d.local:
            rows.update(range(d.first_row, d.sig_end_row + 1))
            if d.doc_row is not None:
                rows.add(d.doc_row)
    return rows


def render_outline(lines: list[str], rows: set[int]) -> str:
    """Render ``rows`` of ``lines`` with 1-based numbers and elision markers for the gaps."""
    width = len(str(len(lines)))
    out: list[str] = []
    previous = -1
    for row in sorted(r for r in rows if 0 <= r < len(lines)):
        if row > previous + 1:
            out.append(" " * width + ELISION)
        out.append(f"{row + 1:>{width}}{SEPARATOR}{lines[row].rstrip()}")
        previous = row
    if previous < len(lines) - 1:
        out.append(" " * width + ELISION)
    return "\n".join(out) + "\n"


def outline_parsed(parsed: ParsedFile, tags: FileTags | None = None) -> str | None:
    """The outline of an already parsed file, or ``None`` when it has no structure to show."""
    tags = tags or extract_tags(parsed, references=False)
    if tags is None:
        return None
    rows = kept_rows(tags)
    if not rows:
        return None
    return render_outline(parsed.lines, rows)


def outline_file(
    path: str,
    text: str | bytes,
    cache: BlobCache | None = None,
    *,
    unsaved: dict[str, dict[str, Any]] | None = None,
) -> str | None:
    """Outline ``text`` as the language of ``path``; ``None`` = no grammar, unparseable, or empty.

    Outlines are cached by blob SHA (in ``cache``, default the shared one under REPOAGENT_HOME).
    With ``unsaved`` (``{params: {sha: value}}``), a new outline is put there instead, for one
    ``save_outlines`` of many (a write per outline cost ~1 ms: 0.2 s of a budgeted pack).
    """
    language = language_for_path(path)
    if language is None:
        return None
    source = to_bytes(text)
    store = cache if cache is not None else shared_cache()
    # Keyed by the language it is parsed as: the same bytes in x.c (C) and x.h (C++ when it
    # reads as C++) have different outlines.
    sha = blob_sha(source)
    params = outline_params(language_for_source(path, source) or language)
    found = store.get_many(CACHE_KIND, params, [sha])
    if sha in found:
        return found[sha]["outline"]
    if unsaved is not None and sha in unsaved.get(params, {}):
        return unsaved[params][sha]["outline"]
    outline = outline_parsed(parse_source(path, source))
    if unsaved is None:
        store.put(CACHE_KIND, params, sha, {"outline": outline})
    else:
        unsaved.setdefault(params, {})[sha] = {"outline": outline}
    return outline


def save_outlines(unsaved: dict[str, dict[str, Any]], cache: BlobCache | None = None) -> None:
    """Store the outlines ``outline_file`` left in ``unsaved``, and empty it."""
    store = cache if cache is not None else shared_cache()
    for params, values in unsaved.items():
        store.put_many(CACHE_KIND, params, values)
    unsaved.clear()


def outline_params(language: str) -> str:
    """The cache ``params`` of outlines in ``language`` (version + query fingerprint)."""
    # A C header may be read as C++ (``language_for_source``): its outline follows both queries.
    queries = query_fingerprint(language) + (query_fingerprint("cpp") if language == "c" else "")
    return f"v{ANALYSIS_VERSION}.{analysis_fingerprint()}:{language}:{queries}"


def store_outline_values(cache: BlobCache, by_language: dict[str, dict[str, str | None]]) -> None:
    """Cache outlines computed elsewhere (the symbol index parses each file once for both)."""
    unsaved = {
        outline_params(language): {sha: {"outline": v} for sha, v in values.items()}
        for language, values in by_language.items()
    }
    save_outlines(unsaved, cache)


def shared_cache() -> BlobCache:
    """One ``BlobCache`` per cache file for the process (REPOAGENT_HOME may change in tests)."""
    path = state_path("cache", "blobs.sqlite")
    if path not in _CACHES:
        while len(_CACHES) >= 4:  # tests switch homes often; keep few connections open
            _CACHES.pop(next(iter(_CACHES))).close()
        _CACHES[path] = BlobCache(path)
    return _CACHES[path]
