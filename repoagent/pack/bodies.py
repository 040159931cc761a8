"""The text shown for each file: redacted, optionally line-numbered, or its outline."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from repoagent.cache import BlobCache, files_fingerprint
from repoagent.forked import parallel_map
from repoagent.pack.options import ManifestEntry
from repoagent.pack.outline import Unsaved, outline_text, save_outlines
from repoagent.pack.redaction import REDACTION_VERSION, Redaction, redact

SECRETS_KIND = "secrets"
PARALLEL_CHARS = 2_000_000
"""Below this many characters to scan, a second process would cost more than it saves."""


def number_lines(text: str) -> str:
    """Prefix each line with its 1-based number, right-aligned."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    width = len(str(len(lines)))
    return "".join(f"{n:>{width}}: {line}\n" for n, line in enumerate(lines, 1))


def _outline_params(path: str) -> str:
    """What an outline of ``path`` depends on besides its blob (version, language, queries)."""
    from repoagent.code.languages import language_for_path
    from repoagent.code.outline import outline_params

    language = language_for_path(path)
    return "outline:" + (outline_params(language) if language else "none")


@functools.cache
def secrets_params() -> str:
    """The cache ``params`` of secret scans: a hash of the scanner's source and of
    detect-secrets' version, so an upgrade that changes a detector rescans every blob (a version
    bumped by hand was forgotten once: a new detector missed keys in files scanned before)."""
    import importlib.util

    files = [Path(__file__).with_name("secrets.py")]
    spec = importlib.util.find_spec("detect_secrets")  # found, not imported (~20 ms)
    if spec is not None and spec.origin:
        files.append(Path(spec.origin).with_name("__version__.py"))
    return "s:" + files_fingerprint(files)[:16]


def _scan(job: tuple[str, str]) -> list[Redaction]:
    # Imported on demand: a run whose scans are all cached never loads detect-secrets.
    from repoagent.pack.secrets import find_secrets

    return find_secrets(*job)


class Bodies:
    """Produces (and memoizes) the full text or outline of each candidate file."""

    def __init__(
        self,
        texts: dict[str, str],
        *,
        redact_secrets: bool,
        line_numbers: bool,
        cache: BlobCache | None,
    ) -> None:
        self.texts = texts
        self.redact_secrets = redact_secrets
        self.line_numbers = line_numbers
        self.cache = cache
        self._spans: dict[str, list[Redaction]] = {}
        self._new_spans: dict[str, list[list[object]]] = {}
        self._full: dict[str, str] = {}
        self._outline: dict[str, str | None] = {}
        self._new_outlines: Unsaved = {}

    def preload(self, entries: list[ManifestEntry]) -> None:
        """Fetch cached secret scans for ``entries`` in one query."""
        if not self.redact_secrets or self.cache is None:
            return
        shas = [e.sha for e in entries if e.sha]
        for sha, spans in self.cache.get_many(SECRETS_KIND, secrets_params(), shas).items():
            self._spans[sha] = [Redaction(int(s), int(e), str(k)) for s, e, k in spans]

    def prescan(self, entries: list[ManifestEntry], meanwhile: Callable[[], object]) -> None:
        """Scan ``entries`` not scanned yet for secrets now, on two cores when there are
        ``PARALLEL_CHARS`` to scan (``repoagent.forked``); ``meanwhile`` is work for this
        process to do first then."""
        if not self.redact_secrets:
            return
        todo = {e.sha: e.path for e in entries if e.sha and e.sha not in self._spans}
        jobs = [(path, self.texts[path]) for path in todo.values()]
        weights = [len(text) for _, text in jobs]
        if sum(weights) < PARALLEL_CHARS:
            return
        found = parallel_map(
            _scan, jobs, weights=weights, before=meanwhile, min_weight=PARALLEL_CHARS
        )
        for sha, spans in zip(todo, found, strict=True):
            self._keep(sha, spans)

    def secrets(self, entry: ManifestEntry) -> list[Redaction]:
        """The secret spans of ``entry``'s text (scanned once per blob, ever)."""
        sha = entry.sha or ""
        if sha not in self._spans:
            self._keep(sha, _scan((entry.path, self.texts[entry.path])))
        return self._spans[sha]

    def _keep(self, sha: str, spans: list[Redaction]) -> None:
        """Remember a fresh scan of blob ``sha`` (and store it in the cache on ``save``)."""
        self._spans[sha] = spans
        self._new_spans[sha] = [[s.start, s.end, s.kind] for s in spans]

    def full(self, entry: ManifestEntry) -> str:
        """The file's text as shown at level ``full``."""
        if entry.path not in self._full:
            text = self.texts[entry.path]
            if self.redact_secrets:
                spans = self.secrets(entry)
                entry.redactions = len(spans)
                text = redact(text, spans)
            self._full[entry.path] = number_lines(text) if self.line_numbers else text
        return self._full[entry.path]

    def outline(self, entry: ManifestEntry) -> str | None:
        """The file's outline (of the redacted text), or ``None`` when there is none."""
        if entry.path not in self._outline:
            text = self.texts[entry.path]
            if self.redact_secrets:
                text = redact(text, self.secrets(entry))
            self._outline[entry.path] = outline_text(entry.path, text, self._new_outlines)
        return self._outline[entry.path]

    def outline_length(self, entry: ManifestEntry) -> int | None:
        """Characters of the file's outline (made now if it was not), ``None`` when none."""
        outline = self.outline(entry)
        return None if outline is None else len(outline)

    def key(self, entry: ManifestEntry) -> str | None:
        """What determines ``entry``'s body at its level (``None`` without a blob SHA)."""
        if not entry.sha:
            return None
        # The scan and its rendering both shape the body (and so its cached token count).
        redact_with = f"{secrets_params()}/{REDACTION_VERSION}" if self.redact_secrets else "none"
        shape = _outline_params(entry.path) if entry.level == "outline" else str(self.line_numbers)
        return f"{entry.sha}|{entry.path}|{entry.level}|{shape}|{redact_with}"

    def shown(self, entry: ManifestEntry) -> str:
        """The body for ``entry`` at its current level."""
        if entry.level == "outline":
            return self.outline(entry) or ""
        return self.full(entry)

    def save(self) -> None:
        """Store new secret scans and outlines in the cache."""
        if self.cache is not None and self._new_spans:
            self.cache.put_many(SECRETS_KIND, secrets_params(), self._new_spans)
            self._new_spans = {}
        save_outlines(self._new_outlines)
