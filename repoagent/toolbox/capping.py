"""Cap tool output so one call cannot flood the model's context: keep head and tail, say so."""

from __future__ import annotations

MAX_CHARS = 24_000
MAX_LINE_CHARS = 400


def clip_line(line: str, limit: int = MAX_LINE_CHARS) -> str:
    """Shorten one overlong line (minified code, data) with a marker."""
    if len(line) <= limit:
        return line
    return line[:limit] + f" … [{len(line) - limit} more characters]"


def cap_text(text: str, limit: int = MAX_CHARS, *, what: str = "output") -> str:
    """Return ``text`` unchanged if short, else its head and tail with a note of what was cut."""
    if len(text) <= limit:
        return text
    lines = text.splitlines()
    head_budget = limit * 2 // 3
    tail_budget = limit - head_budget
    head: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > head_budget:
            break
        head.append(line)
        used += len(line) + 1
    tail: list[str] = []
    used = 0
    for line in reversed(lines[len(head) :]):
        if used + len(line) + 1 > tail_budget:
            break
        tail.append(line)
        used += len(line) + 1
    tail.reverse()
    if not head and not tail:  # one enormous line
        return (
            text[:head_budget]
            + f"\n[… {what} truncated: {len(text) - limit} characters omitted …]\n"
            + text[-tail_budget:]
        )
    omitted = len(lines) - len(head) - len(tail)
    note = f"[… {what} truncated: {omitted} lines omitted from the middle; narrow the request to see them …]"
    return "\n".join([*head, note, *tail])
