"""Parsing never crashes or hangs, and says why a file was not parsed."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from repoagent.code import outline_file, supported_languages, syntax_errors
from repoagent.code.parsing import parse_source
from repoagent.code.symbols import analyze_file

ALL = ["python", "javascript", "typescript", "tsx", "go", "rust", "java", "c", "cpp", "csharp",
       "ruby", "php", "bash", "lua"]  # fmt: skip


def test_every_grammar_wheel_loads() -> None:
    assert set(ALL) <= set(supported_languages())


def test_syntax_errors_counts_error_nodes() -> None:
    assert syntax_errors("ok.py", "def f(x):\n    return x\n") == 0
    assert syntax_errors("bad.py", "def f(x:\n    return x\n") >= 1
    assert syntax_errors("bad.go", "package main\nfunc main() {\n") >= 1
    assert syntax_errors("notes.txt", "anything") is None


@pytest.mark.parametrize(
    ("path", "content", "reason"),
    [
        ("README", "plain words", "no-grammar"),
        ("image.py", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("bundle.js", "var a=[" + "1," * 20_000 + "];", "minified"),
        ("huge.py", "x = 1\n" * 400_000, "too-large"),
    ],
)
def test_unparseable_files_fall_back_with_a_reason(
    path: str, content: str | bytes, reason: str
) -> None:
    parsed = parse_source(path, content)
    assert parsed.tree is None
    assert parsed.reason == reason
    assert outline_file(path, content) is None
    assert syntax_errors(path, content) is None


def test_parse_time_is_capped() -> None:
    source = "x = [" + "1,\n" * 300_000 + "]\n"
    parsed = parse_source("slow.py", source, seconds=0.001)
    assert parsed.tree is None
    assert parsed.reason == "timeout"


def test_mixed_encodings_and_deep_nesting_do_not_crash() -> None:
    latin1 = "def café():\n    return 'é'\n".encode("latin-1")
    assert syntax_errors("legacy.py", latin1) is not None
    surrogates = b"def f():\n    return '\xff'\n".decode("utf-8", "surrogateescape")
    assert "def f():" in (outline_file("esc.py", surrogates) or "")
    nested = "x = " + "[\n" * 5000 + "]\n" * 5000
    assert syntax_errors("deep.py", nested) == 0
    assert syntax_errors("deep.js", "f(" + "function(){\n" * 3000 + "}\n" * 3000 + ")") is not None


EXTENSIONS = [".py", ".js", ".ts", ".tsx", ".go", ".rs", ".java", ".c", ".cpp", ".cs", ".rb",
              ".php", ".sh", ".lua", ".txt"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    ext=st.sampled_from(EXTENSIONS),
    text=st.text(
        alphabet=st.sampled_from(list("deffunc class(){}[]<>:;=\"'#/*\n\t\\ xyzé😀\0\r")),
        max_size=300,
    ),
)
@example(ext=".rb", text="#\r:")  # a lone carriage return stays inside its line
def test_any_input_outlines_and_indexes_without_crashing(ext: str, text: str) -> None:
    path = f"sample{ext}"
    outline = outline_file(path, text)
    record = analyze_file(path, text)
    errors = syntax_errors(path, text)
    if outline is not None:
        lines = text.encode("utf-8", "replace").decode("utf-8", "replace").split("\n")
        # Lines end at "\n" only (a lone "\r" stays inside its line, as in the pack).
        for line in outline.split("\n"):
            number, _, rest = line.partition("│")
            if number.strip().isdigit():
                assert lines[int(number) - 1].rstrip().removesuffix("\r").rstrip() == rest
    assert errors is None or errors >= 0
    assert record["reason"] in (
        None,
        "no-grammar",
        "binary",
        "minified",
        "too-large",
        "timeout",
        "parse-failed",
    )
