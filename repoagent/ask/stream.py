"""Stream an answer paragraph by paragraph, each checked before it is shown.

Citations can only be checked once the sentence around them (and any code block quoted after
it) is complete, so the stream is cut into blocks: paragraphs separated by a blank line, a code
block kept whole and joined to the paragraph that introduces it. A block is printed as soon as
it is complete and checked; the reader waits one paragraph, never the whole answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from repoagent.ask.citations import Citation, FileReader, verify_paragraph

_FENCE_LINE = re.compile(r"^\s*(```|~~~)")


class ParagraphBuffer:
    """Collects streamed text and hands out complete blocks (paragraph + its code block)."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._partial = ""
        self._in_fence = False

    def feed(self, chunk: str) -> list[str]:
        """Add streamed text; return the blocks it completed."""
        self._partial += chunk
        *complete, self._partial = self._partial.split("\n")
        blocks = []
        for line in complete:
            block = self._line(line)
            if block is not None:
                blocks.append(block)
        return blocks

    def _line(self, line: str) -> str | None:
        if _FENCE_LINE.match(line):
            self._in_fence = not self._in_fence
            self._lines.append(line)
            return None
        if self._in_fence or line.strip():
            self._lines.append(line)
            return None
        # A blank line ends a paragraph, unless it introduces a code block ("…as follows:").
        if self._lines and not self._lines[-1].rstrip().endswith(":"):
            return self._take()
        return None

    def _take(self) -> str | None:
        text = "\n".join(self._lines).strip("\n")
        self._lines = []
        return text or None

    def close(self) -> str | None:
        """The last block, once the stream has ended."""
        if self._partial:
            self._lines.append(self._partial)
            self._partial = ""
        return self._take()


@dataclass
class CheckedAnswer:
    """The answer as shown (failed citations marked) and every citation checked."""

    text: str = ""
    citations: list[Citation] = field(default_factory=list)

    @property
    def unverified(self) -> list[Citation]:
        """Citations the files did not bear out."""
        return [c for c in self.citations if not c.verified]


def checked_blocks(
    chunks: Iterable[str], read: FileReader, known: frozenset[str] = frozenset()
) -> Iterator[tuple[str, list[Citation]]]:
    """Yield ``(block with failed citations marked, its citations)`` as the stream completes them."""
    buffer = ParagraphBuffer()
    for chunk in chunks:
        for block in buffer.feed(chunk):
            yield verify_paragraph(block, read, known)
    last = buffer.close()
    if last:
        yield verify_paragraph(last, read, known)


def check_answer(text: str, read: FileReader, known: frozenset[str] = frozenset()) -> CheckedAnswer:
    """Check a whole (non-streamed) answer."""
    answer = CheckedAnswer()
    blocks = []
    for block, citations in checked_blocks([text], read, known):
        blocks.append(block)
        answer.citations.extend(citations)
    answer.text = "\n\n".join(blocks)
    return answer
