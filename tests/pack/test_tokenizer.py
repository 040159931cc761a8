"""Exact offline counts: Llama 4 from the llama-models wheel, additive at safe boundaries."""

from __future__ import annotations

import base64

import pytest
import tiktoken
from hypothesis import example, given, settings
from hypothesis import strategies as st

from repoagent.errors import PackError
from repoagent.pack.tokenizer import load_tokenizer

SAMPLE = "def f(x):\n    return x + 1  # <|eot|> is text here\n\n\tclass A: pass\r\n"


def test_llama4_matches_the_reference_tokenizer() -> None:
    from llama_models.llama4.tokenizer import Tokenizer

    reference = Tokenizer.get_instance()
    tokenizer = load_tokenizer("llama4")
    for text in (SAMPLE, "", "héllo wörld 😀 " * 50, "x" * 30_000):
        assert tokenizer.count(text) == len(reference.encode(text, bos=False, eos=False))


@pytest.mark.parametrize(
    "text",
    [
        # runs longer than 25,000 characters (the reference tokenizer cuts them) at offsets
        # that do and do not line up with the blocks the tokenizer checks for them
        "a b " * 4_000 + "x" * 60_001 + " " * 30_000 + "y",
        "q" * 12_499 + " " + "z" * 25_001 + "\n" + "w" * 25_000,
        "var a=1;" * 9_000 + "\n" + "\t" * 26_000 + "end",
        "é" * 50_003 + " done",
    ],
)
def test_long_runs_count_as_the_reference_tokenizer_counts_them(text: str) -> None:
    from llama_models.llama4.tokenizer import Tokenizer

    reference = Tokenizer.get_instance()
    tokenizer = load_tokenizer("llama4")
    assert tokenizer.count(text) == len(reference.encode(text, bos=False, eos=False))


def test_special_token_strings_count_as_text() -> None:
    tokenizer = load_tokenizer("llama4")
    assert tokenizer.count("<|begin_of_text|>") > 1


safe_texts = st.text(alphabet=st.sampled_from(list("ab Z9_/\\{}<>\"'=\n\t\r #`é")), max_size=200)


@settings(max_examples=200, deadline=None)
@given(left=safe_texts, right=safe_texts, lead=st.sampled_from(list('<#{,=`"a')))
def test_counts_add_up_across_a_safe_boundary(left: str, right: str, lead: str) -> None:
    tokenizer = load_tokenizer("llama4")
    left += "\n"
    right = lead + right
    assert tokenizer.count(left + right) == tokenizer.count(left) + tokenizer.count(right)


def test_rank_file_tokenizer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ranks = tmp_path / "bytes.tiktoken"
    ranks.write_text("".join(f"{base64.b64encode(bytes([i])).decode()} {i}\n" for i in range(256)))
    tokenizer = load_tokenizer(str(ranks))
    assert tokenizer.name.startswith("file-")
    assert tokenizer.count("hello") == 5


def test_o200k_offline_is_a_one_line_error(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def offline(name: str) -> tiktoken.Encoding:
        raise ConnectionError("no route to host")

    monkeypatch.setattr(tiktoken, "get_encoding", offline)
    monkeypatch.setattr("repoagent.pack.tokenizer._LOADED", {})
    tokenizer = load_tokenizer("o200k")
    with pytest.raises(PackError, match="downloads on first use"):
        tokenizer.count("x")


def _rank_file(path, count: int = 256):  # type: ignore[no-untyped-def]
    path.write_text("".join(f"{base64.b64encode(bytes([i])).decode()} {i}\n" for i in range(count)))
    return path


def test_parsed_ranks_are_kept_and_reused(tmp_path, isolated_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from repoagent.pack import tokenizer as module

    source = _rank_file(tmp_path / "ranks.tiktoken")
    expected = module.read_ranks(source.read_bytes())
    assert module.cached_ranks(source) == expected
    copies = list((isolated_home / "cache").glob("ranks-*.marshal"))
    assert len(copies) == 1

    def no_parsing(data: bytes) -> dict[bytes, int]:
        raise AssertionError("parsed again")

    monkeypatch.setattr(module, "read_ranks", no_parsing)
    assert module.cached_ranks(source) == expected


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"garbage",
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
    ],
)
def test_a_damaged_copy_of_the_ranks_is_rebuilt(tmp_path, isolated_home, damage) -> None:  # type: ignore[no-untyped-def]
    from repoagent.pack import tokenizer as module

    source = _rank_file(tmp_path / "ranks.tiktoken")
    expected = module.cached_ranks(source)
    (copy,) = (isolated_home / "cache").glob("ranks-*.marshal")
    copy.write_bytes(damage(copy.read_bytes()))
    assert module.cached_ranks(source) == expected
    assert module.cached_ranks(source) == expected  # from the rebuilt copy


