"""The interactive ``repoagent ask`` session: readline-style editing, history, slash commands.

Ctrl-C while an answer streams stops that answer (the turn is not saved) and returns to the
prompt; Ctrl-C at the prompt clears the line; Ctrl-D or ``/exit`` ends the session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from repoagent.ask.session import AskSession
from repoagent.errors import ContextOverflowError, RepoAgentError
from repoagent.findings.model import RoleUsage
from repoagent.home import state_path

Echo = Callable[[str], None]

HELP = """commands:
  /files       what the model has in context
  /add PATH    pull a file into the context (quote a path with spaces)
  /cost        tokens and cost of this session
  /reset       forget the conversation (the repository stays packed)
  /exit        leave (or Ctrl-D); Ctrl-C stops an answer"""


def format_usage(usage: list[RoleUsage]) -> str:
    """``scout: 2 calls, 12,345 in / 678 out (10,000 cached), $0.0012`` per role, plus a total."""
    if not usage:
        return "no model calls yet"
    lines = [
        f"{u.role} ({u.model or 'model'}): {u.calls} calls, {u.prompt_tokens:,} in / "
        f"{u.completion_tokens:,} out ({u.cached_tokens:,} cached), ${u.cost:.4f}"
        for u in usage
    ]
    lines.append(f"total: ${sum(u.cost for u in usage):.4f}")
    return "\n".join(lines)


def _paths(argument: str) -> list[str]:
    """``/add`` arguments: shell-style words, so `"my file.py"` or `my\\ file.py` is one path."""
    import shlex

    try:
        return shlex.split(argument)
    except ValueError:  # an unbalanced quote: take the words as typed
        return argument.split()


def run_command(session: AskSession, line: str, echo: Echo) -> bool:
    """Run one slash command; return False when the session should end."""
    command, _, argument = line.strip().partition(" ")
    argument = argument.strip()
    if command in ("/exit", "/quit"):
        return False
    if command == "/files":
        for text in session.files():
            echo(text)
    elif command == "/add":
        if not argument:
            echo("usage: /add PATH")
        else:
            for path in _paths(argument):
                try:
                    echo(f"added {session.add_file(path)}")
                except RepoAgentError as exc:
                    echo(f"error: {exc}")
    elif command == "/cost":
        echo(format_usage(session.usage()))
    elif command == "/reset":
        session.reset()
        echo("conversation cleared")
    elif command in ("/help", "/?"):
        echo(HELP)
    else:
        echo(f"unknown command {command}; /help lists them")
    return True


def ask_once(session: AskSession, question: str, echo: Echo) -> None:
    """Answer one question at the prompt, surviving Ctrl-C and model errors."""
    try:
        answer = session.ask(question)
    except KeyboardInterrupt:
        echo("\n[answer stopped]")
        return
    except ContextOverflowError as exc:
        echo(
            f"error: {exc}\nThe conversation no longer fits the model's context; /reset starts over."
        )
        return
    except RepoAgentError as exc:
        echo(f"error: {exc}")
        return
    bad = [c for c in answer.citations if not c.verified]
    if answer.citations:
        note = f"[{len(answer.citations) - len(bad)}/{len(answer.citations)} citations verified"
        echo(
            note
            + (f"; answered by {answer.answered_by}]" if answer.answered_by != "scout" else "]")
        )


def run_repl(session: AskSession, echo: Echo, *, prompt_session: Any = None) -> None:
    """Read questions and commands until Ctrl-D or /exit."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    prompt = prompt_session or PromptSession(history=FileHistory(str(state_path("ask_history"))))
    verb = "continuing" if session.resumed else "session"
    echo(f"repoagent ask: {verb} {session.name} — /help for commands, Ctrl-D to leave")
    while True:
        try:
            line = prompt.prompt("ask> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        if not line.strip():
            continue
        if line.lstrip().startswith("/"):
            if not run_command(session, line, echo):
                break
            continue
        ask_once(session, line, echo)
    echo(f"session saved: continue with --session {session.name}")
