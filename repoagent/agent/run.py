"""``run_review``: start or resume one review run and return its :class:`Report`.

A run is one LangGraph thread (``thread_id`` = run id) in the configured checkpointer. Resuming
invokes the graph with no input, so LangGraph continues from the last checkpoint; finished tasks
are not re-run, and the reply journal replays model calls of unfinished ones. A run that ended
because the endpoint failed resumes from the checkpoint before the failure, so the model work
that failed is tried again (finished calls still come from the journal).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig

from repoagent.agent.checkpoint import open_checkpointer
from repoagent.agent.graph import RECURSION_LIMIT, build_graph
from repoagent.agent.options import Budgets, ReviewOptions
from repoagent.agent.runs import existing_run_dir, new_run_id, save_request
from repoagent.agent.services import RunServices, register, unregister
from repoagent.errors import ConfigError
from repoagent.findings.model import Report


def resolve_budgets(given: Budgets, settings: Any) -> Budgets:
    """Fill budgets not given explicitly from the settings (``max_turns``, ``timeout``…)."""
    return Budgets(
        max_turns=given.max_turns if given.max_turns is not None else settings.max_turns,
        max_tokens=given.max_tokens if given.max_tokens is not None else settings.max_tokens,
        max_cost=given.max_cost if given.max_cost is not None else settings.max_cost,
        timeout=given.timeout if given.timeout is not None else settings.timeout,
    )


def run_review(options: ReviewOptions) -> Report:
    """Review a repository (or resume an interrupted review) and return the report."""
    settings = options.settings
    if settings is None:
        from repoagent.config import load_settings

        settings = load_settings(Path(options.path), {})
    if options.run_tests is None:
        options = replace(options, run_tests=bool(settings.run_tests))
    budgets = resolve_budgets(options.budgets, settings)
    with open_checkpointer(settings.checkpointer) as saver:
        app = build_graph().compile(checkpointer=saver)
        if options.resume:
            run_id = options.resume
            existing_run_dir(run_id)
            inputs: dict[str, Any] | None = None
            config = _config(run_id, options.concurrency or settings.concurrency)
            saved = app.get_state(config).values
            if not saved:
                raise ConfigError(f"run {run_id} has no saved state to resume")
            _check_same_repository(saved["request"], options)
            if saved.get("report"):
                retry = _before_provider_failure(app, config, saved)
                if retry is None:
                    return Report.model_validate(saved["report"])
                config = retry  # the endpoint failed: try the unfinished model work again
        else:
            run_id = options.run_id or new_run_id()
            config = _config(run_id, options.concurrency or settings.concurrency)
            inputs = {"run_id": run_id, "request": options.request(), "budgets": budgets.to_dict()}
            save_request(run_id, inputs["request"])
        services = RunServices.create(run_id, settings, budgets, options.progress)
        register(services)
        try:
            request = inputs["request"] if inputs else saved["request"]
            verb = "resumed" if options.resume else "reviewing"
            services.say(f"run {run_id}: {verb} {request['path']} at {request['rev']}")
            final = app.invoke(inputs, config, durability="sync")
        finally:
            unregister(run_id)
            services.close()
    # The pack was only needed to resume the scout; the trajectory keeps a redacted copy.
    (services.directory / "pack.txt").unlink(missing_ok=True)
    return Report.model_validate(final["report"])


def _before_provider_failure(
    app: Any, config: RunnableConfig, saved: dict[str, Any]
) -> RunnableConfig | None:
    """For a run the endpoint stopped: the last checkpoint before it failed (scout or
    investigate still to run), so resuming retries that work. ``None`` for any other run."""
    if (saved.get("report") or {}).get("stopped_by") != "provider-error":
        return None
    for snapshot in app.get_state_history(config):
        if {"scout", "investigate"} & set(snapshot.next) and not snapshot.values.get(
            "provider_error"
        ):
            return {**config, "configurable": dict(snapshot.config["configurable"])}
    return None


def _config(run_id: str, concurrency: int) -> RunnableConfig:
    return {
        "configurable": {"thread_id": run_id},
        "recursion_limit": RECURSION_LIMIT,
        "max_concurrency": max(1, concurrency),
    }


def _check_same_repository(saved: dict[str, Any], options: ReviewOptions) -> None:
    given = str(Path(options.path).resolve())
    if given != saved["path"]:
        raise ConfigError(
            f"run {options.resume} reviewed {saved['path']}, not {given}; resume it with that path"
        )
