"""Read the dependencies a manifest or lock file declares.

Each parser maps file text to ``{(group, name): version}``; ``group`` says which table the
dependency came from (``runtime``, ``dev``, an extra's name, ``lock``). A file that does not
parse yields nothing rather than an error: an audit reports what it can read.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

Dependencies = dict[tuple[str, str], str]


def _pep508(entries: Any, group: str, out: Dependencies) -> None:
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, str):
            continue
        try:
            req = Requirement(entry)
        except InvalidRequirement:
            continue
        out[(group, canonicalize_name(req.name))] = str(req.specifier) or "*"


def _table_versions(table: Any, group: str, out: Dependencies, skip: frozenset[str]) -> None:
    """Poetry / Cargo style tables: ``name = "1.2"`` or ``name = {version = "1.2", ...}``."""
    if not isinstance(table, dict):
        return
    for name, spec in table.items():
        if name in skip:
            continue
        if isinstance(spec, dict):
            version = spec.get("version") or spec.get("git") or spec.get("path") or "*"
            if spec.get("workspace") is True:
                version = "workspace"
        elif isinstance(spec, list):  # poetry multiple-constraints form
            version = " | ".join(str(s.get("version", "*")) for s in spec if isinstance(s, dict))
        else:
            version = str(spec)
        out[(group, str(name))] = str(version)


def parse_pyproject(text: str) -> Dependencies:
    """PEP 621 ``[project]`` dependencies and extras, PEP 735 groups, Poetry tables."""
    data = tomllib.loads(text)
    out: Dependencies = {}
    project = data.get("project", {})
    _pep508(project.get("dependencies"), "runtime", out)
    for extra, entries in (project.get("optional-dependencies") or {}).items():
        _pep508(entries, f"extra:{extra}", out)
    for group, entries in (data.get("dependency-groups") or {}).items():
        _pep508([e for e in entries if isinstance(e, str)], f"group:{group}", out)
    poetry = data.get("tool", {}).get("poetry", {})
    skip = frozenset({"python"})
    _table_versions(poetry.get("dependencies"), "runtime", out, skip)
    _table_versions(poetry.get("dev-dependencies"), "dev", out, skip)
    for group, table in (poetry.get("group") or {}).items():
        if isinstance(table, dict):
            _table_versions(table.get("dependencies"), f"group:{group}", out, skip)
    return out


#: Names that mark a requirements file, extra or group as development-only.
DEV_NAMES = frozenset(
    {"dev", "develop", "development", "test", "tests", "testing", "docs", "doc", "lint"}
    | {"typing", "types", "mypy", "build", "ci", "bench", "benchmark", "benchmarks", "style"}
)
_RUNTIME_NAMES = frozenset({"", "base", "main", "prod", "production", "runtime", "install"})


def requirements_group(path: str) -> str:
    """The group a requirements file's name gives: ``requirements/dev.txt``,
    ``requirements-dev.txt`` and ``dev-requirements.txt`` are ``dev``; ``requirements.txt`` is
    ``runtime``; any other name (``requirements/tests.txt``) is that name."""
    stem = PurePosixPath(path).stem.lower()
    name = re.sub(r"[-_.]*requirements?[-_.]*", "", stem).strip("-_.")
    if name in _RUNTIME_NAMES:
        return "runtime"
    return "dev" if name in {"develop", "development"} else name


def is_development_group(group: str) -> bool:
    """Whether a dependency group is for development only (not shipped to users)."""
    if group in {"lock", "runtime", "indirect", "peer", "optional"}:
        return False
    words = re.split(r"[-_.]", group.split(":", 1)[-1].lower())
    return group.startswith("group:") or any(w in DEV_NAMES for w in words)


def parse_requirements(text: str, group: str = "runtime") -> Dependencies:
    """pip requirements files (``-r``, ``-e``, options and URLs are skipped)."""
    out: Dependencies = {}
    for raw in text.splitlines():
        line = re.split(r"\s+#", raw.strip(), maxsplit=1)[0].strip()
        if not line or line.startswith(("#", "-")) or "://" in line.split(";")[0]:
            continue
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        out[(group, canonicalize_name(req.name))] = str(req.specifier) or "*"
    return out


def parse_package_json(text: str) -> Dependencies:
    """npm ``dependencies``, ``devDependencies``, ``peerDependencies``, ``optionalDependencies``."""
    data = json.loads(text)
    out: Dependencies = {}
    groups = {
        "dependencies": "runtime",
        "devDependencies": "dev",
        "peerDependencies": "peer",
        "optionalDependencies": "optional",
    }
    for key, group in groups.items():
        table = data.get(key) if isinstance(data, dict) else None
        if isinstance(table, dict):
            out.update({(group, str(n)): str(v) for n, v in table.items()})
    return out


def parse_go_mod(text: str) -> Dependencies:
    """``require`` directives, single-line and block form (``// indirect`` kept apart)."""
    out: Dependencies = {}
    in_block = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("require ("):
            in_block = True
            continue
        if in_block and line.startswith(")"):
            in_block = False
            continue
        if line.startswith("require "):
            line = line[len("require ") :].strip()
        elif not in_block:
            continue
        group = "indirect" if "// indirect" in line else "runtime"
        fields = line.split("//")[0].split()
        if len(fields) >= 2:
            out[(group, fields[0])] = fields[1]
    return out


def parse_cargo_toml(text: str) -> Dependencies:
    """``[dependencies]``, dev, build, workspace and target-specific tables."""
    data = tomllib.loads(text)
    out: Dependencies = {}
    none: frozenset[str] = frozenset()
    for key, group in (
        ("dependencies", "runtime"),
        ("dev-dependencies", "dev"),
        ("build-dependencies", "build"),
    ):
        _table_versions(data.get(key), group, out, none)
        for target in (data.get("target") or {}).values():
            if isinstance(target, dict):
                _table_versions(target.get(key), group, out, none)
    _table_versions((data.get("workspace") or {}).get("dependencies"), "workspace", out, none)
    return out


def _join_versions(versions: dict[str, set[str]]) -> Dependencies:
    return {("lock", n): ", ".join(sorted(v)) for n, v in versions.items()}


def parse_toml_lock(text: str) -> Dependencies:
    """``[[package]]`` lists of poetry.lock, uv.lock and Cargo.lock (locked versions)."""
    data = tomllib.loads(text)
    versions: dict[str, set[str]] = {}
    for package in data.get("package", []):
        if not isinstance(package, dict) or "name" not in package:
            continue
        source = package.get("source")
        if isinstance(source, dict) and ({"editable", "virtual"} & source.keys()):
            continue  # the project itself, in uv.lock
        versions.setdefault(str(package["name"]), set()).add(str(package.get("version", "?")))
    return _join_versions(versions)


def parse_package_lock(text: str) -> Dependencies:
    """npm ``package-lock.json`` (lockfile v1, v2 and v3)."""
    data = json.loads(text)
    versions: dict[str, set[str]] = {}
    packages = data.get("packages") if isinstance(data, dict) else None
    if isinstance(packages, dict):
        for key, info in packages.items():
            if key and "node_modules/" in key and isinstance(info, dict) and "version" in info:
                name = key.rsplit("node_modules/", 1)[1]
                versions.setdefault(name, set()).add(str(info["version"]))
    elif isinstance(data, dict) and isinstance(data.get("dependencies"), dict):
        for name, info in data["dependencies"].items():
            if isinstance(info, dict) and "version" in info:
                versions.setdefault(name, set()).add(str(info["version"]))
    return _join_versions(versions)


def parse_go_sum(text: str) -> Dependencies:
    """``go.sum`` module versions (the ``/go.mod``-only lines are skipped)."""
    versions: dict[str, set[str]] = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 3 and not fields[1].endswith("/go.mod"):
            versions.setdefault(fields[0], set()).add(fields[1])
    return _join_versions(versions)


Parser = Callable[[str], Dependencies]

#: file name -> (ecosystem, parser); requirements*.txt is matched by pattern.
PARSERS: dict[str, tuple[str, Parser]] = {
    "pyproject.toml": ("python", parse_pyproject),
    "package.json": ("npm", parse_package_json),
    "go.mod": ("go", parse_go_mod),
    "Cargo.toml": ("cargo", parse_cargo_toml),
    "poetry.lock": ("python", parse_toml_lock),
    "uv.lock": ("python", parse_toml_lock),
    "Cargo.lock": ("cargo", parse_toml_lock),
    "package-lock.json": ("npm", parse_package_lock),
    "go.sum": ("go", parse_go_sum),
}


def parser_for(path: str) -> tuple[str, Parser] | None:
    """The (ecosystem, parser) for a dependency file, or None for any other file."""
    p = PurePosixPath(path)
    if "node_modules" in p.parts or "vendor" in p.parts:
        return None
    if re.fullmatch(r"requirements.*\.(txt|in)", p.name) or (
        p.suffix in {".txt", ".in"} and "requirements" in p.parts[:-1]
    ):
        group = requirements_group(path)
        return ("python", lambda text: parse_requirements(text, group))
    return PARSERS.get(p.name)


def read_dependencies(path: str, text: str | None) -> Dependencies:
    """Dependencies declared by ``path`` with content ``text`` (empty when absent or unreadable)."""
    found = parser_for(path)
    if found is None or text is None:
        return {}
    try:
        return found[1](text)
    except (ValueError, tomllib.TOMLDecodeError, AttributeError, TypeError):
        return {}
