"""The shared click options produce the CLI layer of the configuration."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from repoagent.cli.options import (
    budget_options,
    model_options,
    settings_from_cli,
    verification_options,
)
from repoagent.config import Settings

seen: list[Settings] = []


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@model_options
@budget_options
@verification_options
def probe(path: Path) -> None:
    """A stand-in command using every option group."""
    seen.append(settings_from_cli(path))


def _run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Settings:
    seen.clear()
    result = CliRunner().invoke(probe, [str(tmp_path), *args], env=env)
    assert result.exit_code == 0, result.output
    return seen[-1]


def test_flags_override_file_and_environment(tmp_path: Path) -> None:
    (tmp_path / ".repoagent.toml").write_text('max_turns = 3\n[scout]\nmodel = "file"\n')
    settings = _run(
        tmp_path,
        "--scout-model",
        "flag-scout",
        "--base-url",
        "http://gpu:8000/v1",
        "--maverick-base-url",
        "http://other:1/v1",
        "--max-turns",
        "9",
        "--max-cost",
        "1.5",
        "--concurrency",
        "2",
        "--run-tests",
        "--test-command",
        "make test",
        env={"REPOAGENT_SCOUT_MODEL": "env-scout", "REPOAGENT_MAX_TURNS": "5"},
    )
    assert settings.scout.model == "flag-scout"
    assert settings.scout.base_url == "http://gpu:8000/v1"
    assert settings.maverick.base_url == "http://other:1/v1"
    assert (settings.max_turns, settings.max_cost, settings.concurrency) == (9, 1.5, 2)
    assert settings.run_tests and settings.test_command == "make test"


def test_flags_left_out_do_not_override(tmp_path: Path) -> None:
    (tmp_path / ".repoagent.toml").write_text("run_tests = true\nmax_turns = 3\n")
    trusted = {"REPOAGENT_TRUST_PROJECT_CONFIG": "1"}
    settings = _run(tmp_path, env=trusted)
    assert settings.run_tests is True and settings.max_turns == 3
    assert _run(tmp_path, "--no-run-tests", env=trusted).run_tests is False


def test_provider_flag_accepts_only_known_presets(tmp_path: Path) -> None:
    assert _run(tmp_path, "--provider", "ollama").scout.base_url == "http://localhost:11434/v1"
    result = CliRunner().invoke(probe, [str(tmp_path), "--provider", "nope"])
    assert result.exit_code == 2 and "llama-api" in result.output
