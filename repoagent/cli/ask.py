"""``repoagent ask PATH [QUESTION]``: cited answers about a codebase, one-shot or interactive.

With a question: the answer streams to stdout paragraph by paragraph, each citation checked
against the files first (failures are marked ``[unverified: …]``). Without one: an interactive
session (``--session NAME`` continues a saved one). ``--format json`` prints the answer, its
citations and usage as one JSON document.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from repoagent.cli.options import model_options, require_work_tree, settings_from_cli
from repoagent.errors import ConfigError


@click.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@click.argument("question", nargs=-1)
@click.option("--session", metavar="NAME", help="Continue a saved conversation.")
@click.option("--list-sessions", is_flag=True, help="List the saved conversations and exit.")
@click.option("--rev", metavar="REV", help="Ask about this revision (default: the working tree).")
@click.option("--lang", metavar="LANGUAGE", help="Answer in this language.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("-q", "--quiet", is_flag=True, help="No status lines on stderr.")
@click.option(
    "--checkpointer",
    metavar="STORE",
    help="Where sessions live: sqlite (default), sqlite:PATH, memory, or a postgresql:// DSN.",
)
@model_options
def ask(
    path: Path,
    question: tuple[str, ...],
    session: str | None,
    list_sessions: bool,
    rev: str | None,
    lang: str | None,
    fmt: str,
    quiet: bool,
    checkpointer: str | None,
) -> None:
    """Ask questions about the code at PATH; answers cite path:line and are checked.

    With QUESTION: one answer, streamed. Without it: an interactive session on a terminal
    (/files, /add PATH, /cost, /reset, /exit), or the question read from piped stdin.
    """
    from repoagent.ask import AskOptions, answer_json, open_session
    from repoagent.ask.repl import format_usage, run_repl

    settings = settings_from_cli(path, extra={"checkpointer": checkpointer})
    if list_sessions:
        _print_sessions(settings)
        return
    text = " ".join(question)
    interactive = not question and sys.stdin.isatty()
    if not question and not interactive:
        text = sys.stdin.read()
    if not interactive and not text.strip():
        raise ConfigError("the question is empty")
    if interactive and fmt == "json":
        raise ConfigError("--format json needs a QUESTION (the interactive session is text only)")
    _check_repository(path, rev)
    options = AskOptions(
        path=path,
        settings=settings,
        rev=rev,
        session=session,
        lang=lang,
        progress=None if quiet else _status,
    )

    def stream(block: str) -> None:
        """Print one checked block of the answer as soon as it is complete."""
        click.echo(block + "\n")

    if interactive:
        with open_session(options, stream) as conversation:
            run_repl(conversation, click.echo)
        return
    emit = stream if fmt == "text" else (lambda _block: None)
    with open_session(options, emit) as conversation:
        answer = conversation.ask(text)
        usage = conversation.last_usage()
        if fmt == "json":
            click.echo(
                answer_json(
                    answer,
                    session=conversation.name,
                    question=text.strip(),
                    usage=[u.model_dump() for u in usage],
                    cost=round(sum(u.cost for u in usage), 6),
                ),
                nl=False,
            )
            return
    bad = sum(1 for c in answer.citations if not c.verified)
    checked = f"{len(answer.citations) - bad}/{len(answer.citations)} citations verified"
    cost = format_usage(usage).splitlines()[-1]
    click.echo(
        f"repoagent: {checked} · {cost} · continue with --session {conversation.name}", err=True
    )


def _status(message: str) -> None:
    click.secho(f"· {message}", err=True, dim=True)


def _check_repository(path: Path, rev: str | None) -> None:
    """Fail early, in one line, on a directory that is not a repository or an unknown --rev."""
    from repoagent.audit.history import open_repository
    from repoagent.errors import RepositoryError

    repo = open_repository(path)
    if repo.bare:
        require_work_tree(path, "ask")
    if rev is not None:
        try:
            repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        except Exception:
            raise RepositoryError(
                f"--rev {rev!r} does not name a commit in this repository"
            ) from None


def _print_sessions(settings: object) -> None:
    from repoagent.agent.checkpoint import open_checkpointer
    from repoagent.ask.graph import list_sessions

    with open_checkpointer(settings.checkpointer) as saver:  # type: ignore[attr-defined]
        for name in list_sessions(saver):
            click.echo(name)
