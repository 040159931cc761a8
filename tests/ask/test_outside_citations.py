"""Citations of files outside the repository (an absolute path, ``../``, ``~``) are checked
like any other and marked, never passed over silently; a repository path written with a leading
slash is the repository's file."""

from __future__ import annotations

import pytest

from repoagent.ask import verify_paragraph

FILES = {"src/lib.py": "import os\n\n\ndef parse(text):\n    return text.split()\n"}
KNOWN = frozenset(FILES)


def read(path: str) -> str | None:
    """Like the snapshot: only repository paths can be read."""
    return FILES.get(path)


@pytest.mark.parametrize("cited", ["/etc/passwd:1", "../../etc/passwd:1", "~/.ssh/config:2"])
def test_a_citation_outside_the_repository_is_marked(cited: str) -> None:
    text, [c] = verify_paragraph(f"The root account is listed (see {cited}).", read, KNOWN)
    assert not c.verified and c.reason == "outside the repository"
    assert f"{cited} [unverified: outside the repository]" in text


def test_a_leading_slash_on_a_repository_path_is_tolerated() -> None:
    _, [c] = verify_paragraph("`parse` splits the text (/src/lib.py:4-5).", read, KNOWN)
    assert c.verified and c.path == "src/lib.py"
