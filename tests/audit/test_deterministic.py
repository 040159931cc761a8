"""The audit's deterministic sections on a fixture release history with two tags."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from repoagent.audit import AuditOptions, run_audit
from repoagent.errors import RepositoryError
from tests.conftest import commit_files


def _audit(repo: git.Repo, **kw: object) -> object:
    return run_audit(AuditOptions(path=repo.working_tree_dir, review=False, **kw))  # type: ignore[arg-type]


def test_dependency_changes_are_listed_exactly(release_repo: git.Repo) -> None:
    audit = _audit(release_repo, since="v1.0", rev="v2.0")
    got = {(d.file, d.group, d.name, d.change, d.old, d.new) for d in audit.dependencies}
    assert got == {
        ("pyproject.toml", "runtime", "requests", "upgraded", ">=2.30", ">=2.31"),
        ("pyproject.toml", "runtime", "click", "removed", ">=8.0", None),
        ("pyproject.toml", "runtime", "httpx", "added", None, ">=0.27"),
        ("pyproject.toml", "extra:dev", "pytest", "upgraded", ">=7", ">=8"),
        ("requirements.txt", "runtime", "flask", "downgraded", "==2.0.1", "==1.1"),
        ("package.json", "runtime", "lodash", "upgraded", "^4.17.0", "^4.17.21"),
        ("package.json", "runtime", "axios", "added", None, "^1.6.0"),
        ("package.json", "dev", "jest", "removed", "^29.0.0", None),
        ("go.mod", "indirect", "golang.org/x/net", "added", None, "v0.20.0"),
        ("poetry.lock", "lock", "certifi", "upgraded", "2024.2.2", "2024.7.4"),
    }


def test_new_markers_are_listed_with_lines(release_repo: git.Repo) -> None:
    audit = _audit(release_repo, since="v1.0", rev="v2.0")
    assert [(m.path, m.line, m.marker) for m in audit.markers] == [
        ("src/demo/lib.py", 6, "TODO"),
        ("src/demo/lib.py", 16, "FIXME"),
        ("src/demo/util.py", 2, "XXX"),
    ]
    assert audit.markers[0].text == "# TODO: handle unicode whitespace"
    for marker in audit.markers:
        text = release_repo.git.show(f"v2.0:{marker.path}").splitlines()[marker.line - 1]
        assert text.strip() == marker.text


def test_source_changed_without_test_change(release_repo: git.Repo) -> None:
    audit = _audit(release_repo, since="v1.0", rev="v2.0")
    assert [g.path for g in audit.test_gaps] == ["src/demo/util.py"]


def test_what_changed(release_repo: git.Repo) -> None:
    audit = _audit(release_repo, since="v1.0", rev="v2.0")
    assert [c.subject for c in audit.changes.commits] == ["bump deps", "reshape the API"]
    assert [(p.name, p.commits) for p in audit.changes.contributors] == [("Test Author", 2)]
    assert "README.md" not in {f.path for f in audit.changes.files}
    assert audit.changes.lines_added == sum(f.added for f in audit.changes.files) > 0


def test_default_since_is_latest_tag_before_rev(release_repo: git.Repo) -> None:
    head = _audit(release_repo)
    assert head.since_name == "v2.0"
    assert [f.path for f in head.changes.files] == ["README.md"]
    at_tag = _audit(release_repo, rev="v2.0")
    assert at_tag.since_name == "v1.0"
    assert "previous tag" in at_tag.range_note


def test_no_tags_means_whole_history(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "def f():\n    return 1  # TODO later\n"})
    audit = _audit(repo)
    assert audit.since is None
    assert "whole history" in audit.range_note
    assert [(m.path, m.line) for m in audit.markers] == [("a.py", 2)]


@pytest.mark.parametrize("flag", ["since", "rev"])
def test_unknown_ref_is_a_repository_error(release_repo: git.Repo, flag: str) -> None:
    with pytest.raises(RepositoryError, match="no-such-tag"):
        _audit(release_repo, **{flag: "no-such-tag"})


def test_repository_without_commits(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo()
    with pytest.raises(RepositoryError, match="no commits"):
        _audit(repo)


def test_public_api_changes(release_repo: git.Repo) -> None:
    audit = _audit(release_repo, since="v1.0", rev="v2.0")
    got = {(a.path, a.name, a.change) for a in audit.api}
    assert got == {
        ("src/demo/lib.py", "parse", "signature"),
        ("src/demo/lib.py", "render", "removed"),
        ("src/demo/lib.py", "fetch", "added"),
    }
    changed = next(a for a in audit.api if a.change == "signature")
    assert changed.old_signature == "def parse(text):"
    assert changed.new_signature == "def parse(text, strict=False):"
    assert changed.line == 4


def test_markers_in_comments_not_markers_as_data(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "x = 1\n"})
    repo.create_tag("v1")
    code = (
        "x = 1  # TODO: later\n"
        'PATTERN = re.compile(r"(TODO|FIXME)")\n'
        'LABEL = "a TODO list"\n'
        '"""FIXME: docstring tag"""\n'
        "// XXX in a C comment\n"
    )
    commit_files(repo, {"a.py": code}, "markers")
    audit = _audit(repo)
    assert [(m.line, m.marker) for m in audit.markers] == [(1, "TODO"), (4, "FIXME"), (5, "XXX")]


def test_benchmarks_and_value_changes_are_not_api(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(
        {"pkg/core.py": "LIMIT = 1\n", "benchmarks/bench.py": "def run():\n    pass\n"}
    )
    repo.create_tag("v1")
    commit_files(
        repo,
        {
            "pkg/core.py": "LIMIT = 2\n\n\ndef _hidden(a):\n    pass\n\n\nclass Store:\n    def put(self, key):\n        pass\n",
            "benchmarks/bench.py": "def run(n):\n    pass\n",
        },
    )
    audit = _audit(repo)
    assert {(a.name, a.change) for a in audit.api} == {("Store", "added"), ("Store.put", "added")}


def test_empty_range_is_low_risk(release_repo: git.Repo) -> None:
    audit = run_audit(
        AuditOptions(path=release_repo.working_tree_dir, since="v2.0", rev="v2.0")  # type: ignore[arg-type]
    )
    assert audit.changes.commits == [] and audit.risk == "low" and audit.risk_reasons == []
    assert audit.review is None and "Nothing changed" in audit.review_note


def test_audit_leaves_the_repository_untouched(release_repo: git.Repo) -> None:
    git_dir = Path(release_repo.git_dir)

    def state() -> tuple[str, str, dict[str, float]]:
        files = {str(p): p.stat().st_mtime for p in git_dir.rglob("*") if p.is_file()}
        status = release_repo.git.execute(["git", "--no-optional-locks", "status", "--porcelain"])
        return str(status), release_repo.git.for_each_ref(), files

    before = state()
    _audit(release_repo, since="v1.0", rev="v2.0")
    after = state()
    assert after[:2] == before[:2]
    changed = {p for p in after[2].keys() | before[2].keys() if after[2].get(p) != before[2].get(p)}
    assert changed == set()


def test_shallow_clone_says_how_to_fetch_history(release_repo: git.Repo, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    git.Repo.clone_from(f"file://{release_repo.working_tree_dir}", clone, depth=1, no_tags=True)
    audit = run_audit(AuditOptions(path=clone, review=False))
    assert audit.since is None and "fetch-depth: 0" in audit.range_note
    with pytest.raises(RepositoryError, match="shallow"):
        run_audit(AuditOptions(path=clone, since="v1.0", review=False))
