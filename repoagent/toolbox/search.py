"""The ``grep`` tool: ``git grep`` over the snapshot, results as ``path:line: text``."""

from __future__ import annotations

import signal
import subprocess
import threading
from collections import Counter
from functools import cache
from pathlib import Path

from repoagent.errors import ToolError
from repoagent.toolbox.capping import clip_line
from repoagent.toolbox.gitcmd import git_env
from repoagent.toolbox.paths import check_glob, glob_regex
from repoagent.toolbox.redact import is_secret_path, redact_text
from repoagent.toolbox.snapshot import Snapshot

DEFAULT_RESULTS = 50
MAX_RESULTS = 200
_TIMEOUT_SECONDS = 30
_SCAN_LIMIT = 5_000
"""Stop reading git's output after this many matches; the count is then reported as a floor."""


@cache
def _has_pcre() -> bool:
    proc = subprocess.run(
        ["git", "grep", "--no-index", "-P", "-q", "x", "--", "/dev/null"],
        capture_output=True,
        env=git_env(),
    )
    return b"not compiled" not in proc.stderr and b"not supported" not in proc.stderr


def glob_pathspecs(pattern: str) -> list[str]:
    """Translate a repository glob to git ``:(glob)`` pathspecs with the same meaning as list_files."""
    pat = pattern.strip().lstrip("./").rstrip("/") if pattern.strip() not in ("", ".") else "**"
    if pat in ("", "**"):
        return []
    if "/" not in pat and "**" not in pat:
        pat = "**/" + pat
    return [f":(glob){pat}", f":(glob){pat}/**"]


def grep(
    snapshot: Snapshot,
    pattern: object,
    path: object = None,
    *,
    fixed_string: bool = False,
    ignore_case: bool = False,
    max_results: int = DEFAULT_RESULTS,
) -> str:
    """Search the snapshot; return ``path:line: text`` lines, capped, or advice to narrow."""
    if not isinstance(pattern, str) or not pattern:
        raise ToolError("pattern must be a non-empty string")
    limit = max(1, min(int(max_results), MAX_RESULTS))
    glob = check_glob(path) if path not in (None, "") else "**"
    args = ["grep", "-n", "-I", "-z", "--no-color", "--full-name"]
    mode = len(args)
    args.append("-F" if fixed_string else ("-P" if _has_pcre() else "-E"))
    if ignore_case:
        args.append("-i")
    args += ["-e", pattern]
    where_root = snapshot.root
    prefix = ""
    if not snapshot.is_worktree:
        if snapshot.commit is None:
            return "the repository has no commits; nothing to search"
        checkout = snapshot.checkout(wait=False)
        if checkout is not None:
            where_root = checkout  # same files as the commit, read without inflating blobs
        else:
            args.append(snapshot.commit)
            prefix = f"{snapshot.commit}:"
    hits, complete, error = _scan(where_root, [*args, "--", *glob_pathspecs(glob)], prefix)
    note = ""
    if error is not None and not fixed_string and "longer than" not in error:
        # Models grep for code such as `open(` or `items[0]`: an invalid regular expression is
        # searched as fixed text instead of failing the call.
        args[mode], fixed_string = "-F", True
        hits, complete, retry_error = _scan(
            where_root, [*args, "--", *glob_pathspecs(glob)], prefix
        )
        if retry_error is None:
            note = f"(not a valid regular expression ({error}); searched as fixed text)\n"
            error = None
    if error is None and complete and snapshot.is_worktree:
        # Untracked files: named explicitly (symlinks excluded) instead of `--untracked`,
        # which walks every directory again on each call.
        regex = glob_regex(glob)
        extra = [p for p in snapshot.untracked_files() if regex.match(p)]
        for start in range(0, len(extra), 200):
            chunk = [f":(literal){p}" for p in extra[start : start + 200]]
            more, complete, error = _scan(where_root, [*args, "--untracked", "--", *chunk], "")
            hits = sorted({*hits, *more})
            if error is not None or not complete:
                break
    if error is not None:
        raise ToolError(f"grep: {error}")
    total = len(hits)
    where = f" in files matching {glob!r}" if glob != "**" else ""
    if total == 0:
        kind = "text" if fixed_string else "pattern"
        return f"{note}no matches for {kind} {pattern!r}{where} ({snapshot.label})"
    lines = [f"{p}:{n}: {clip_line(_shown(p, t), 300)}" for p, n, t in hits[:limit]]
    if total > limit:
        count = f"{total}" if complete else f"more than {total}"
        per_file = Counter(p for p, _, _ in hits).most_common(8)
        lines.append(
            f"[{count} matches{where}; showing the first {limit}. Narrow the pattern or pass a "
            f"path glob. Most matches in: " + ", ".join(f"{p} ({n})" for p, n in per_file) + "]"
        )
    return note + "\n".join(lines)


def _shown(path: str, text: str) -> str:
    """A matching line as the model may see it: secret values redacted, secret files hidden."""
    if is_secret_path(path):
        return "[line of a secret file; not shown]"
    return redact_text(path, text)


def _scan(
    root: Path, args: list[str], prefix: str
) -> tuple[list[tuple[str, int, str]], bool, str | None]:
    cmd = [
        "git",
        "-C",
        str(root),
        "--no-optional-locks",
        "-c",
        "core.quotepath=off",
        *args,
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=git_env()
    )
    hits: list[tuple[str, int, str]] = []
    complete = True
    assert proc.stdout is not None and proc.stderr is not None
    # A pathological regular expression must not hang the run.
    watchdog = threading.Timer(_TIMEOUT_SECONDS, proc.kill)
    watchdog.start()
    for raw in proc.stdout:
        name, _, rest = raw.partition(b"\0")
        number, _, text = rest.partition(b"\0")
        path = name.decode("utf-8", "surrogateescape")
        if prefix and path.startswith(prefix):
            path = path[len(prefix) :]
        try:
            line_no = int(number)
        except ValueError:
            continue
        hits.append((path, line_no, text.decode("utf-8", "replace").rstrip("\r\n")))
        if len(hits) >= _SCAN_LIMIT:
            complete = False
            proc.kill()
            break
    stderr = proc.stderr.read().decode("utf-8", "replace").strip()
    proc.stdout.close()
    proc.stderr.close()
    code = proc.wait()
    watchdog.cancel()
    if code == -signal.SIGKILL and complete:
        return [], True, f"the search took longer than {_TIMEOUT_SECONDS}s; simplify the pattern"
    if complete and code not in (0, 1):
        return [], True, stderr.splitlines()[-1] if stderr else f"git grep exited {code}"
    return hits, complete, None
