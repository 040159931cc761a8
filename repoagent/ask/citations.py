"""Find ``path:line`` / ``path:start-end`` citations in an answer and check them against the files.

A citation is *verified* when the file exists, the lines exist, and — where the answer says
what is there — the cited lines contain it: an inline code span in the same sentence (all of
its identifiers, within one line of the range) or the lines of a code block that follows the
citation's paragraph. A citation that fails is marked in place, never silently kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from pydantic import BaseModel

CITATION = re.compile(
    r"(?<![\w/.:-])"
    r"(?P<path>(?:/|~/|(?:\.\./)+)?"  # absolute or escaping paths are citations too (and fail)
    r"(?:(?:[\w.@+-]+/)*[\w.@+-]*[A-Za-z][\w.@+-]*\.[A-Za-z][A-Za-z0-9]*|(?:[\w.@+-]+/)+[\w.@+-]+))"
    r"(?::|#L)(?P<start>\d+)(?:\s?[-–]\s?L?(?P<end>\d+))?(?![\d:])"
)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_FENCE = re.compile(r"^(```|~~~)[^\n]*\n(.*?)^\1\s*$", re.S | re.M)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*(\[])|\n")
_STOP_WORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "def",
        "class",
        "return",
        "self",
        "none",
        "true",
        "false",
        "function",
        "const",
        "let",
        "var",
        "import",
        "from",
    ]
)
SLACK = 1
"""Lines of tolerance around a cited range when looking for what the sentence names."""

FileReader = Callable[[str], str | None]


class Citation(BaseModel):
    """One citation in an answer and whether the files bear it out."""

    text: str
    """As written in the answer (``src/a.py:10-12``)."""
    path: str
    start: int
    end: int
    verified: bool = False
    reason: str = ""
    """Why it is not verified (no such file, line past the end, text not there)."""


def find_citations(text: str) -> list[tuple[re.Match[str], Citation]]:
    """Every citation in ``text`` with its match (for positions), unverified."""
    found = []
    for match in CITATION.finditer(text):
        start = int(match.group("start"))
        end = int(match.group("end") or start)
        path = match.group("path").removeprefix("./")
        found.append((match, Citation(text=match.group(0), path=path, start=start, end=end)))
    return found


def _identifiers(span: str) -> set[str]:
    return {w for w in _IDENT.findall(span) if w.lower() not in _STOP_WORDS}


def _named(claim: str) -> set[str]:
    """The names a code span says are at the cited lines: qualifiers dropped, so
    `Config.from_file` needs only `from_file` (the class line is usually far above)."""
    return _identifiers(re.sub(r"\b[A-Za-z_]\w*\s*\.\s*(?=[A-Za-z_])", "", claim))


def _claims(paragraph: str, match: re.Match[str]) -> list[str]:
    """Code spans in the sentence holding the citation (citations themselves excluded)."""
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(paragraph)] + [len(paragraph)]
    start = max(b for b in bounds if b <= match.start())
    end = min((b for b in bounds if b > match.start()), default=len(paragraph))
    sentence = paragraph[start:end]
    return [s for s in _CODE_SPAN.findall(sentence) if not CITATION.search(s) and _identifiers(s)]


def _lines(citation: Citation) -> str:
    if citation.end == citation.start:
        return f"line {citation.start} does"
    return f"lines {citation.start}-{citation.end} do"


def _resolve_path(path: str, known: frozenset[str]) -> str:
    if path.startswith("/") and path.lstrip("/") in known:
        return path.lstrip("/")  # "/src/a.py" written for the repository's src/a.py
    if not known or path in known:
        return path
    tails = [k for k in known if k.endswith("/" + path)]
    return tails[0] if len(tails) == 1 else path


def check_citation(
    citation: Citation,
    read: FileReader,
    claims: Iterable[str] = (),
    block: str = "",
    known: frozenset[str] = frozenset(),
) -> Citation:
    """Verify one citation: the file, the lines, and what the answer says is there."""
    path = _resolve_path(citation.path, known)
    text = read(path)
    if text is None:
        outside = path.startswith(("/", "~")) or path.startswith("../") or "/../" in path
        reason = "outside the repository" if outside else f"no file {citation.path}"
        return citation.model_copy(update={"reason": reason})
    lines = text.splitlines()
    if citation.start < 1 or citation.end < citation.start:
        return citation.model_copy(update={"path": path, "reason": "not a valid line range"})
    if citation.end > len(lines):
        return citation.model_copy(
            update={
                "path": path,
                "reason": f"{path} has {len(lines)} line{'s' if len(lines) != 1 else ''}",
            }
        )
    low, high = max(citation.start - 1 - SLACK, 0), min(citation.end + SLACK, len(lines))
    window = "\n".join(lines[low:high])
    claims = list(claims)
    present = _identifiers(window)
    # A claim holds when every name it quotes is there: `def f(x) -> Old:` against a line
    # that now reads `def f(x) -> New:` is not borne out by the shared `f`.
    if claims and not any(_named(c) <= present for c in claims):
        names = ", ".join(f"`{c}`" for c in claims[:3])
        return citation.model_copy(
            update={"path": path, "reason": f"{_lines(citation)} not contain {names}"}
        )
    code = [
        ln.strip() for ln in block.splitlines() if ln.strip() and not ln.strip().startswith("...")
    ]
    if code:
        cited = {ln.strip() for ln in lines[citation.start - 1 : citation.end]}
        matched = sum(1 for ln in code if ln in cited)
        if matched * 2 < len(code):
            return citation.model_copy(
                update={"path": path, "reason": "the quoted code is not at these lines"}
            )
    return citation.model_copy(update={"path": path, "verified": True, "reason": ""})


def verify_paragraph(
    paragraph: str, read: FileReader, known: frozenset[str] = frozenset()
) -> tuple[str, list[Citation]]:
    """Check every citation in a paragraph; return the paragraph with failures marked."""
    fence = _FENCE.search(paragraph)
    prose = paragraph[: fence.start()] if fence else paragraph
    block = fence.group(2) if fence else ""
    checked: list[tuple[re.Match[str], Citation]] = []
    found = find_citations(prose)
    for i, (match, citation) in enumerate(found):
        result = check_citation(citation, read, _claims(prose, match), "", known)
        if block and result.verified and i == len(found) - 1:
            # A code block after the prose is quoted from the last citation before it.
            result = check_citation(citation, read, (), block, known)
        checked.append((match, result))
    out, last = [], 0
    for match, citation in checked:
        out.append(paragraph[last : match.end()])
        if not citation.verified:
            out.append(f" [unverified: {citation.reason}]")
        last = match.end()
    out.append(paragraph[last:])
    return "".join(out), [c for _, c in checked]


def mark_summary(citations: Iterable[Citation]) -> str:
    """One line: how many citations were checked and how many failed."""
    items = list(citations)
    bad = [c for c in items if not c.verified]
    if not items:
        return "no citations"
    return f"{len(items) - len(bad)}/{len(items)} citations verified"
