"""``repoagent pack PATH``: the packer alone, offline; the document on stdout or ``-o FILE``."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from repoagent.errors import PackError

if TYPE_CHECKING:
    from repoagent.repo import GitRepository

#: Tokens kept free for the instructions and the answer when the budget comes from the scout role.
PROMPT_RESERVE = 6000


def read_query(value: str | None) -> str | None:
    """``--query`` as given, or the text of ``@FILE`` (``@-``: standard input)."""
    if value is None or not value.startswith("@"):
        return value
    if value == "@-":
        try:
            return sys.stdin.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise PackError(f"cannot read --query from standard input: {exc}") from None
    path = Path(value[1:]).expanduser()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"cannot read --query file {path}: {exc}") from None


def default_budget(path: str) -> int | None:
    """The scout role's context window minus room for instructions and answer, if configured."""
    from repoagent.config import load_settings
    from repoagent.repo import GitRepository

    settings = load_settings(GitRepository(path).root, {})
    window = settings.scout.context_window
    if not window:
        return None
    return max(1000, int(window) - int(settings.scout.max_output_tokens) - PROMPT_RESERVE)


@click.command("pack")
@click.argument("path", default=".", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--rev", default="HEAD", show_default=True, help="Revision to pack (read from git).")
@click.option("--worktree", is_flag=True, help="Pack the work tree (uncommitted + untracked).")
@click.option("--include", multiple=True, metavar="GLOB", help="Bring back matching files.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out matching files.")
@click.option(
    "--budget", metavar="N",
    help="Max tokens (200000, 128k, 1m, none). Default: the scout context window minus room "
    "for instructions and answer; unlimited when no window is configured.",
)  # fmt: skip
@click.option("--focus", multiple=True, metavar="PATH", help="Files or directories first.")
@click.option(
    "--base", metavar="REV", help="Put files changed since merge-base(REV) first; add the diff."
)
@click.option(
    "--query", metavar="TEXT|@FILE", help="Task or question, placed last (@- reads stdin)."
)
@click.option(
    "--format", "-f", "fmt", default="xml", show_default=True,
    type=click.Choice(["xml", "markdown", "json", "plain"]),
)  # fmt: skip
@click.option("--line-numbers", is_flag=True, help="Prefix lines with their number.")
@click.option(
    "--tokenizer", default="llama4", show_default=True, help="llama4, o200k, cl100k or a rank file."
)
@click.option(
    "--ranking", default="graph", show_default=True, type=click.Choice(["graph", "simple"]),
    help="How files are ranked when not all fit: code graph, or role/recency only (faster).",
)  # fmt: skip
@click.option("--no-redact", is_flag=True, help="Do NOT replace secrets (they go to the output).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write here, not stdout.")
@click.option("--stats", is_flag=True, help="Print a table of what was packed to stderr.")
def pack(
    path: str,
    rev: str,
    worktree: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    budget: str | None,
    focus: tuple[str, ...],
    base: str | None,
    query: str | None,
    fmt: str,
    line_numbers: bool,
    tokenizer: str,
    ranking: str,
    no_redact: bool,
    output: str | None,
    stats: bool,
) -> None:
    """Pack the repository at PATH into one token-budgeted document (a PATH below the
    repository root: only the files under it).

    Files are selected as git sees them (tracked at --rev, or the work tree), counted exactly
    with the Llama 4 tokenizer, ranked, and fitted to the budget: each file is shown in full, as
    an outline, or only listed. Left-out files appear in the manifest with their reason:
    binary, lockfile, generated, vendored, minified, too-large, excluded-by-glob,
    ignored-by-repoagentignore, secret-file, submodule, symlink-outside, unreadable, not-utf8
    (and budget for files only listed). --include GLOB brings any of them back.
    """
    from repoagent.pack import PackOptions, pack_repository, parse_budget

    if not Path(path).exists():
        raise PackError(f"path does not exist: {path}")
    for flag, value in (("--rev", rev), ("--base", base)):
        if value is not None and not value.strip():
            raise PackError(f"{flag} needs a revision (HEAD, a branch, a tag or a commit SHA)")
    if worktree and rev != "HEAD":
        raise PackError("--worktree packs the work tree; it cannot be combined with --rev")
    if no_redact:
        click.secho(
            "repoagent: WARNING: --no-redact: secrets found in files are NOT removed and will "
            "appear in the output",
            err=True,
            fg="red",
            bold=True,
        )
    from repoagent.repo import GitRepository

    repo = GitRepository(path)  # opened once: for PATH's place in it, then for the pack
    inside = path_in_repository(path, repo)
    if inside:
        what = f"{inside}/" if Path(path).is_dir() else f"the file {inside}"
        click.echo(
            f"repoagent: note: only {what} is packed (paths stay relative to the repository "
            "root; pass the root to pack all of it)",
            err=True,
        )
    limit = parse_budget(budget) if budget is not None else default_budget(path)
    if output and worktree:
        exclude = (*exclude, *_own_output(path, output))
    options = PackOptions(
        path=path,
        rev=rev,
        worktree=worktree,
        include=include,
        exclude=exclude,
        budget=limit,
        focus=focus,
        base=base,
        query=read_query(query),
        format=fmt,
        line_numbers=line_numbers,
        tokenizer=tokenizer,
        redact=not no_redact,
        ranking=ranking,
        within=inside,
    )
    with _Progress() as progress:
        result = pack_repository(options, progress=progress, repo=repo)
    if output:
        try:
            Path(output).expanduser().parent.mkdir(parents=True, exist_ok=True)
            with open(output, "w", encoding="utf-8", newline="") as stream:
                result.write(stream)
        except OSError as exc:
            raise PackError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        with reader_may_leave("the document"):
            result.write(sys.stdout)
            sys.stdout.flush()
    if not any(f.level for f in result.files):
        click.echo(f"repoagent: note: {nothing_packed(result.files)}", err=True)
    if stats:
        print_stats(result)


def nothing_packed(files: list[Any]) -> str:
    """Say that no file is in the document, and why the files were left out."""
    if not files:
        return "no file is in the document: there are no files to pack"
    reasons = Counter(f.reason for f in files)
    why = ", ".join(f"{reason} {n}" for reason, n in sorted(reasons.items(), key=_most_first))
    return (
        f"no file is in the document: all {len(files)} were left out ({why}); "
        "--include GLOB brings files back"
    )


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], str(item[0])


