"""Reusable click options for the model, budget and verification settings.

Each decorator adds flags that do not reach the command's parameters; their values collect in
the click context as the CLI layer of the configuration. A command then calls
:func:`settings_from_cli`::

    @click.command()
    @click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @model_options
    @budget_options
    def review(path: Path) -> None:
        settings = settings_from_cli(path)

Flags left out are ``None`` and do not override lower layers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from repoagent.config import Settings, load_presets, load_settings
from repoagent.config.layers import ConfigSource

F = TypeVar("F", bound=Callable[..., Any])
_META = "repoagent.cli_overrides"


def _collect(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is not None:
            ctx.meta.setdefault(_META, {})[key] = value
        return value

    return callback


def _option(*decls: str, key: str, **kwargs: Any) -> Callable[[F], F]:
    return click.option(*decls, expose_value=False, callback=_collect(key), default=None, **kwargs)


def _stack(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


model_options = _stack(
    _option(
        "--provider",
        key="provider",
        type=click.Choice(sorted(load_presets())),
        help="Provider preset for both roles (default: vllm at http://localhost:8000/v1).",
    ),
    _option("--base-url", key="base_url", help="OpenAI-compatible endpoint for both roles."),
    _option("--scout-model", key="scout.model", help="Model id of the long-context scout."),
    _option("--maverick-model", key="maverick.model", help="Model id of the tool-calling role."),
    _option("--scout-base-url", key="scout.base_url", help="Endpoint of the scout only."),
    _option("--maverick-base-url", key="maverick.base_url", help="Endpoint of maverick only."),
    _option(
        "--context-window",
        key="scout.context_window",
        type=click.IntRange(min=1),
        help="Served context of the scout in tokens (default: from /v1/models).",
    ),
)
"""``--provider``, ``--base-url``, ``--scout-model``, ``--maverick-model`` and per-role URLs."""

budget_options = _stack(
    _option(
        "--max-turns",
        key="max_turns",
        type=click.IntRange(min=1),
        help="Model turns per run (every Scout and Maverick call counts).",
    ),
    _option("--max-tokens", key="max_tokens", type=click.IntRange(min=1), help="Tokens per run."),
    _option(
        "--max-cost",
        key="max_cost",
        type=click.FloatRange(min=0),
        help="Cost per run, in the units of the configured prices.",
    ),
    _option(
        "--timeout", key="timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds."
    ),
    _option(
        "--concurrency",
        key="concurrency",
        type=click.IntRange(min=1, max=64),
        help="Candidates investigated at once.",
    ),
)
"""``--max-turns``, ``--max-tokens``, ``--max-cost``, ``--timeout``, ``--concurrency``."""

verification_options = _stack(
    _option(
        "--run-tests/--no-run-tests",
        key="run_tests",
        help="Run the project's tests in a scratch copy to check proposed fixes.",
    ),
    _option("--test-command", key="test_command", help="Command that runs the tests."),
    _option(
        "--checkpointer",
        key="checkpointer",
        help="Run state: sqlite (default), sqlite:PATH, memory, or a postgresql:// DSN.",
    ),
)
"""``--run-tests/--no-run-tests``, ``--test-command``, ``--checkpointer``."""


def cli_overrides(ctx: click.Context | None = None) -> dict[str, Any]:
    """The configuration values given as flags to the current command (dotted keys)."""
    ctx = ctx or click.get_current_context()
    collected: dict[str, Any] = {}
    for context in _chain(ctx):
        collected.update(context.meta.get(_META, {}))
    return collected


def _chain(ctx: click.Context) -> list[click.Context]:
    contexts = []
    current: click.Context | None = ctx
    while current is not None:
        contexts.append(current)
        current = current.parent
    return contexts[::-1]


def settings_from_cli(
    repo_root: Path | None,
    *,
    config_source: ConfigSource | None = None,
    extra: Mapping[str, Any] | None = None,
    ctx: click.Context | None = None,
) -> Settings:
    """Load settings with the flags of the current command as the top layer."""
    overrides = {**cli_overrides(ctx), **(extra or {})}
    return load_settings(repo_root, overrides, config_source=config_source)


def require_work_tree(path: Path, command: str) -> None:
    """One line, before any model request, when ``path`` is in a bare repository: the tools
    read a work tree (``repoagent pack`` reads a bare repository's revisions)."""
    from repoagent.errors import RepositoryError
    from repoagent.repo import GitRepository

    repo = GitRepository(str(path))
    if repo.bare:
        raise RepositoryError(
            f"{repo.root} is a bare repository: {command} reads a work tree (clone it first; "
            "'repoagent pack' packs a bare repository's revisions)"
        )
