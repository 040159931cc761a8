"""Each manifest and lock-file parser, and version comparison, on small real-world shapes."""

from __future__ import annotations

import json

import pytest

from repoagent.audit.dependencies import classify, compare_dependencies
from repoagent.audit.manifests import parser_for, read_dependencies


def _changes(
    path: str, old: str | None, new: str | None
) -> set[tuple[str, str, str, str | None, str | None]]:
    found = parser_for(path)
    assert found is not None
    return {
        (d.group, d.name, d.change, d.old, d.new)
        for d in compare_dependencies(path, found[0], old, new)
    }


def test_poetry_tables_and_groups() -> None:
    old = '[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "^2.28"\n[tool.poetry.group.dev.dependencies]\npytest = "^7"\n'
    new = '[tool.poetry.dependencies]\npython = "^3.12"\nrequests = {version = "^2.32", extras = ["socks"]}\n[tool.poetry.group.dev.dependencies]\npytest = "^8"\nruff = "*"\n'
    assert _changes("pyproject.toml", old, new) == {
        ("runtime", "requests", "upgraded", "^2.28", "^2.32"),
        ("group:dev", "pytest", "upgraded", "^7", "^8"),
        ("group:dev", "ruff", "added", None, "*"),
    }


def test_pep735_groups_and_extras_markers() -> None:
    old = '[project]\ndependencies = ["Django>=4.2; python_version>=\'3.10\'"]\n[dependency-groups]\ntest = ["pytest>=8"]\n'
    new = '[project]\ndependencies = ["django>=5.0"]\n[dependency-groups]\ntest = ["pytest>=8", {include-group = "lint"}]\n'
    assert _changes("pyproject.toml", old, new) == {
        ("runtime", "django", "upgraded", ">=4.2", ">=5.0")
    }


def test_requirements_skip_options_and_includes() -> None:
    old = "-r base.txt\n--index-url https://example.invalid/simple\nnumpy==1.26.4\n-e .\n"
    new = "-r base.txt\nnumpy==2.0.0 ; python_version >= '3.10'\ngit+https://example.invalid/x.git\nscipy\n"
    assert _changes("requirements/dev.txt", old, new) == {
        ("dev", "numpy", "upgraded", "==1.26.4", "==2.0.0"),  # the file's name says dev
        ("dev", "scipy", "added", None, "*"),
    }


def test_cargo_toml_and_lock() -> None:
    old = '[dependencies]\nserde = "1.0"\nrand = { version = "0.8", features = ["small_rng"] }\n[target.\'cfg(unix)\'.dependencies]\nlibc = "0.2"\n'
    new = '[dependencies]\nserde = "1.0"\nrand = { version = "0.9" }\n[dev-dependencies]\nproptest = "1"\n'
    assert _changes("Cargo.toml", old, new) == {
        ("runtime", "rand", "upgraded", "0.8", "0.9"),
        ("runtime", "libc", "removed", "0.2", None),
        ("dev", "proptest", "added", None, "1"),
    }
    lock_old = '[[package]]\nname = "syn"\nversion = "1.0.109"\n\n[[package]]\nname = "syn"\nversion = "2.0.60"\n'
    lock_new = '[[package]]\nname = "syn"\nversion = "2.0.61"\n'
    assert _changes("Cargo.lock", lock_old, lock_new) == {
        ("lock", "syn", "upgraded", "1.0.109, 2.0.60", "2.0.61")
    }


def test_uv_lock_skips_the_project_itself() -> None:
    old = '[[package]]\nname = "demo"\nversion = "0.1.0"\nsource = { editable = "." }\n\n[[package]]\nname = "anyio"\nversion = "4.3.0"\n'
    new = '[[package]]\nname = "demo"\nversion = "0.2.0"\nsource = { editable = "." }\n\n[[package]]\nname = "anyio"\nversion = "4.2.0"\n'
    assert _changes("uv.lock", old, new) == {("lock", "anyio", "downgraded", "4.3.0", "4.2.0")}


def test_package_lock_v3_and_v1() -> None:
    v3_old = {
        "lockfileVersion": 3,
        "packages": {"": {"name": "app"}, "node_modules/lodash": {"version": "4.17.20"}},
    }
    v3_new = {
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app"},
            "node_modules/lodash": {"version": "4.17.21"},
            "node_modules/a/node_modules/ms": {"version": "2.1.3"},
        },
    }
    assert _changes("package-lock.json", json.dumps(v3_old), json.dumps(v3_new)) == {
        ("lock", "lodash", "upgraded", "4.17.20", "4.17.21"),
        ("lock", "ms", "added", None, "2.1.3"),
    }
    v1 = {"lockfileVersion": 1, "dependencies": {"left-pad": {"version": "1.3.0"}}}
    assert read_dependencies("package-lock.json", json.dumps(v1)) == {("lock", "left-pad"): "1.3.0"}


def test_go_mod_and_go_sum() -> None:
    old = "module m\n\nrequire github.com/pkg/errors v0.9.1\n"
    new = "module m\n\nrequire (\n\tgithub.com/pkg/errors v0.8.0\n\tgolang.org/x/sys v0.20.0 // indirect\n)\n"
    assert _changes("go.mod", old, new) == {
        ("runtime", "github.com/pkg/errors", "downgraded", "v0.9.1", "v0.8.0"),
        ("indirect", "golang.org/x/sys", "added", None, "v0.20.0"),
    }
    go_sum = "github.com/pkg/errors v0.9.1 h1:abc=\ngithub.com/pkg/errors v0.9.1/go.mod h1:def=\n"
    assert read_dependencies("go.sum", go_sum) == {("lock", "github.com/pkg/errors"): "v0.9.1"}


def test_broken_files_and_vendored_manifests_yield_nothing() -> None:
    assert read_dependencies("package.json", "{not json") == {}
    assert read_dependencies("Cargo.toml", "[dependencies\n") == {}
    assert parser_for("node_modules/x/package.json") is None
    assert parser_for("src/main.py") is None


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (">=1.2,<2", ">=1.10", "upgraded"),
        ("^2.0.0", "^1.9.9", "downgraded"),
        ("*", ">=1", "changed"),
        ("1.0.0-beta.1", "1.0.0", "upgraded"),
    ],
)
def test_version_comparison(old: str, new: str, kind: str) -> None:
    assert classify(old, new) == kind