def path_in_repository(path: str | Path, repo: GitRepository | None = None) -> str | None:
    """PATH's place in its repository (``src/app``) when it is below the root, else None
    (``repo``: that repository, when the caller has it open)."""
    from repoagent.repo import GitRepository

    root = Path((repo or GitRepository(str(path))).root).resolve()
    try:
        inside = Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return None
    return None if inside in ("", ".") else inside


@contextmanager
def reader_may_leave(what: str = "the output") -> Iterator[None]:
    """Writing ``what`` to stdout: a reader that leaves early is not an error, a full disk is.

    ``repoagent pack . | head`` closes stdout early: exit 0, nothing on stderr (click would turn
    the broken pipe into exit code 1). Any other write error (``> /dev/full``) is a PackError,
    as it is for ``-o FILE``. Either way stdout is then pointed at the null device, so the
    interpreter's final flush of what is still buffered cannot fail again.
    """
    try:
        yield
    except BrokenPipeError:
        _discard_stdout()
    except OSError as exc:
        _discard_stdout()
        raise PackError(f"cannot write {what} to stdout: {exc.strerror or exc}") from None


def _discard_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # not a real file descriptor (tests): nothing to flush at exit
    finally:
        os.close(devnull)


def _own_output(path: str, output: str) -> tuple[str, ...]:
    """An exclude glob for ``-o FILE`` when it lies in the packed work tree (no pack of a pack)."""
    from repoagent.repo import GitRepository

    root = Path(GitRepository(path).root).resolve()
    target = Path(output).expanduser().resolve()
    try:
        relative = target.relative_to(root).as_posix()
    except ValueError:
        return ()
    # Anchored at the root (gitignore style), glob metacharacters escaped.
    return ("/" + "".join(f"\\{c}" if c in "*?[]\\!#" else c for c in relative),)


class _Progress:
    """A rich progress bar on stderr, shown only for long packs on a terminal."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None
        self._terminal = sys.stderr.isatty()

    def __enter__(self) -> _Progress:
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < 500 or not self._terminal:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import Progress

            # Redrawn on each update, not by a refresh thread: a single-threaded pack may
            # share its work with a forked process (repoagent.forked).
            self._bar = Progress(console=Console(stderr=True), transient=True, auto_refresh=False)
            self._bar.start()
            self._task = self._bar.add_task(stage, total=total)
        self._bar.update(self._task, description=stage, completed=done, total=total, refresh=True)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _level_name(entry: Any) -> str:
    """The entry's level for the stats: ``collapsed`` for a file of a collapsed directory
    (left out for the budget without being listed), ``left out`` for the other exclusions."""
    if entry.level is None:
        return "collapsed" if entry.reason == "budget" else "left out"
    return str(entry.level)


def print_stats(result: Any) -> None:
    """Top files by tokens, totals per level, and what was left out, on stderr."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from repoagent.pack.tree import quote_path

    console = Console(stderr=True)
    shown = [f for f in result.files if f.level in ("full", "outline")]
    top = Table(title=f"Top files by tokens (total {result.tokens:,} tokens)")
    top.add_column("file")
    top.add_column("level")
    top.add_column("tokens", justify="right")
    for f in sorted(shown, key=lambda f: (-(f.tokens or 0), f.path))[:15]:
        # A name is text, not markup: "x[/b]/c.py" was a MarkupError, "[red]y.py" lost "[red]".
        top.add_row(escape(quote_path(f.path)), f.level, f"{f.tokens:,}")
    console.print(top)
    levels = Counter(_level_name(f) for f in result.files)
    per_level = Table(title="Files per level")
    per_level.add_column("level")
    per_level.add_column("files", justify="right")
    per_level.add_column("tokens", justify="right")
    for level in ("full", "outline", "listed", "collapsed", "left out"):
        if level == "collapsed" and not levels.get(level):
            continue
        tokens = sum(f.tokens or 0 for f in result.files if _level_name(f) == level)
        per_level.add_row(level, str(levels.get(level, 0)), f"{tokens:,}")
    console.print(per_level)
    reasons = Counter(
        "budget (in a collapsed directory)" if _level_name(f) == "collapsed" else f.reason
        for f in result.files
        if f.reason
    )
    if reasons:
        title = "Not shown in full, by reason"
        why = Table(title=title, min_width=len(title))  # a narrow table wrapped its title
        why.add_column("reason")
        why.add_column("files", justify="right")
        for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
            why.add_row(reason, str(n))
        console.print(why)
    console.print(
        f"revision {result.revision[:12]}  tokenizer {result.tokenizer}  "
        f"budget {result.budget if result.budget is not None else 'none'}  "
        f"redactions {result.redactions}\n"
        f"tokenized {result.texts_tokenized:,} texts, {result.chars_tokenized:,} characters "
        "(counts of the rest came from the cache)"
    )
