"""Regressions found by auditing real release histories (flask 3.0.0 → 3.0.2)."""

from __future__ import annotations

import re
from collections.abc import Callable

import git

from repoagent.audit import AuditOptions, render_audit, run_audit
from tests.conftest import commit_files

Repo = Callable[..., git.Repo]


def _audit(repo: git.Repo) -> object:
    return run_audit(AuditOptions(path=repo.working_tree_dir, review=False))  # type: ignore[arg-type]


def _table_rows(markdown: str, heading: str) -> list[str]:
    section = markdown.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("|")]


def _cells(row: str) -> int:
    """Cells of a GFM table row: pipes not escaped with a backslash separate them."""
    return len(re.split(r"(?<!\\)\|", row.strip())[1:-1])


def test_union_types_in_signatures_do_not_break_the_markdown_table(make_repo: Repo) -> None:
    repo = make_repo(
        {"pkg/loader.py": "def jinja_loader(self) -> FileSystemLoader | None:\n    pass\n"}
    )
    repo.create_tag("v1")
    commit_files(
        repo, {"pkg/loader.py": "def jinja_loader(self) -> BaseLoader | None:\n    pass\n"}, "widen"
    )
    markdown = render_audit(_audit(repo), "markdown")  # type: ignore[arg-type]
    rows = _table_rows(markdown, "Public API changes")
    assert len(rows) == 3  # header, rule, one change
    assert {_cells(r) for r in rows} == {5}, rows
    assert r"FileSystemLoader \| None" in rows[2]


def test_functions_nested_in_functions_are_not_public_api(make_repo: Repo) -> None:
    before = (
        "def with_appcontext(f):\n"
        "    def decorator(*args, **kwargs):\n"
        "        return f(*args, **kwargs)\n"
        "    return decorator\n\n\n"
        "class Group:\n"
        "    def command(self, *args):\n"
        "        def decorator(f):\n"
        "            return f\n"
        "        return decorator\n"
    )
    after = (
        "def with_appcontext(f: F) -> F:\n"
        "    def decorator(ctx, /, *args: t.Any, **kwargs: t.Any) -> t.Any:\n"
        "        return f(*args, **kwargs)\n"
        "    class Local:\n"
        "        def run(self) -> None:\n"
        "            pass\n"
        "    return decorator\n\n\n"
        "class Group:\n"
        "    def command(self, *args: t.Any) -> t.Any:\n"
        "        def decorator(f: t.Any) -> t.Any:\n"
        "            return f\n"
        "        return decorator\n"
    )
    repo = make_repo({"pkg/cli.py": before})
    repo.create_tag("v1")
    commit_files(repo, {"pkg/cli.py": after}, "annotate")
    audit = _audit(repo)
    assert sorted(a.name for a in audit.api) == ["Group.command", "with_appcontext"]  # type: ignore[attr-defined]
