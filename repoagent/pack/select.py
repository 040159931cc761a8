"""Which files to pack, and why the others are left out.

Selection starts from git's own file list (tracked files at a revision, or the work tree's
tracked + untracked-not-ignored files, so git does the ignore matching). Path rules run before
any file is read; content rules (NUL sniff, UTF-8, minified, generated markers) after.
"""

from __future__ import annotations

import posixpath
import re
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from repoagent.errors import PackError
from repoagent.pack.attributes import GitAttributes
from repoagent.pack.filekinds import (
    BINARY_EXTENSIONS,
    BUNDLE_HEAD_CHARS,
    BUNDLE_MARKER,
    BUNDLE_MIN_CHARS,
    DATA_EXTENSIONS,
    ENV_TEMPLATES,
    GENERATED_NAME,
    LOCKFILES,
    MINIFIED_NAME,
    SECRET_EXTENSIONS,
    SECRET_NAMES,
    VENDOR_DIRS,
    is_generated_header,
)
from repoagent.repo import SUBMODULE_MODE, SYMLINK_MODE, FileEntry

if TYPE_CHECKING:
    import pathspec

#: Files over this size are left out as ``too-large`` (bring them back with --include).
MAX_TEXT_BYTES = 1_000_000
#: Data and asset formats are left out from this size: a 500 KB SVG is not code.
MAX_DATA_BYTES = 100_000
#: Scripts and stylesheets are checked for minification from this size (other text from 5,000
#: characters: a short note may be one long line): preact ships 1.6-3.6 KB one-line
#: ``dist/*.mjs`` files that went in full.
MIN_MINIFIED_SCRIPT = 1_000
SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".css")


def compile_globs(
    globs: Sequence[str], source: str = ".repoagentignore"
) -> pathspec.PathSpec | None:
    """Compile gitignore-style globs into one matcher (``None`` when there are none).

    An invalid line (``!``, a trailing backslash) is skipped with a warning naming ``source``,
    as git skips it in an ignore file; ``--include``/``--exclude`` globs are checked earlier,
    by :func:`check_globs`, so the user hears about a bad one as an error.
    """
    lines = [g for g in globs if g.strip()]
    if not lines:
        return None
    import pathspec  # only when there are globs: ~13 ms of start-up otherwise

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except ValueError:  # pathspec's pattern errors are ValueErrors
        pass
    valid = []
    for number, line in enumerate(globs, 1):
        if not line.strip():
            continue
        if _glob_problem(line) is None:
            valid.append(line)
        else:
            warnings.warn(
                f"{source} line {number}: skipped the invalid pattern '{line}' (git skips it too)",
                RuntimeWarning,
                stacklevel=2,
            )
    return pathspec.GitIgnoreSpec.from_lines(valid) if valid else None


def check_globs(globs: Sequence[str], option: str) -> None:
    """Raise PackError naming the first glob of ``option`` (``--exclude``) git would not accept."""
    for glob in globs:
        if glob.strip() and (problem := _glob_problem(glob)) is not None:
            raise PackError(f"invalid {option} glob '{glob}': {problem}")


def _glob_problem(glob: str) -> str | None:
    """Why ``glob`` is not a valid gitignore pattern, or ``None`` when it is."""
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([glob])
    except ValueError:
        if glob.rstrip() == "!":
            return "a lone '!' negates nothing (write \\! for a file named '!')"
        if (len(glob) - len(glob.rstrip("\\"))) % 2:
            return "it ends with a lone backslash (write \\\\ for a backslash)"
        return "not a gitignore-style pattern"
    return None


