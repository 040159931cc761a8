"""Regressions found by auditing real release histories (flask 3.0.0 → 3.0.2)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from repoagent.audit import AuditOptions, render_audit, run_audit
from tests.audit.test_report import run_cli
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


def test_development_requirement_files_are_not_runtime_dependencies(make_repo: Repo) -> None:
    repo = make_repo(
        {
            "requirements/dev.txt": "build==0.10.0\n",
            "requirements-tests.txt": "pytest==7.0\n",
            "requirements.txt": "click==8.1.6\n",
            "pkg/a.py": "x = 1\n",
        }
    )
    repo.create_tag("v1")
    commit_files(
        repo,
        {
            "requirements/dev.txt": "build==1.0.3\njinja2==3.1.3\nrequests==2.31\n",
            "requirements-tests.txt": "pytest==7.4\n",
        },
        "bump dev pins",
    )
    audit = _audit(repo)
    got = {(d.file, d.group, d.name, d.change) for d in audit.dependencies}  # type: ignore[attr-defined]
    assert got == {
        ("requirements/dev.txt", "dev", "build", "upgraded"),
        ("requirements/dev.txt", "dev", "jinja2", "added"),
        ("requirements/dev.txt", "dev", "requests", "added"),
        ("requirements-tests.txt", "tests", "pytest", "upgraded"),
    }
    reasons = [r.text for r in audit.risk_reasons if r.section == "dependencies"]  # type: ignore[attr-defined]
    assert reasons == ["Only development dependencies changed (4 changes in dev, tests)."]
    assert audit.risk == "medium"  # type: ignore[attr-defined]  # (no review ran), not for dev pins


def test_runtime_requirements_still_raise_the_risk(make_repo: Repo) -> None:
    repo = make_repo({"requirements.txt": "click==8.1.6\n", "pkg/a.py": "x = 1\n"})
    repo.create_tag("v1")
    commit_files(repo, {"requirements.txt": "click==7.0\n"}, "pin down")
    audit = _audit(repo)
    assert [(d.group, d.change) for d in audit.dependencies] == [("runtime", "downgraded")]  # type: ignore[attr-defined]
    assert "Downgraded: click." in [r.text for r in audit.risk_reasons]  # type: ignore[attr-defined]


def test_annotation_only_changes_are_told_apart_from_breaking_ones(make_repo: Repo) -> None:
    before = (
        "def prepare_import(path):\n    return path\n\n\n"
        "def teardown(self, exc=_sentinel  # type: ignore\n):\n    pass\n\n\n"
        "def get(self, obj, owner=None):\n    pass\n"
    )
    after = (
        "def prepare_import(path: str) -> str:\n    return path\n\n\n"
        "def teardown(self, exc: BaseException | None = _sentinel,  # type: ignore[assignment]\n"
        ") -> None:\n    pass\n\n\n"
        "def get(self, obj: None, owner: None) -> te.Self:\n    pass\n"
    )
    repo = make_repo({"pkg/cli.py": before})
    repo.create_tag("v1")
    commit_files(repo, {"pkg/cli.py": after}, "annotate")
    audit = _audit(repo)
    assert [(a.name, a.change) for a in audit.api] == [  # type: ignore[attr-defined]
        ("prepare_import", "annotations"),
        ("teardown", "annotations"),
        ("get", "signature"),  # owner lost its default: a caller passing one argument breaks
    ]
    reasons = [r.text for r in audit.risk_reasons if r.section == "api"]  # type: ignore[attr-defined]
    assert reasons == [
        "1 changed signature (get): callers may break.",  # named, so the reader can find it
        "2 signatures changed only in type annotations.",
    ]


def test_model_down_is_never_rated_low_risk(
    make_repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPOAGENT_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("REPOAGENT_MAX_RETRIES", "0")
    repo = make_repo({"pkg/a.py": "def f():\n    return 1\n", "tests/test_a.py": "x = 1\n"})
    repo.create_tag("v1")
    commit_files(
        repo, {"pkg/a.py": "def f():\n    return 2\n", "tests/test_a.py": "x = 2\n"}, "tweak"
    )
    assert run_cli(["audit", str(repo.working_tree_dir), "--format", "json", "-q"]) == 3
    data = json.loads(capsys.readouterr().out)
    assert data["model_failed"] is True
    assert data["risk"] == "medium"
    assert "so there are no review findings" in data["review_note"]


def test_output_to_a_directory_and_unwritable_targets(
    make_repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo({"pkg/a.py": "x = 1\n"})
    root = str(repo.working_tree_dir)
    out = tmp_path / "reports"
    out.mkdir()
    # One format into an existing directory: DIR/audit.html (was an internal error).
    assert run_cli(["audit", root, "--no-review", "-q", "--format", "html", "-o", str(out)]) == 0
    assert (out / "audit.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    capsys.readouterr()
    assert run_cli(["audit", root, "--no-review", "-q", "-o", str(blocker / "a.md")]) == 2
    assert "repoagent: error: cannot create the directory of" in capsys.readouterr().err


def test_since_later_than_rev_is_an_error_not_an_empty_low_risk_audit(
    make_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo({"pkg/a.py": "x = 1\n"})
    repo.create_tag("v1")
    commit_files(repo, {"pkg/a.py": "x = 2\n"}, "two")
    repo.create_tag("v2")
    root = str(repo.working_tree_dir)
    assert run_cli(["audit", root, "--no-review", "--since", "v2", "--rev", "v1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("repoagent: error: --since 'v2' is later than --rev 'v1'")
    assert run_cli(["audit", root, "--no-review", "-q", "--since", "v2", "--rev", "v2"]) == 0


def test_marker_lines_never_carry_secrets_into_the_report(make_repo: Repo) -> None:
    repo = make_repo({"pkg/a.py": "x = 1\n"})
    repo.create_tag("v1")
    commit_files(
        repo,
        {
            "pkg/a.py": 'AWS_KEY = "AKIAIOSFODNN7ABCDEFG"  # TODO rotate before release\n',
            ".env": "TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789  # TODO move\n",
        },
        "keys",
    )
    audit = _audit(repo)
    [marker] = audit.markers  # type: ignore[attr-defined]
    assert marker.path == "pkg/a.py" and "TODO rotate" in marker.text
    report = render_audit(audit, "markdown") + render_audit(audit, "json")  # type: ignore[arg-type]
    assert "AKIAIOSFODNN7ABCDEFG" not in report and "ghp_abcdefghij" not in report


def test_long_signatures_the_index_shortens_are_compared_whole(make_repo: Repo) -> None:
    """flask 3.0.1's Flask.__init__ (over 300 characters) changed only `os.PathLike` to
    `os.PathLike[str]`; the shortened signatures did not parse and it counted as breaking."""
    params = ", ".join(f"option_{i}: str | os.PathLike | None = None" for i in range(12))
    typed = params.replace("os.PathLike |", "os.PathLike[str] |")
    before = f"class App:\n    @setupmethod\n    def __init__(\n        self, {params}\n    ) -> None:\n        pass\n"
    after = before.replace(params, typed)
    repo = make_repo({"pkg/app.py": before})
    repo.create_tag("v1")
    commit_files(repo, {"pkg/app.py": after}, "typing")
    audit = _audit(repo)
    assert [(a.name, a.change) for a in audit.api] == [("App.__init__", "annotations")]  # type: ignore[attr-defined]


def test_python_overloads_compare_the_implementation(make_repo: Repo) -> None:
    before = "class Attr:\n    def __get__(self, obj, owner=None):\n        pass\n"
    after = (
        "class Attr:\n"
        "    @t.overload\n    def __get__(self, obj: None, owner: None) -> te.Self: ...\n\n"
        "    @t.overload\n    def __get__(self, obj: App, owner: type[App]) -> T: ...\n\n"
        "    def __get__(self, obj: App | None, owner: type[App] | None = None) -> T | te.Self:\n"
        "        pass\n"
    )
    repo = make_repo({"pkg/attr.py": before})
    repo.create_tag("v1")
    commit_files(repo, {"pkg/attr.py": after}, "overloads")
    audit = _audit(repo)
    assert [(a.name, a.change, a.line) for a in audit.api] == [("Attr.__get__", "annotations", 8)]  # type: ignore[attr-defined]


def test_a_whole_history_audit_keeps_the_file_table_readable(make_repo: Repo) -> None:
    from repoagent.audit.sections import MAX_FILE_ROWS

    files = {f"pkg/m{i:03}.py": f"x = {i}\n" * (1 + i % 7) for i in range(MAX_FILE_ROWS + 20)}
    audit = _audit(make_repo(files))  # no tag: the whole history
    markdown = render_audit(audit, "markdown")  # type: ignore[arg-type]
    rows = _table_rows(markdown, "What changed")
    assert len(rows) == 2 + MAX_FILE_ROWS
    assert f"{MAX_FILE_ROWS + 20} files changed; the {MAX_FILE_ROWS} with the most" in markdown
    assert len(audit.changes.files) == MAX_FILE_ROWS + 20  # type: ignore[attr-defined]
