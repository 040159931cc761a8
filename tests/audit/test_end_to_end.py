"""A whole audit against the scripted model server: one run, its finding in every format."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import git
import pytest

from repoagent.testing import ScriptedLLMServer, replies
from tests.audit.test_report import run_cli

SCOUT = "scout-audit"
MAVERICK = "maverick-audit"
QUOTE = "    return Client().get(url)  # FIXME: no retries"


def _maverick(body: dict[str, Any]) -> Any:
    turns = sum(1 for m in body.get("messages", []) if m.get("role") == "assistant")
    if turns == 0:
        return replies.tool_calls(
            (
                "report_finding",
                {
                    "path": "src/demo/lib.py",
                    "quote": QUOTE,
                    "severity": "high",
                    "category": "error-handling",
                    "title": "fetch gives up on the first transient error",
                    "explanation": "No retry around Client().get although the API promises one.",
                },
            )
        )
    return replies.text("Done.")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedLLMServer]:
    scout = [
        replies.tool_calls(
            (
                "report_candidate",
                {
                    "path": "src/demo/lib.py",
                    "quote": QUOTE,
                    "reason": "fetch has no retry",
                    "category": "error-handling",
                },
            )
        ),
        replies.text("One candidate."),
    ]
    models = [{"id": SCOUT, "max_model_len": 40000}, {"id": MAVERICK, "max_model_len": 40000}]
    with ScriptedLLMServer(scripts={SCOUT: scout, MAVERICK: _maverick}, models=models) as running:
        for role, model in (("SCOUT", SCOUT), ("MAVERICK", MAVERICK)):
            monkeypatch.setenv(f"REPOAGENT_{role}_BASE_URL", running.base_url)
            monkeypatch.setenv(f"REPOAGENT_{role}_MODEL", model)
            monkeypatch.setenv(f"REPOAGENT_{role}_MAX_RETRIES", "0")
        yield running


def test_one_audit_run_renders_its_findings_in_every_format(
    release_repo: git.Repo, server: ScriptedLLMServer, tmp_path: Path, isolated_home: Path
) -> None:
    root = str(release_repo.working_tree_dir)
    out = tmp_path / "report"
    args = ["audit", root, "--since", "v1.0", "--rev", "v2.0", "-q"]
    assert run_cli([*args, "--format", "html,markdown,json,sarif", "-o", str(out)]) == 0
    data = json.loads((out / "audit.json").read_text())
    [archived] = (isolated_home / "audits").glob("*.json")
    assert json.loads(archived.read_text()) == data  # kept for --from
    [finding] = data["review"]["findings"]
    assert finding["title"] == "fetch gives up on the first transient error"
    assert finding["start_line"] == 16
    sarif = json.loads((out / "audit.sarif").read_text())
    [result] = sarif["runs"][0]["results"]
    assert result["partialFingerprints"]["primaryLocationLineHash"] == finding["fingerprint"]
    for name in ("audit.html", "audit.md"):
        assert finding["title"] in (out / name).read_text()
    assert data["risk"] == "high"
    assert "1 high finding in the review: fetch gives up on the first transient error." in [
        r["text"] for r in data["risk_reasons"]
    ]
    # One run: Scout was asked once (plus its closing turn), with the audit's focus and the diff.
    scout_calls = [r.body for r in server.chat_requests if r.model == SCOUT]
    assert len(scout_calls) == 2
    assert "pre-release audit" in json.dumps(scout_calls[0]["messages"])
