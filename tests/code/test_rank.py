"""Relevance ranking: callers and callees of the focus, query matching, roles, no focus."""

from __future__ import annotations

from collections.abc import Callable

import git

from repoagent.code import SymbolIndex, bm25_files, file_role, rank_files
from repoagent.code.graph import pagerank

REPO = {
    "a.py": "def parse(text):\n    return tokenize(text)\n",
    "b.py": "import a\n\n\ndef load(path):\n    return a.parse(open(path).read())\n",
    "lexer.py": "def tokenize(text):\n    return text.split()\n",
    "colors.py": "def rgb(r, g, b):\n    return (r, g, b)\n",
    "shapes.py": "def circle(radius):\n    return 3.14 * radius * radius\n",
    "units.py": "def meters(feet):\n    return feet * 0.3048\n",
    "headers.py": "def decode_header(raw):\n    '''Decode a response header value.'''\n    return raw.decode('latin-1')\n",
    "docs/guide.md": "# Guide\nHow to parse things.\n",
    "tests/test_a.py": "from a import parse\n\n\ndef test_parse():\n    assert parse('x')\n",
}


def _index(make_repo: Callable[..., git.Repo]) -> SymbolIndex:
    return SymbolIndex.build(make_repo(REPO).working_tree_dir)


def _order(ranked: list) -> list[str]:
    return [r.path for r in ranked]


def test_focus_on_callee_ranks_its_callers_above_unrelated_files(make_repo) -> None:
    order = _order(rank_files(_index(make_repo), focus=["a.py"]))
    assert order[0] == "a.py"
    for unrelated in ("colors.py", "shapes.py", "units.py"):
        assert order.index("b.py") < order.index(unrelated)


def test_focus_on_caller_ranks_its_callees_above_unrelated_files(make_repo) -> None:
    ranked = rank_files(_index(make_repo), focus=["b.py"])
    order = _order(ranked)
    assert order[0] == "b.py"
    for unrelated in ("colors.py", "shapes.py", "units.py"):
        assert order.index("a.py") < order.index(unrelated)
    reasons = {r.path: r.reason for r in ranked}
    assert reasons["b.py"] == "focus" and reasons["a.py"] == "used by focus"


def test_changed_symbols_make_their_users_relevant(make_repo) -> None:
    index = _index(make_repo)
    ranked = _order(rank_files(index, changed=["lexer.py"], changed_lines={"lexer.py": {2}}))
    assert ranked[0] == "lexer.py"
    assert ranked.index("a.py") < ranked.index("colors.py")


def test_prose_query_matches_paths_symbols_and_contents(make_repo) -> None:
    index = _index(make_repo)
    ranked = rank_files(index, query="Fix handling of unicode in response headers")
    assert ranked[0].path == "headers.py"
    assert ranked[0].reason == "query match"
    assert bm25_files(index, "response header")["headers.py"] > 0
    named = rank_files(index, query="the bug is in units.py")
    assert (named[0].path, named[0].reason) == ("units.py", "named in query")
    by_identifier = rank_files(index, query="rgb returns the wrong tuple")
    assert by_identifier[0].path == "colors.py"


def test_without_focus_plain_pagerank_and_roles_order_the_files(make_repo) -> None:
    ranked = rank_files(_index(make_repo))
    order = _order(ranked)
    # What the code leans on most: a.py (used by b.py and the test) and lexer.py (used by a.py).
    assert set(order[:2]) == {"a.py", "lexer.py"}
    assert order.index("shapes.py") < order.index("tests/test_a.py") < order.index("docs/guide.md")
    assert all(0 <= r.score <= 1 for r in ranked) and ranked[0].score == 1.0


def test_file_roles() -> None:
    assert file_role("src/app.py") == "source"
    assert file_role("tests/test_app.py") == "test"
    assert file_role("pkg/app_test.go") == "test"
    assert file_role("web/app.spec.ts") == "test"
    assert file_role("docs/index.rst") == "docs"
    assert file_role("pyproject.toml") == "config"
    assert file_role(".github/workflows/ci.yml") == "config"


def test_pagerank_is_a_distribution_that_follows_edges() -> None:
    graph = {"x": {"y": 1.0}, "y": {"z": 1.0}, "z": {}, "w": {}}
    ranks = pagerank(graph)
    assert abs(sum(ranks.values()) - 1.0) < 1e-6
    assert ranks["z"] > ranks["y"] > ranks["x"]
    personal = pagerank(graph, {"x": 1.0})
    assert personal["w"] == 0.0 and personal["y"] > 0


def test_git_recency_and_churn_break_ties(make_repo) -> None:
    from repoagent.code.history import git_activity
    from tests.conftest import commit_files

    repo = make_repo({"old.py": "def a():\n    pass\n", "new.py": "def b():\n    pass\n"})
    commit_files(repo, {"new.py": "def b():\n    return 1\n"}, "touch new")
    recency, churn = git_activity(repo.working_tree_dir)
    assert churn == {"new.py": 2, "old.py": 1}
    assert recency["new.py"] >= recency["old.py"]
    index = SymbolIndex.build(repo.working_tree_dir)
    ranked = rank_files(index, recency=recency, churn=churn)
    assert [r.path for r in ranked] == ["new.py", "old.py"]


def test_public_api() -> None:
    import repoagent.code as code

    assert set(code.__all__) >= {"SymbolIndex", "outline_file", "rank_files", "syntax_errors"}
    assert all(getattr(code, name).__doc__ for name in code.__all__)
