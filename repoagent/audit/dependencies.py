"""Dependency changes between two revisions: added, removed, upgraded, downgraded, changed."""

from __future__ import annotations

import re
from typing import Literal

import git
from packaging.version import InvalidVersion, Version
from pydantic import BaseModel

from repoagent.audit.history import AuditRange, FileChange, read_texts
from repoagent.audit.manifests import parser_for, read_dependencies

ChangeKind = Literal["added", "removed", "upgraded", "downgraded", "changed"]

_VERSION_IN_SPEC = re.compile(r"v?(\d+(?:\.\d+)*(?:[-.+]?[0-9A-Za-z.+-]*)?)")


class DependencyChange(BaseModel):
    """One dependency whose declaration or locked version differs between the revisions."""

    file: str
    ecosystem: str
    group: str
    """``runtime``, ``dev``, ``extra:NAME``, ``group:NAME``, ``lock``, …"""
    name: str
    change: ChangeKind
    old: str | None = None
    new: str | None = None


def _parse(text: str) -> Version | None:
    for candidate in (text, re.match(r"\d+(?:\.\d+)*", text).group(0)):  # type: ignore[union-attr]
        try:
            return Version(candidate)
        except InvalidVersion:
            continue
    return None


def version_of(spec: str) -> Version | None:
    """The version a spec pins or starts from (``>=1.2,<2`` → 1.2; lock set ``1.0, 2.0`` → 2.0)."""
    versions = [v for m in _VERSION_IN_SPEC.finditer(spec) if (v := _parse(m.group(1)))]
    if not versions:
        return None
    if not re.search(r"[<>~^=!*]", spec):
        return max(versions)  # a set of locked versions: the newest one counts
    return versions[0]


def classify(old: str, new: str) -> ChangeKind:
    """Compare two version specs: upgraded, downgraded, or just changed."""
    before, after = version_of(old), version_of(new)
    if before is None or after is None or before == after:
        return "changed"
    return "upgraded" if after > before else "downgraded"


def compare_dependencies(
    path: str, ecosystem: str, old_text: str | None, new_text: str | None
) -> list[DependencyChange]:
    """Changes between two versions of one dependency file."""
    before = read_dependencies(path, old_text)
    after = read_dependencies(path, new_text)
    changes = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], k[1].lower())):
        group, name = key
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if old is None:
            kind: ChangeKind = "added"
        elif new is None:
            kind = "removed"
        else:
            kind = classify(old, new)
        changes.append(
            DependencyChange(
                file=path,
                ecosystem=ecosystem,
                group=group,
                name=name,
                change=kind,
                old=old,
                new=new,
            )
        )
    return changes


def dependency_changes(
    repo: git.Repo, rng: AuditRange, files: list[FileChange]
) -> list[DependencyChange]:
    """Dependency changes in every manifest or lock file touched by the range."""
    manifests = [
        (change, found)
        for change in files
        if (found := parser_for(change.path) or parser_for(change.old_path or change.path))
    ]
    before = read_texts(
        repo, rng.base, [c.old_path or c.path for c, _ in manifests if c.status != "A"]
    )
    after = read_texts(repo, rng.rev, [c.path for c, _ in manifests if c.status != "D"])
    changes: list[DependencyChange] = []
    for change, (ecosystem, _parser) in manifests:
        old_text = before.get(change.old_path or change.path) if change.status != "A" else None
        new_text = after.get(change.path) if change.status != "D" else None
        changes.extend(compare_dependencies(change.path, ecosystem, old_text, new_text))
    return changes
