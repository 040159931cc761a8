"""``repoagent doctor`` against the scripted server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from repoagent.cli.main import cli
from repoagent.testing import Rules, ScriptedLLMServer, replies

TOOL_OFFERED = Rules(
    [
        (lambda body: bool(body.get("tools")), replies.tool_calls(("ping", {"value": "ok"}))),
        (lambda body: True, "OK"),
    ]
)
MODELS = [{"id": "scout-id", "max_model_len": 1_000_000}, {"id": "maverick-id"}]


def _doctor(server: ScriptedLLMServer, tmp_path: Path, *args: str, env: dict | None = None):
    base = {
        "REPOAGENT_BASE_URL": server.base_url,
        "REPOAGENT_SCOUT_MODEL": "scout-id",
        "REPOAGENT_MAVERICK_MODEL": "maverick-id",
    }
    return CliRunner().invoke(cli, ["doctor", str(tmp_path), *args], env={**base, **(env or {})})


def test_doctor_reports_usable_roles_and_context_windows(tmp_path: Path) -> None:
    (tmp_path / ".repoagent.toml").write_text("[maverick]\ncontext_window = 200000\n")
    with ScriptedLLMServer(TOOL_OFFERED, models=MODELS) as server:
        result = _doctor(server, tmp_path)
    assert result.exit_code == 0, result.output
    assert "scout: scout-id at http://127.0.0.1" in result.output
    assert "context window: 1,000,000 tokens (reported by /v1/models)" in result.output
    assert "context window: 200,000 tokens (from config)" in result.output
    assert "tool calling works (native tool_calls)" in result.output
    assert result.output.count("=> usable") == 2
    tools_offered = [r for r in server.chat_requests if r.tool_names == ["ping"]]
    assert len(tools_offered) == 2


def test_doctor_names_a_wrong_model_and_exits_3(tmp_path: Path) -> None:
    with ScriptedLLMServer(TOOL_OFFERED, models=MODELS) as server:
        result = _doctor(server, tmp_path, "--maverick-model", "llama-5")
    assert result.exit_code == 3
    assert (
        "model 'llama-5' (from command line) is not served here; served: scout-id, maverick-id"
        in result.output
    )
    assert "=> UNUSABLE" in result.output
    assert "unusable role(s): maverick" in result.stderr


def test_doctor_explains_missing_tool_calls_and_keys(tmp_path: Path) -> None:
    with ScriptedLLMServer(["plain text only"] * 10, models=MODELS) as server:
        result = _doctor(server, tmp_path, "--json")
    assert result.exit_code == 3
    scout, maverick = json.loads(result.stdout)
    assert scout["usable"] and not maverick["usable"]
    assert any("--tool-call-parser" in c["what"] for c in maverick["checks"])


def test_doctor_unreachable_endpoint(tmp_path: Path) -> None:
    with ScriptedLLMServer() as server:
        url = server.base_url
    result = CliRunner().invoke(cli, ["doctor", str(tmp_path), "--base-url", url, "--timeout", "2"])
    assert result.exit_code == 3
    assert "endpoint unreachable" in result.output and "is the server running?" in result.output


@pytest.mark.parametrize("provider", ["openrouter"])
def test_doctor_missing_key_is_a_plain_failure(tmp_path: Path, provider: str) -> None:
    result = CliRunner().invoke(cli, ["doctor", str(tmp_path), "--provider", provider])
    assert result.exit_code == 3
    assert "no API key; set OPENROUTER_API_KEY or REPOAGENT_API_KEY" in result.output
    assert "Traceback" not in result.output


def test_doctor_shows_where_each_setting_came_from(tmp_path: Path) -> None:
    (tmp_path / ".repoagent.toml").write_text("max_turns = 12\n")
    with ScriptedLLMServer(TOOL_OFFERED, models=MODELS) as server:
        result = _doctor(server, tmp_path, "--show-config", "--scout-model", "scout-id")
    assert result.exit_code == 0, result.output
    assert "max_turns = 12  <- .repoagent.toml" in result.output
    assert 'scout.model = "scout-id"  <- command line' in result.output
    assert 'maverick.model = "maverick-id"  <- environment' in result.output
    assert "concurrency = 4  <- defaults" in result.output
