"""``pack_repository``: one repository (at a revision or its work tree) -> one budgeted document."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from repoagent.cache import BlobCache
from repoagent.errors import BudgetTooSmallError, PackError
from repoagent.pack.basediff import (
    DIFF_SHARE,
    SMALLER_DIFF_SHARES,
    DiffSection,
    count_markers,
    cut_diff,
    diff_sections,
)
from repoagent.pack.bodies import Bodies
from repoagent.pack.collect import collect_files
from repoagent.pack.counting import CachedCounter
from repoagent.pack.document import Assembler, Document
from repoagent.pack.fit import fit_budget
from repoagent.pack.formats import FORMAT_CLASSES, Header
from repoagent.pack.options import ManifestEntry, PackOptions, parse_budget
from repoagent.pack.outline import may_have_outline
from repoagent.pack.redaction import redact_text
from repoagent.pack.relevance import FocusInputs, score_files
from repoagent.pack.tokenizer import TiktokenTokenizer, load_tokenizer
from repoagent.repo import GitRepository

if TYPE_CHECKING:
    from repoagent.findings.model import CoverageFile

Progress = Callable[[str, int, int], None]


@dataclass
class PackResult:
    """A packed document and its manifest."""

    root: Path
    revision: str
    """The packed commit SHA (for ``--worktree``: the ``HEAD`` the work tree is based on)."""
    tokenizer: str
    budget: int | None
    format: str
    tokens: int
    """Exact token count of the rendered document."""
    files: list[ManifestEntry]
    """Every file of the repository, in path order, with its level and reason."""
    diff: str | None = None
    """The (redacted) diff against the merge base of ``--base``, when given."""
    texts_tokenized: int = 0
    """Texts the tokenizer counted in this run (cached counts are not recounted)."""
    chars_tokenized: int = 0
    """Characters of those texts (a budgeted pack counts about what it keeps, twice: by part
    and as one whole document)."""
    other_redactions: int = 0
    """Secret values replaced in the diff and the query."""
    _document: Document = field(default_factory=lambda: Document([], 0), repr=False)

    @property
    def text(self) -> str:
        """The whole document."""
        return self._document.text

    def write(self, stream: TextIO) -> None:
        """Write the document to ``stream`` part by part."""
        for chunk in self._document.chunks():
            stream.write(chunk)

    @property
    def redactions(self) -> int:
        """Secret values replaced in the shown files, the diff and the query."""
        shown = sum(f.redactions for f in self.files if f.level in ("full", "outline"))
        return shown + self.other_redactions

    def coverage(self) -> list[CoverageFile]:
        """What the model sees of each file, as the findings model records it."""
        from repoagent.findings.model import CoverageFile

        return [
            CoverageFile(path=f.path, level=f.level, tokens=f.tokens or 0, reason=f.reason or "")
            for f in self.files
        ]


def pack_repository(
    options: PackOptions,
    *,
    progress: Progress | None = None,
    cache: BlobCache | None = None,
    repo: GitRepository | None = None,
) -> PackResult:
    """Pack the repository at ``options.path`` into one document within ``options.budget``
    (``repo``: that repository, when the caller has it open already)."""
    if options.ranking not in ("graph", "simple"):
        raise PackError(f"unknown ranking {options.ranking!r}: use graph or simple")
    if options.format not in FORMAT_CLASSES:
        raise PackError(f"unknown format {options.format!r}: use xml, markdown, json or plain")
    budget = parse_budget(options.budget)
    repo = repo or GitRepository(options.path)
    commit = repo.resolve(*(("HEAD",) if options.worktree else (options.rev, "--rev")))
    tokenizer = load_tokenizer(options.tokenizer)
    own_cache = cache is None
    cache = cache or BlobCache()
    try:
        return _pack(repo, commit, options, budget, tokenizer, cache, progress)
    finally:
        if own_cache:
            cache.close()


def _pack(
    repo: GitRepository,
    commit: str,
    options: PackOptions,
    budget: int | None,
    tokenizer: TiktokenTokenizer,
    cache: BlobCache,
    progress: Progress | None,
) -> PackResult:
    with ThreadPoolExecutor(1) as pool:  # git log runs while the files are read
        history = pool.submit(repo.last_changed, commit)
        collected = collect_files(
            repo,
            None if options.worktree else commit,
            options.include,
            options.exclude,
            progress,
            within=options.within,
        )
        last_changed = history.result()
    entries = collected.entries
    if options.within and not entries:
        where = "the work tree" if options.worktree else f"revision {options.rev}"
        raise PackError(f"no file of {where} is under {options.within}")
    candidates = [e for e in entries if e.level == "full"]
    paths = {e.path for e in entries}
    for focus in options.focus:
        clean = focus.strip().strip("/").removeprefix("./")
        if clean and clean not in paths and not any(p.startswith(clean + "/") for p in paths):
            raise PackError(f"--focus path is not in the repository: {focus}")
    changed: list[str] = []
    sections: list[DiffSection] = []
    if options.base:
        changed, sections = diff_sections(repo, commit, options.base, options, collected)
    overflow = _may_overflow(collected.texts, budget)
    query = options.query
    if query and options.redact:
        query = redact_text("query.txt", query)
    inputs = FocusInputs(
        focus=tuple(f.strip().strip("/").removeprefix("./") for f in options.focus),
        changed=changed,
        query=query,
        last_changed=last_changed,
        # Code ranking parses every candidate; it only matters when not everything fits.
        texts=(collected.texts if options.ranking == "graph" and overflow else None),
        diff="".join(shown for _, shown in sections) if options.base else None,
        shas={e.path: e.sha for e in candidates if e.sha},
        meanwhile=tokenizer.load_quietly,  # its error, if any, is the fitting's to report
    )
    scores = score_files([e.path for e in candidates], inputs)
    for entry in candidates:
        entry.score = round(scores[entry.path], 3)
    bodies = Bodies(
        collected.texts,
        redact_secrets=options.redact,
        line_numbers=options.line_numbers,
        cache=cache,
    )
    bodies.preload(candidates)
    if not overflow:
        # Every file is shown: scan them all while the tokenizer loads.
        bodies.prescan(candidates, meanwhile=lambda: tokenizer.encoding)
    counter = CachedCounter(tokenizer, cache)
    query_redactions = count_markers(query or "") - count_markers(options.query or "")

    def diff_within(share: float) -> tuple[tuple[str, str] | None, int]:
        """The diff cut to ``share`` of the budget, and the redactions in it and the query."""
        if not options.base:
            return None, query_redactions
        text, redactions = cut_diff(sections, budget, share, counter)
        return (options.base, text), query_redactions + redactions

    diff, other_redactions = diff_within(DIFF_SHARE)
    header = Header(
        repository=repo.name,
        revision=commit,
        source="worktree" if options.worktree else options.rev,
        tokenizer=tokenizer.name,
        budget=budget,
        base=options.base,
        redacting=options.redact,
        redactions=other_redactions,
    )
    assembler = Assembler(
        options.format,
        counter,
        header,
        entries,
        bodies.shown,
        unit_key=bodies.key,
        diff=diff,
        query=query,
    )
    if progress is not None:
        progress("count", 0, len(candidates))
    if budget is None:
        document = assembler.render()
    else:

        def priority(e: ManifestEntry) -> tuple[float, str]:
            estimate = len(collected.texts[e.path]) / 3.5
            return (-(e.score - 2.0 * math.log2(1 + estimate / 1000)), e.path)

        # A diff that leaves the skeleton no room is cut further, to nothing at last.
        shares = (DIFF_SHARE, *SMALLER_DIFF_SHARES) if diff is not None else (DIFF_SHARE,)
        for share in shares:
            if share != DIFF_SHARE:
                diff, other_redactions = diff_within(share)
                assembler.diff = diff
                assembler.header = replace(header, redactions=other_redactions)
                assembler.folded.clear()
                assembler.fold_left_out = False
            try:
                document = fit_budget(
                    assembler,
                    sorted(candidates, key=priority),
                    budget,
                    outline_length=bodies.outline_length,
                    text_length=lambda e: len(collected.texts[e.path]),
                    verify=lambda d: _verify(counter, d),
                    may_outline=lambda e: may_have_outline(e.path),
                )
                break
            except BudgetTooSmallError:
                if share == shares[-1]:
                    raise
    bodies.save()
    counter.flush()
    for entry in entries:
        if entry.level not in ("full", "outline"):
            entry.tokens = None
    return PackResult(
        root=repo.root,
        revision=commit,
        tokenizer=tokenizer.name,
        budget=budget,
        format=options.format,
        tokens=document.tokens,
        files=entries,
        diff=diff[1] if diff else None,
        texts_tokenized=counter.texts_tokenized,
        chars_tokenized=counter.tokenizer.chars_tokenized,
        other_redactions=other_redactions,
        _document=document,
    )


def _may_overflow(texts: dict[str, str], budget: int | None) -> bool:
    """Whether the files could exceed ``budget`` (code rarely has < 3 characters per token)."""
    return budget is not None and sum(map(len, texts.values())) > 3 * budget


def _verify(counter: CachedCounter, document: Document) -> int:
    """The document's exact count: the parts' sum when every join is safe, else a whole count."""
    if document.joins_are_safe():
        return document.tokens
    exact = counter.count([document.text])[0]
    if exact != document.tokens:
        warnings.warn(
            f"pack token total {document.tokens} differs from the whole-document count {exact}",
            RuntimeWarning,
            stacklevel=2,
        )
    return exact
