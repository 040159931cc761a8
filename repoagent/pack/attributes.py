"""``.gitattributes`` read from the packed revision (git 2.39 has no ``check-attr --source``).

Only the attributes the packer acts on are kept: ``linguist-generated``, ``linguist-vendored``,
``binary`` and ``diff`` (``-diff`` marks a file git will not show as text).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

WATCHED = ("linguist-generated", "linguist-vendored", "binary", "diff", "text")


@dataclass(frozen=True)
class _Rule:
    directory: str
    regex: re.Pattern[str]
    values: tuple[tuple[str, bool], ...]


class GitAttributes:
    """Attribute rules from every ``.gitattributes`` file, applied in git's precedence order."""

    def __init__(self, files: dict[str, str]) -> None:
        # Deeper files override shallower ones; within a file, later lines win.
        self._rules: list[_Rule] = []
        for path in sorted(files, key=lambda p: (p.count("/"), p)):
            directory = posixpath.dirname(path)
            for line in files[path].splitlines():
                rule = _parse_line(directory, line)
                if rule is not None:
                    self._rules.append(rule)

    def lookup(self, path: str) -> dict[str, bool]:
        """Return the watched attributes that are set (True) or unset (False) for ``path``."""
        found: dict[str, bool] = {}
        for rule in self._rules:
            if rule.directory:
                if not path.startswith(rule.directory + "/"):
                    continue
                relative = path[len(rule.directory) + 1 :]
            else:
                relative = path
            if rule.regex.match(relative):
                found.update(rule.values)
        return found


def _parse_line(directory: str, line: str) -> _Rule | None:
    parts = line.strip().split()
    if not parts or parts[0].startswith("#") or parts[0].startswith("["):
        return None
    pattern, attrs = parts[0], parts[1:]
    values: list[tuple[str, bool]] = []
    for attr in attrs:
        if attr.startswith(("-", "!")):
            name, value = attr[1:], False
        elif "=" in attr:
            name, raw = attr.split("=", 1)
            value = raw.lower() not in ("false", "0", "no", "off")
        else:
            name, value = attr, True
        if name in WATCHED:
            values.append((name, value))
    if not values:
        return None
    if "/" not in pattern.rstrip("/"):
        pattern = "**/" + pattern  # a bare name matches at any depth, like in .gitignore
    # Imported here: a repository without .gitattributes never loads pathspec.
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    regex, _include = GitIgnoreSpecPattern.pattern_to_regex(pattern)
    if regex is None:
        return None
    return _Rule(directory, re.compile(regex), tuple(values))
