"""``SandboxToolRunner``: runs the model's tool calls against one snapshot of the repository.

Every failure becomes tool text (``error: …``) the model can read and act on; nothing is raised
past :meth:`SandboxToolRunner.run`. No tool writes to the user's checkout: reads come from git
objects or the working tree, and ``run_tests`` works in a scratch clone.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repoagent.errors import RepoAgentError, ToolError
from repoagent.toolbox import files, history, search, symbols
from repoagent.toolbox.capping import MAX_CHARS, cap_text, clip_line
from repoagent.toolbox.redact import redact_diff, redact_text, refuse_secret_file
from repoagent.toolbox.snapshot import Snapshot
from repoagent.toolbox.specs import SANDBOX_TOOLS, load_tool_specs


@dataclass(frozen=True)
class ToolCallRecord:
    """One executed tool call: what ran, how long it took, whether it failed."""

    name: str
    seconds: float
    error: bool


class SandboxToolRunner:
    """Run grep, read_file, list_files, find_symbol, git_log/diff/blame, run_tests in a sandbox."""

    def __init__(
        self,
        root: Path | str,
        rev: str | None = None,
        *,
        index: Any = None,
        run_tests: bool = False,
        test_command: str | Sequence[str] | None = None,
        test_timeout: float = 300.0,
        max_output_chars: int = MAX_CHARS,
    ) -> None:
        self.snapshot = Snapshot(root, rev)
        self.root = self.snapshot.root
        self.rev = rev
        self.tests_enabled = run_tests
        self.test_command = test_command
        self.test_timeout = test_timeout
        self.max_output_chars = max_output_chars
        self.calls: list[ToolCallRecord] = []
        self._index = index
        self._index_lock = threading.Lock()
        self._handlers: dict[str, Callable[[dict[str, Any]], str]] = {
            "grep": self._grep,
            "read_file": self._read_file,
            "list_files": self._list_files,
            "find_symbol": self._find_symbol,
            "git_log": self._git_log,
            "git_diff": self._git_diff,
            "git_blame": self._git_blame,
            "run_tests": self._run_tests,
        }
        self._params = {
            spec["function"]["name"]: set(spec["function"]["parameters"].get("properties", {}))
            for spec in load_tool_specs(SANDBOX_TOOLS, run_tests=True)
        }

    def close(self) -> None:
        """Remove the scratch checkout grep may have made (also done at exit)."""
        self.snapshot.close()

    def __enter__(self) -> SandboxToolRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def commit(self) -> str | None:
        """The commit the tools read (for the working tree: HEAD, which git_log/git_diff use)."""
        return self.snapshot.commit

    def specs(self) -> list[dict[str, Any]]:
        """Return the OpenAI tool specs this runner executes (``run_tests`` only when enabled)."""
        return load_tool_specs(SANDBOX_TOOLS, run_tests=self.tests_enabled)

    def run(self, name: str, arguments: Mapping[str, Any]) -> str:
        """Run tool ``name``; return the text shown to the model (errors included, never raised)."""
        started = time.perf_counter()
        failed = True
        try:
            handler = self._handlers.get(name)
            if handler is None or (name == "run_tests" and not self.tests_enabled):
                offered = [n for n in self._handlers if n != "run_tests" or self.tests_enabled]
                raise ToolError(f"unknown tool {name!r}; available tools: {', '.join(offered)}")
            if not self.snapshot.is_worktree:
                self.snapshot.entries()
                self.snapshot.checkout(wait=False)  # start early; grep uses it once ready
            args = _arguments(arguments)
            unexpected = sorted(set(args) - self._params.get(name, set()))
            if unexpected:
                raise ToolError(
                    f"unexpected argument(s) {', '.join(unexpected)} for {name}; expected: "
                    + ", ".join(sorted(self._params.get(name, set())))
                )
            text = handler(args)
            if name == "git_diff":
                text = redact_diff(text)
            elif name in _HISTORY_TOOLS:
                text = redact_text("", text)  # read_file and grep redact with the file's type
            failed = False
            return cap_text(text, self.max_output_chars)
        # Error texts quote the arguments: a runaway 100,000-character path is clipped.
        except (ToolError, RepoAgentError) as exc:
            return clip_line(f"error: {exc}", MAX_ERROR_CHARS)
        except (TypeError, ValueError) as exc:
            return clip_line(f"error: bad arguments for {name}: {exc}", MAX_ERROR_CHARS)
        except Exception as exc:  # a tool bug must not kill the run; the model sees what happened
            return clip_line(f"error: {name} failed: {type(exc).__name__}: {exc}", MAX_ERROR_CHARS)
        finally:
            self.calls.append(ToolCallRecord(name, time.perf_counter() - started, failed))

    def timings(self) -> dict[str, tuple[int, float]]:
        """Calls and total seconds per tool so far (for benchmarks and run reports)."""
        out: dict[str, tuple[int, float]] = {}
        for call in list(self.calls):
            count, seconds = out.get(call.name, (0, 0.0))
            out[call.name] = (count + 1, seconds + call.seconds)
        return out

    # -- handlers ------------------------------------------------------------------------------

    def _grep(self, a: dict[str, Any]) -> str:
        return search.grep(
            self.snapshot,
            a.get("pattern"),
            a.get("path"),
            fixed_string=_flag(a.get("fixed_string")),
            ignore_case=_flag(a.get("ignore_case")),
            max_results=_int(a.get("max_results"), search.DEFAULT_RESULTS),
        )

    def _read_file(self, a: dict[str, Any]) -> str:
        path, start, end = (
            a.get("path"),
            _int(a.get("start_line"), None),
            _int(a.get("end_line"), None),
        )
        # Models copy grep's `path:line` form into read_file; read around that line.
        match = _PATH_LINE.match(path) if isinstance(path, str) else None
        if match and start is None and match.group(1) in self.snapshot.entries():
            path = match.group(1)
            line = int(match.group(2))
            start = max(1, line - 20) if not match.group(3) else line
            end = int(match.group(3)) if match.group(3) else line + 40
        return files.read_file(self.snapshot, path, start, end, max_chars=self.max_output_chars)

    def _list_files(self, a: dict[str, Any]) -> str:
        return files.list_files(
            self.snapshot,
            a.get("pattern"),
            max_results=_int(a.get("max_results"), files.DEFAULT_LIST),
        )

    def _find_symbol(self, a: dict[str, Any]) -> str:
        return symbols.find_symbol(self.symbol_index(), a.get("name"), a.get("kind") or "both")

    def _git_log(self, a: dict[str, Any]) -> str:
        return history.git_log(
            self.snapshot,
            a.get("path"),
            max_count=_int(a.get("max_count"), history.DEFAULT_COMMITS),
        )

    def _git_diff(self, a: dict[str, Any]) -> str:
        return history.git_diff(
            self.snapshot, a.get("base"), a.get("path"), stat_only=_flag(a.get("stat_only"))
        )

    def _git_blame(self, a: dict[str, Any]) -> str:
        refuse_secret_file(self.snapshot.resolve(a.get("path")))
        return history.git_blame(
            self.snapshot,
            a.get("path"),
            _int(a.get("start_line"), None),
            _int(a.get("end_line"), None),
        )

    def _run_tests(self, a: dict[str, Any]) -> str:
        from repoagent.toolbox.testrun import run_tests_in_scratch

        result = run_tests_in_scratch(
            self.root,
            None if self.snapshot.is_worktree else self.snapshot.commit,  # pinned, not "HEAD"
            command=self.test_command,
            target=a.get("path"),
            timeout=self.test_timeout,
        )
        return result.describe()

    def symbol_index(self) -> Any:
        """Return the code index for the snapshot, building it on first use."""
        with self._index_lock:
            if self._index is None:
                self._index = symbols.build_index(self.snapshot)
            return self._index


def _arguments(arguments: Any) -> dict[str, Any]:
    # The client layer normalises arguments, but a raw JSON string or None must not crash us.
    if arguments is None or arguments == "":
        return {}
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except json.JSONDecodeError:
            raise ToolError("arguments must be a JSON object") from None
    if not isinstance(arguments, Mapping):
        raise ToolError("arguments must be a JSON object")
    return dict(arguments)


_HISTORY_TOOLS = frozenset({"git_log", "git_blame"})
#: Longest error text a tool returns (errors quote the arguments they reject).
MAX_ERROR_CHARS = 1000
_PATH_LINE = re.compile(r"^(.+?):(\d+)(?:-(\d+))?:?$")


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _int(value: Any, default: Any) -> Any:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ToolError(f"expected a number, got {value!r}")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ToolError(f"expected a whole number, got {value!r}") from None