def path_reason(
    entry: FileEntry,
    attributes: GitAttributes,
    exclude: pathspec.PathSpec | None,
    ignore: pathspec.PathSpec | None,
) -> str | None:
    """The reason to leave ``entry`` out judging by its path, mode, size and attributes."""
    path = entry.path
    name = posixpath.basename(path)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name.lstrip(".") else ""
    if entry.mode == SUBMODULE_MODE:
        return "submodule"
    if exclude is not None and exclude.match_file(path):
        return "excluded-by-glob"
    if ignore is not None and ignore.match_file(path):
        return "ignored-by-repoagentignore"
    if _is_secret_file(name, ext):
        return "secret-file"
    attrs = attributes.lookup(path)
    if attrs.get("binary") or attrs.get("diff") is False:
        return "binary"
    if ext in BINARY_EXTENSIONS and entry.mode != SYMLINK_MODE:
        return "binary"
    if name in LOCKFILES or ext == "lock":
        return "lockfile"
    if attrs.get("linguist-generated") or (
        (GENERATED_NAME.search(name) or _in_build_metadata(path))
        and attrs.get("linguist-generated") is not False
    ):
        return "generated"
    vendored = attrs.get("linguist-vendored")
    if vendored or (vendored is None and VENDOR_DIRS.intersection(path.split("/")[:-1])):
        return "vendored"
    if MINIFIED_NAME.search(name):
        return "minified"
    if entry.size > MAX_TEXT_BYTES or (ext in DATA_EXTENSIONS and entry.size > MAX_DATA_BYTES):
        return "too-large"
    return None


def _in_build_metadata(path: str) -> bool:
    """Inside a ``*.egg-info`` directory, which setuptools writes (msgpack's sdist:
    PKG-INFO, SOURCES.txt, top_level.txt again under msgpack.egg-info/)."""
    return ".egg-info/" in path and any(d.endswith(".egg-info") for d in path.split("/")[:-1])


def is_secret_file(path: str) -> bool:
    """True for ``.env*``, private keys and credential files (left out with ``secret-file``)."""
    name = posixpath.basename(path)
    return _is_secret_file(name, name.rsplit(".", 1)[-1].lower() if "." in name.lstrip(".") else "")


def _is_secret_file(name: str, ext: str) -> bool:
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return name.rsplit(".", 1)[-1].lower() not in ENV_TEMPLATES
    if name in SECRET_NAMES or ext in SECRET_EXTENSIONS:
        return True
    return bool(re.match(r"id_(rsa|dsa|ecdsa|ed25519)(_[\w-]+)?$", name))


def content_reason(path: str, data: bytes, attributes: GitAttributes) -> tuple[str | None, str]:
    """The reason to leave a file out judging by its bytes (``None``: keep it), and its text
    (decoded once here: UTF-8, undecodable bytes replaced)."""
    if b"\0" in data[:8000]:
        return "binary", ""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not-utf8", data.decode("utf-8", "replace")
    if attributes.lookup(path).get("linguist-generated") is False:
        return None, text
    if is_generated_header(text[:2000]) or _looks_bundled(path, text):
        return "generated", text
    if len(text) > (MIN_MINIFIED_SCRIPT if path.endswith(SCRIPT_SUFFIXES) else 5000) and (
        _looks_minified(text)
    ):
        return "minified", text
    return None, text


def _looks_bundled(path: str, text: str) -> bool:
    """A large JavaScript file that opens with a bundler's runtime or a transpiler's helpers
    (readable, so not minified, but written by a tool and a copy of the sources)."""
    return (
        len(text) >= BUNDLE_MIN_CHARS
        and path.endswith((".js", ".cjs", ".mjs"))
        and BUNDLE_MARKER.search(text, 0, BUNDLE_HEAD_CHARS) is not None
    )


def _looks_minified(text: str) -> bool:
    """Lines of 500 characters on average, one of the first 50 over 1,000. The first 50 are
    looked at first: most files have no long line there, and are not counted whole."""
    start, size = 0, len(text)
    for _ in range(50):
        end = text.find("\n", start)
        end = size if end == -1 else end
        if end - start > 1000:
            return size / (text.count("\n") + 1) > 500
        if end == size:
            return False
        start = end + 1
    return False


def symlink_target(entry: FileEntry, target: str) -> str | None:
    """The repository path a symlink points at, or ``None`` when it leaves the repository."""
    if posixpath.isabs(target):
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(entry.path), target))
    if resolved == ".." or resolved.startswith("../") or resolved == ".":
        return None
    return resolved
