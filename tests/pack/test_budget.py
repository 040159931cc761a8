"""The rendered document's exact token count never exceeds the budget."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repoagent.errors import PackError
from tests.conftest import commit_files
from tests.pack.helpers import FORMATS, by_path, pack, whole_count

_counter = itertools.count()

texts = st.text(
    alphabet=st.sampled_from(list("abc XYZ_09(){}<>/\\\"'\n\t\r=:-#`é😀")), max_size=400
)
file_names = st.from_regex(r"[a-z]{1,6}(/[a-z]{1,6})?\.(py|md|txt|js)", fullmatch=True)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    files=st.dictionaries(file_names, texts, min_size=1, max_size=8),
    budget=st.integers(min_value=150, max_value=3000),
    fmt=st.sampled_from(FORMATS),
    line_numbers=st.booleans(),
)
def test_exact_count_never_exceeds_budget(make_repo, files, budget, fmt, line_numbers) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(files, name=f"prop{next(_counter)}")
    try:
        result = pack(repo, budget=budget, format=fmt, line_numbers=line_numbers)
    except PackError as exc:
        assert "too small" in str(exc)
        return
    assert whole_count(result.text) == result.tokens <= budget


nested_names = st.from_regex(
    r"[a-c]{1,2}(/[a-d]{1,3}){0,3}/[a-z]{1,5}\.(py|md|txt)", fullmatch=True
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    files=st.dictionaries(nested_names, st.text("ab_\n=(", max_size=60), min_size=20, max_size=80),
    budget=st.integers(min_value=100, max_value=1500),
    fmt=st.sampled_from(FORMATS),
)
def test_many_files_small_budgets_collapse_within_budget(make_repo, files, budget, fmt) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(files, name=f"many{next(_counter)}")
    try:
        result = pack(repo, budget=budget, format=fmt)
    except PackError as exc:
        assert "too small" in str(exc)
        return
    assert whole_count(result.text) == result.tokens <= budget
    if fmt == "json":
        assert json.loads(result.text)["tokens"] == result.tokens


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.dictionaries(file_names, texts, min_size=1, max_size=6), fmt=st.sampled_from(FORMATS)
)
def test_unbudgeted_total_is_the_whole_document_count(make_repo, files, fmt) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(files, name=f"sum{next(_counter)}")
    result = pack(repo, format=fmt, query="what does it do?\n", line_numbers=True)
    assert whole_count(result.text) == result.tokens


def test_focus_and_base_diff_come_first(make_repo) -> None:  # type: ignore[no-untyped-def]
    big = "def f():\n    return 42\n" * 40
    repo = make_repo(
        {f"pkg/m{i}.py": big.replace("42", str(i)) for i in range(6)}
        | {"docs/guide.md": "guide\n" * 50}
    )
    repo.git.branch("base")
    commit_files(repo, {"pkg/m5.py": big.replace("42", "5") + "# changed\n"})
    result = pack(repo, budget=1200, focus=("docs/guide.md",), base="base")
    files = by_path(result)
    assert files["docs/guide.md"].level == "full"
    assert files["pkg/m5.py"].level == "full"
    others = [files[f"pkg/m{i}.py"] for i in range(5)]
    assert any(f.level != "full" and f.reason == "budget" for f in others)
    assert "# changed" in (result.diff or "")
    assert result.text.index("<diff") > result.text.index("<files>")
    assert whole_count(result.text) == result.tokens <= 1200


def test_budget_too_small_for_the_skeleton(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    with pytest.raises(PackError, match="too small"):
        pack(repo, budget=10)


def test_query_goes_last(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    for fmt in FORMATS:
        text = pack(repo, query="Find the bug in a.py", format=fmt).text
        tail = text[text.index("Find the bug") :]
        assert "a = 1" not in tail


@pytest.mark.parametrize("ranking", ["simple", "graph"])
def test_a_budgeted_pack_counts_only_what_it_keeps(make_repo, ranking) -> None:  # type: ignore[no-untyped-def]
    # Forty files of ~1,200 tokens, a budget of about five: the packer must not tokenize the
    # thirty-odd files it leaves listed (it counted every file whose size/8 fit in the room).
    body = "".join(f"def helper_{j}(value):\n    return value * {j} + 1\n\n" for j in range(60))
    repo = make_repo({f"pkg/mod{i:02}.py": body.replace("helper", f"h{i}") for i in range(40)})
    result = pack(repo, budget=6000, ranking=ranking)
    assert whole_count(result.text) == result.tokens <= 6000
    assert result.tokens >= 0.85 * 6000
    assert sum(f.level == "listed" for f in result.files) >= 25
    # Each kept part once and a little; the whole document is not recounted (its joins are
    # safe, so the parts' sum is exact). Before, the recount alone doubled the work.
    assert result.chars_tokenized <= 1.5 * len(result.text)


def test_outlines_are_made_from_a_bounded_amount_of_source(make_repo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Each outline is a parse; a huge budget must not parse half the repository for them.
    import repoagent.pack.fit as fit

    body = "".join(f"def helper_{j}(value):\n    return value * {j} + 1\n\n" for j in range(60))
    repo = make_repo({f"pkg/mod{i:02}.py": body.replace("helper", f"h{i}") for i in range(40)})
    size = len(body) + 40
    monkeypatch.setattr(fit, "OUTLINE_SOURCE_CHARS", 3 * size)
    result = pack(repo, budget=12000, ranking="simple")
    assert whole_count(result.text) == result.tokens <= 12000
    assert 1 <= sum(f.level == "outline" for f in result.files) <= 3
    monkeypatch.setattr(fit, "OUTLINE_SOURCE_CHARS", 0)
    assert not any(f.level == "outline" for f in pack(repo, budget=12000).files)
    focused = pack(repo, budget=12000, ranking="simple", focus=["pkg"])
    assert any(f.level == "outline" for f in focused.files)  # focus files are exempt


def test_a_budget_the_whole_repository_fits_packs_everything_in_full(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = {
        f"src/m{i}.py": "".join(f"def f{i}_{j}(x):\n    return x * {j}\n\n" for j in range(6))
        for i in range(5)
    }
    repo = make_repo(files)
    whole = pack(repo).tokens
    result = pack(repo, budget=whole + 10)
    assert [f.level for f in result.files] == ["full"] * 5
    assert whole_count(result.text) == result.tokens <= whole + 10


def test_a_budget_a_prose_repository_fits_packs_it_in_full(make_repo) -> None:  # type: ignore[no-untyped-def]
    # English prose has more characters per token than code: the size estimate must not rule
    # out the whole-repository try.
    sentence = "The quick brown fox jumps over the lazy dog while the committee deliberates. "
    repo = make_repo(
        {f"docs/chapter{i}.md": f"# Chapter {i}\n\n" + sentence * 40 for i in range(6)}
    )
    whole = pack(repo).tokens
    result = pack(repo, budget=whole + 10)
    assert {f.level for f in result.files} == {"full"}
    assert whole_count(result.text) == result.tokens <= whole + 10