def test_a_changed_rank_file_is_parsed_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from repoagent.pack import tokenizer as module

    source = _rank_file(tmp_path / "ranks.tiktoken")
    assert len(module.cached_ranks(source)) == 256
    _rank_file(source, count=200)
    assert len(module.cached_ranks(source)) == 200


joinable_texts = st.text(
    alphabet=st.sampled_from(list("ab Z9_/\\{}<>\"'=.,;:!?-\n\t #`éß\u0301")),
    min_size=1,
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(left=joinable_texts, right=joinable_texts)
@example(left=":\n/:", right="Z")  # "/" can end a chunk: ":\n/" then ":Z"
def test_counts_add_up_across_every_join_called_safe(left: str, right: str) -> None:
    from repoagent.pack.tokenizer import safe_join

    tokenizer = load_tokenizer("llama4")
    if safe_join(left[-2:], right[0]):
        assert tokenizer.count(left + right) == tokenizer.count(left) + tokenizer.count(right)


def test_a_long_text_without_line_breaks_is_counted_exactly() -> None:
    # A big file in the JSON format is one line: the 400k-character pieces must be cut at a
    # join no chunk spans, or the count drifts from the whole text's.
    line = "".join(
        f"def function_{i}(value):\\n    return value + {i}  # note\\n" for i in range(9000)
    )
    assert len(line) > 400_000 and "\n" not in line
    tokenizer = load_tokenizer("llama4")
    assert tokenizer.count(line) == len(tokenizer.encoding.encode_ordinary(line))


def test_a_long_run_without_spaces_is_cut_where_no_chunk_spans() -> None:
    # A file listing inside a JSON string: 70k characters with no whitespace at all.
    listing = "\\n".join(f"sympy/module_{i}/file_{i}.py" for i in range(2500))
    assert len(listing) > 2 * 25_000 and not any(c.isspace() for c in listing)
    tokenizer = load_tokenizer("llama4")
    assert tokenizer.count(listing) == len(tokenizer.encoding.encode_ordinary(listing))


def test_a_tokenizer_that_cannot_load_is_one_error_tried_once(
    make_repo, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # A budgeted pack loads the tokenizer while it indexes the code; a failure there is not a
    # ranking failure, and the download is not tried again when the budget is fitted.
    from tests.pack.helpers import run_cli

    tries: list[str] = []

    def offline(name: str) -> tiktoken.Encoding:
        tries.append(name)
        raise ConnectionError("no route to host")

    monkeypatch.setattr(tiktoken, "get_encoding", offline)
    monkeypatch.setattr("repoagent.pack.tokenizer._LOADED", {})
    monkeypatch.setattr("repoagent.code.lexical.PARALLEL_CHARS", 1)
    files = {f"m{i}.py": f"def f{i}(x):\n    return g{i}(x) + {i}\n" * 40 for i in range(20)}
    repo = make_repo(files)
    code, out, err = run_cli(
        capsys, "pack", repo.working_tree_dir, "--budget", "2000", "--tokenizer", "o200k"
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "downloads on first use" in err
    assert tries == ["o200k_base"]
