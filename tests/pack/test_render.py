"""Byte-stable documents in four formats; JSON fields; line numbers; -o FILE; outlines."""

from __future__ import annotations

import json

from tests.pack.helpers import FORMATS, by_path, pack, whole_count

FILES = {
    "src/app.py": "import os\n\n\ndef main():\n    return os.getcwd()\n",
    "README.md": "# Demo\n\n```sh\nrun it\n```\n",
    "tests/test_app.py": "def test_main():\n    assert True\n",
    "bin/blob": b"\0\1\2",
}


def test_two_runs_give_identical_bytes(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(FILES)
    for fmt in FORMATS:
        first = pack(repo, format=fmt, query="explain", line_numbers=True)
        second = pack(repo, format=fmt, query="explain", line_numbers=True)
        assert first.text == second.text
        assert first.text.encode() == second.text.encode()
        assert whole_count(first.text) == first.tokens


def test_sections_in_order(make_repo) -> None:  # type: ignore[no-untyped-def]
    text = pack(make_repo(FILES), query="Q?").text
    marks = ["<repository ", "<tree>", "<manifest>", "<files>", "<query>", "</repository>"]
    positions = [text.index(m) for m in marks]
    assert positions == sorted(positions)


def test_json_format_fields(make_repo) -> None:  # type: ignore[no-untyped-def]
    result = pack(make_repo(FILES), format="json", budget=100_000, query="why?")
    doc = json.loads(result.text)
    assert doc["revision"] == result.revision
    assert doc["tokenizer"] == "llama4"
    assert doc["budget"] == 100_000
    assert doc["tokens"] == result.tokens == whole_count(result.text)
    assert doc["query"] == "why?"
    files = doc["files"]
    assert [f["path"] for f in files if f["level"] == "full"] == sorted(
        f["path"] for f in files if f["level"] == "full"
    )
    shown = {f["path"]: f for f in files}
    assert shown["src/app.py"]["content"] == FILES["src/app.py"]
    assert shown["src/app.py"]["tokens"] > 0 and shown["src/app.py"]["reason"] is None
    assert shown["bin/blob"] == {
        "path": "bin/blob",
        "level": None,
        "tokens": None,
        "reason": "binary",
    }


def test_line_numbers(make_repo) -> None:  # type: ignore[no-untyped-def]
    text = pack(make_repo(FILES), line_numbers=True).text
    assert "1: import os\n2: \n3: \n4: def main():\n5:     return os.getcwd()\n" in text


def test_markdown_fence_survives_backticks_in_files(make_repo) -> None:  # type: ignore[no-untyped-def]
    text = pack(make_repo(FILES), format="markdown").text
    assert "````markdown\n# Demo\n" in text


def test_outline_level_when_full_text_does_not_fit(make_repo) -> None:  # type: ignore[no-untyped-def]
    methods = "".join(
        f"    def m{i}(self):\n" + "".join(f"        x{j} = {j} * {i}\n" for j in range(20))
        for i in range(10)
    )
    repo = make_repo({"big.py": f"class Big:\n{methods}", "small.py": "a = 1\n"})
    result = pack(repo, budget=700)
    entry = by_path(result)["big.py"]
    assert entry.level == "outline" and entry.reason == "budget"
    assert "class Big" in result.text and "def m9(self)" in result.text
    assert "x19 = 19 * 9" not in result.text
    assert whole_count(result.text) == result.tokens <= 700


def test_coverage_matches_manifest(make_repo) -> None:  # type: ignore[no-untyped-def]
    result = pack(make_repo(FILES))
    coverage = {c.path: c for c in result.coverage()}
    assert coverage["src/app.py"].level == "full" and coverage["src/app.py"].tokens > 0
    assert coverage["bin/blob"].level is None and coverage["bin/blob"].reason == "binary"


def test_json_lists_each_file_once(make_repo) -> None:  # type: ignore[no-untyped-def]
    methods = "".join(
        f"    def m{i}(self):\n" + "".join(f"        x{j} = {j} * {i}\n" for j in range(20))
        for i in range(10)
    )
    repo = make_repo({"big.py": f"class Big:\n{methods}", "small.py": "a = 1\n", "c.bin": b"\0\1"})
    result = pack(repo, budget=900, format="json")
    document = json.loads(result.text)
    paths = [f["path"] for f in document["files"]]
    assert sorted(paths) == ["big.py", "c.bin", "small.py"]  # each once, outline included
    big = next(f for f in document["files"] if f["path"] == "big.py")
    assert big["level"] == "outline" and "class Big" in big["content"]
    assert document["levels"]["outline"] == 1


def test_the_document_says_when_secrets_were_not_redacted(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "x = 1\n"})
    expected = {
        "xml": 'redactions="off"',
        "markdown": "redactions off (--no-redact",
        "plain": "redactions off (--no-redact",
        "json": '"redacting":false',
    }
    for fmt, marker in expected.items():
        unredacted = pack(repo, format=fmt, redact=False)
        assert marker in unredacted.text
        assert whole_count(unredacted.text) == unredacted.tokens
        assert marker not in pack(repo, format=fmt).text


def test_an_empty_pack_says_no_files_in_its_header(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "x = 1\n", "b.py": "y = 2\n"})
    for fmt, expected in (("xml", "<summary>files: none;"), ("markdown", "- Files: none;")):
        text = pack(repo, exclude=("*.py",), format=fmt).text
        assert expected in text
