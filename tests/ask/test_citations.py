"""The citation checker and the paragraph buffer, on their own (no model)."""

from __future__ import annotations

from repoagent.ask import ParagraphBuffer, check_answer, verify_paragraph

FILES = {
    "src/lib.py": "import os\n\n\ndef parse(text, strict=False):\n    return text.split()\n\n\n"
    "class Client:\n    def get(self, url):\n        return url\n",
}
read = FILES.get
KNOWN = frozenset(FILES)


def test_right_citation_is_verified() -> None:
    text, [c] = verify_paragraph("`parse()` splits on whitespace (src/lib.py:4-5).", read, KNOWN)
    assert c.verified and "[unverified" not in text
    assert (c.path, c.start, c.end) == ("src/lib.py", 4, 5)


def test_line_past_the_end_is_marked() -> None:
    text, [c] = verify_paragraph("See src/lib.py:99 for details.", read, KNOWN)
    assert not c.verified
    assert text == "See src/lib.py:99 [unverified: src/lib.py has 10 lines] for details."


def test_line_that_does_not_hold_the_named_code_is_marked() -> None:
    text, [c] = verify_paragraph("`Client` is declared at `src/lib.py:4`.", read, KNOWN)
    assert not c.verified
    assert "line 4 does not contain `Client`" in text


def test_missing_file_is_marked() -> None:
    _, [c] = verify_paragraph("It lives in src/other.py:1.", read, KNOWN)
    assert not c.verified and c.reason == "no file src/other.py"


def test_quoted_code_must_be_at_the_cited_lines() -> None:
    good = (
        "Here it is (src/lib.py:9-10):\n```python\n    def get(self, url):\n        return url\n```"
    )
    bad = good.replace("9-10", "4-5")
    assert verify_paragraph(good, read, KNOWN)[1][0].verified
    text, [c] = verify_paragraph(bad, read, KNOWN)
    assert not c.verified and "quoted code is not at these lines" in text


def test_short_path_resolves_to_the_unique_file() -> None:
    _, [c] = verify_paragraph("`get` is at lib.py:9.", read, KNOWN)
    assert c.verified and c.path == "src/lib.py"


def test_urls_times_and_versions_are_not_citations() -> None:
    _, citations = verify_paragraph(
        "Served at http://localhost:8000 at 12:30, v1.2:3.", read, KNOWN
    )
    assert citations == []


def test_buffer_keeps_code_blocks_with_their_paragraph() -> None:
    text = "First, a.py:1.\n\nThe code (a.py:1-3):\n\n```\nx = 1\n\ny = 2\n```\n\nLast."
    buffer = ParagraphBuffer()
    blocks = [b for i in range(0, len(text), 4) for b in buffer.feed(text[i : i + 4])]
    blocks.append(buffer.close())
    assert blocks == ["First, a.py:1.", "The code (a.py:1-3):\n```\nx = 1\n\ny = 2\n```", "Last."]


def test_check_answer_collects_every_citation() -> None:
    answer = check_answer("`parse` at src/lib.py:4.\n\n`get` at src/lib.py:1.", read, KNOWN)
    assert [c.verified for c in answer.citations] == [True, False]
    assert len(answer.unverified) == 1


def test_a_quote_with_a_name_that_is_not_there_is_marked() -> None:
    # Asked about an older release, the model quoted `FileSystemLoader`; the line now says
    # `BaseLoader`. The shared name `jinja_loader` alone used to verify it.
    files = {"scaffold.py": "@cached_property\ndef jinja_loader(self) -> BaseLoader | None:\n"}
    text, [c] = verify_paragraph(
        "It is `def jinja_loader(self) -> FileSystemLoader | None:` (scaffold.py:2).",
        files.get,
        frozenset(files),
    )
    assert not c.verified and "does not contain" in text
    _, [ok] = verify_paragraph(
        "It is `def jinja_loader(self) -> BaseLoader | None:` (scaffold.py:2).",
        files.get,
        frozenset(files),
    )
    assert ok.verified


def test_qualified_names_need_only_their_last_part_at_the_line() -> None:
    text, [c] = verify_paragraph("`Client.get` returns the URL (src/lib.py:9-10).", read, KNOWN)
    assert c.verified, text
