"""The ``run_tests`` tool: the project's tests in a scratch copy, without secrets or network.

The command is the configured one or a detected one (pytest, ``npm test``, ``go test ./...``,
``cargo test``). It runs with a timeout, in a new network namespace where the machine allows it
(``unshare``), and with every variable that looks like a key, token or secret removed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from repoagent.errors import ToolError
from repoagent.toolbox.capping import cap_text
from repoagent.toolbox.gitcmd import repo_toplevel
from repoagent.toolbox.paths import safe_relpath
from repoagent.toolbox.scratch import scratch_copy
from repoagent.toolbox.testcommand import dependency_env, detect_test_command
from repoagent.toolbox.testsummary import summarise

DEFAULT_TIMEOUT = 300.0

_SECRET_NAME = re.compile(
    r"KEY|TOKEN|SECRET|PASSW(OR)?D|CREDENTIAL|PRIVATE|COOKIE|SESSION|(^|_)AUTH($|_)|(^|_)DSN$"
    r"|DATABASE_URL"
)
_SECRET_PREFIXES = (
    "REPOAGENT_",
    "GITHUB_",
    "GH_",
    "OPENAI_",
    "ANTHROPIC_",
    "AWS_",
    "AZURE_",
    "GOOGLE_",
    "GCP_",
    "GCLOUD_",
    "HF_",
    "HUGGING",
    "ACTIONS_",
    "LLAMA_",
    "FIREWORKS_",
    "OPENROUTER_",
    "DEEPINFRA_",
    "TOGETHER_",
    "GROQ_",
    "SSH_",
    "GPG_",
    "DOCKER_",
    "NPM_CONFIG_",
    "TWINE_",
    "PYPI_",
)
_GIT_KEEP = ("GIT_AUTHOR_", "GIT_COMMITTER_", "GIT_CONFIG_NOSYSTEM")


def is_secret_name(name: str) -> bool:
    """True when an environment variable name looks like it carries a credential."""
    upper = name.upper()
    if upper.startswith("GIT_"):
        return not upper.startswith(_GIT_KEEP)  # GIT_DIR & co. could point at the user's repo
    return upper.startswith(_SECRET_PREFIXES) or bool(_SECRET_NAME.search(upper))


def clean_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return ``env`` (default: ours) without keys, tokens, secrets and repository redirections."""
    source = os.environ if env is None else env
    cleaned = {k: v for k, v in source.items() if not is_secret_name(k)}
    cleaned.update(PYTHONDONTWRITEBYTECODE="1", CI="1", GIT_TERMINAL_PROMPT="0")
    return cleaned


@cache
def network_isolation() -> tuple[str, ...] | None:
    """Return a command prefix that runs a program without network, or None if unavailable."""
    if not shutil.which("unshare"):
        return None
    for flags in (("-rn",), ("-n",)):
        try:
            ok = (
                subprocess.run(
                    ["unshare", *flags, "true"], capture_output=True, timeout=10
                ).returncode
                == 0
            )
        except (OSError, subprocess.SubprocessError):
            ok = False
        if ok:
            # A new namespace has loopback down; bring it up (no `ip` needed) so tests that
            # serve on 127.0.0.1 still work, then exec the test command.
            return ("unshare", *flags, sys.executable, "-c", _LOOPBACK_UP)
    return None


_LOOPBACK_UP = """\
import fcntl, os, socket, struct, sys
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    flags = struct.unpack("16sH14s", fcntl.ioctl(s, 0x8913, struct.pack("16sH14s", b"lo", 0, b"")))[1]
    fcntl.ioctl(s, 0x8914, struct.pack("16sH14s", b"lo", flags | 1, b""))
    s.close()
except OSError:
    pass
try:
    os.execvp(sys.argv[1], sys.argv[1:])
except OSError as exc:
    sys.exit(f"cannot run {sys.argv[1]!r}: {exc.strerror}")
"""


@dataclass
class TestRun:
    """What a test run did: the command, exit code, parsed summary and failing tests."""

    __test__ = False  # not a pytest test class

    command: list[str]
    exit_code: int | None
    summary: str
    failed: list[str] = field(default_factory=list)
    output: str = ""
    timed_out: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when the command exited 0."""
        return self.exit_code == 0

    def describe(self, *, max_output: int = 6_000) -> str:
        """Render the run for the model: command, exit code, summary, failures, output tail."""
        status = "timed out" if self.timed_out else f"exit code {self.exit_code}"
        lines = [f"$ {shlex.join(self.command)}", f"{status} — {self.summary}"]
        lines += [f"note: {n}" for n in self.notes]
        if self.failed:
            lines.append("failing tests:")
            lines += [f"  {name}" for name in self.failed[:30]]
            if len(self.failed) > 30:
                lines.append(f"  … and {len(self.failed) - 30} more")
        if self.output.strip():
            lines.append("--- output ---")
            lines.append(cap_text(self.output.rstrip(), max_output, what="test output"))
        return "\n".join(lines)


def _with_target(command: list[str], target: object) -> tuple[list[str], str | None]:
    if target in (None, ""):
        return command, None
    if not isinstance(target, str):
        raise ToolError("path must be a string naming a test file, directory or pytest node id")
    file_part, sep, node = target.partition("::")
    rel = safe_relpath(file_part)
    if any("pytest" in part for part in command):
        return [*command, rel + sep + node], None
    return command, f"path {target!r} ignored: only pytest commands accept a test selection"


def run_test_command(
    workdir: Path,
    command: str | Sequence[str] | None = None,
    *,
    target: object = None,
    timeout: float = DEFAULT_TIMEOUT,
    source_root: Path | None = None,
) -> TestRun:
    """Run the tests in ``workdir`` (a scratch copy of ``source_root``) and summarise them."""
    if isinstance(command, str):
        argv = shlex.split(command)
    elif command:
        argv = list(command)
    else:
        detected = detect_test_command(workdir, source_root)
        if detected is None:
            raise ToolError(
                "no test command detected (no pytest, package.json test script, go.mod or "
                "Cargo.toml); configure one with test_command"
            )
        argv = detected
    argv, target_note = _with_target(argv, target)
    notes = [target_note] if target_note else []
    env = clean_env()
    notes += dependency_env(workdir, source_root, env)
    prefix = network_isolation()
    if prefix is None:
        notes.append("network not isolated: unshare is not available on this machine")
    try:
        proc = subprocess.Popen(
            [*(prefix or ()), *argv],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        raise ToolError(f"cannot run {argv[0]!r}: {exc.strerror or exc}") from None
    timed_out = False
    try:
        raw, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        raw, _ = proc.communicate()
    output = raw.decode("utf-8", "replace")
    summary, failed = summarise(output, proc.returncode)
    if timed_out:
        summary = f"stopped after {timeout:.0f}s; {summary}"
    return TestRun(
        argv, None if timed_out else proc.returncode, summary, failed, output, timed_out, notes
    )


def run_tests_in_scratch(
    root: Path | str,
    rev: str | None,
    *,
    command: str | Sequence[str] | None = None,
    target: object = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> TestRun:
    """Check the snapshot out into a scratch copy, run its tests there, remove the copy."""
    with scratch_copy(root, rev) as workdir:
        return run_test_command(
            workdir, command, target=target, timeout=timeout, source_root=repo_toplevel(root)
        )
