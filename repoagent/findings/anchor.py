"""Anchor a model's quote of the code to real lines and columns.

Line numbers from a model are unreliable, so a finding carries an exact quote; this module finds
it in the file: exactly first, then with whitespace normalised (runs collapsed, then ignored),
choosing the occurrence nearest to the model's line hint when there are several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUOTE_LINES = 10
MAX_QUOTE_CHARS = 4_000
_NUMBERED = re.compile(r"^\s*(\d+) ?\| ?")
_FENCE = re.compile(r"^```[\w+-]*\s*$")
_MAX_OCCURRENCES = 1_000


@dataclass(frozen=True)
class Anchor:
    """Where a quote sits in a file: 1-based lines, 1-based columns (end exclusive)."""

    start_line: int
    end_line: int
    start_column: int
    end_column: int
    text: str
    """The file's own text for the quoted span."""
    exact: bool
    """False when only the whitespace-normalised quote matched."""
    matches: int = 1
    """How many places matched (the one nearest the hint was chosen)."""


@dataclass(frozen=True)
class AnchorMiss:
    """Why a quote could not be anchored."""

    reason: str


@dataclass(frozen=True)
class CleanQuote:
    """A quote with fences, blank edge lines and copied line numbers removed."""

    text: str
    line_hint: int | None


def clean_quote(quote: str) -> CleanQuote:
    """Strip code fences, blank edge lines and ``  12 | `` prefixes copied from read_file."""
    lines = quote.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) >= 2 and _FENCE.match(lines[0].strip()) and lines[-1].strip() == "```":
        lines = lines[1:-1]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    hint = None
    numbered = [_NUMBERED.match(line) for line in lines if line.strip()]
    if numbered and all(numbered):
        numbers = [int(m.group(1)) for m in numbered if m]
        if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            hint = numbers[0]
            lines = [_NUMBERED.sub("", line, count=1) if line.strip() else line for line in lines]
    return CleanQuote("\n".join(lines), hint)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _spans(text: str, pattern: re.Pattern[str] | str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if isinstance(pattern, str):
        start = text.find(pattern)
        while start != -1 and len(spans) < _MAX_OCCURRENCES:
            spans.append((start, start + len(pattern)))
            start = text.find(pattern, start + 1)
        return spans
    for match in pattern.finditer(text):
        spans.append(match.span())
        if len(spans) >= _MAX_OCCURRENCES:
            break
    return spans


def _normalised_patterns(quote: str) -> list[re.Pattern[str]]:
    tokens = quote.split()
    patterns = [re.compile(r"\s+".join(re.escape(t) for t in tokens))]
    squeezed = "".join(tokens)
    if len(squeezed) >= 8:  # ignore whitespace entirely: `a=b` vs `a = b`
        patterns.append(re.compile(r"\s*".join(re.escape(c) for c in squeezed)))
    return patterns


_MARKER = re.compile(r"\[REDACTED:([^\]\n]*)\]")


def _redacted_pattern(quote: str) -> re.Pattern[str] | None:
    """A pattern for a quote holding redaction markers: each marker stands for the secret."""
    parts = _MARKER.split(quote)
    if len(parts) == 1:
        return None
    out = []
    for i, part in enumerate(parts):
        if i % 2:  # a marker's kind
            out.append(r"[\s\S]+?" if part == "Private Key" else r"[^\n]+?")
        else:
            out.append(
                "".join(
                    r"\s+" if chunk.isspace() else re.escape(chunk)
                    for chunk in re.split(r"(\s+)", part)
                    if chunk
                )
            )
    return re.compile("".join(out))


def resolve_anchor(text: str, quote: str, line_hint: int | None = None) -> Anchor | AnchorMiss:
    """Find ``quote`` in ``text``; return its lines and columns, or the reason it is not there."""
    cleaned = clean_quote(quote or "")
    needle = cleaned.text
    hint = line_hint if line_hint is not None else cleaned.line_hint
    if not needle.strip():
        return AnchorMiss("the quote is empty")
    if len(needle) > MAX_QUOTE_CHARS:
        return AnchorMiss(f"the quote is {len(needle)} characters long; quote 1–10 lines of code")
    count = needle.count("\n") + 1
    if count > MAX_QUOTE_LINES:
        return AnchorMiss(
            f"the quote spans {count} lines; a finding must quote 1–{MAX_QUOTE_LINES} lines"
        )
    haystack = text.replace("\r\n", "\n")
    exact = True
    spans = _spans(haystack, needle)
    if not spans:
        exact = False
        for pattern in _normalised_patterns(needle):
            spans = _spans(haystack, pattern)
            if spans:
                break
    redacted = _redacted_pattern(needle)
    if not spans and redacted is not None:
        # The model saw `[REDACTED:…]` where the file has a secret: the marker matches it, and
        # the quote keeps the marker (the report must not carry the secret either).
        spans = _spans(haystack, redacted)
    if not spans:
        reason = "the quoted code does not occur in the file (not even with whitespace normalised)"
        if "..." in needle or "…" in needle:
            reason += "; quotes must be verbatim, without '...' elisions"
        return AnchorMiss(reason)
    anchors = []
    for start, end in spans:
        start_line, start_column = _position(haystack, start)
        end_line, end_column = _position(haystack, end)
        anchors.append(
            Anchor(
                start_line,
                end_line,
                start_column,
                end_column,
                needle if redacted is not None and not exact else haystack[start:end],
                exact,
                len(spans),
            )
        )
    if hint is None:
        return anchors[0]
    return min(anchors, key=lambda a: (_distance(a, hint), a.start_line))


def _distance(anchor: Anchor, hint: int) -> int:
    if anchor.start_line <= hint <= anchor.end_line:
        return 0
    return min(abs(anchor.start_line - hint), abs(anchor.end_line - hint))
