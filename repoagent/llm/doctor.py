"""``repoagent doctor``: is each configured model role usable, and if not, what to fix.

For each role: the key is present if the endpoint needs one, the endpoint answers
``GET /v1/models``, the model is listed, a tiny chat works, a tiny tool call comes back (natively
or repaired from text), and the context window the server reports. Findings are plain sentences.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Literal

from repoagent.config import ROLES, Settings
from repoagent.errors import RepoAgentError
from repoagent.llm.client import OpenAIChatClient
from repoagent.llm.discovery import context_window_of
from repoagent.llm.failures import RetryPolicy
from repoagent.resources import read_prompt

Status = Literal["ok", "warn", "fail"]

# A probe, not an agent tool: it never reaches the toolbox, so it is not in tools/.
PING_TOOL = {
    "type": "function",
    "function": {
        "name": "ping",
        "description": "Answer a connectivity check.",
        "parameters": {
            "type": "object",
            "properties": {"value": {"type": "string"}},
            "required": ["value"],
        },
    },
}


@dataclass
class Check:
    """One line of the doctor's report."""

    status: Status
    what: str


@dataclass
class RoleDiagnosis:
    """Everything the doctor found about one role."""

    role: str
    model: str
    base_url: str
    checks: list[Check] = field(default_factory=list)
    context_window: int | None = None
    context_source: str = ""

    @property
    def usable(self) -> bool:
        """No check failed."""
        return all(c.status != "fail" for c in self.checks)

    def add(self, status: Status, what: str) -> None:
        """Record one finding."""
        self.checks.append(Check(status, what))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {
            "role": self.role,
            "model": self.model,
            "base_url": self.base_url,
            "usable": self.usable,
            "context_window": self.context_window,
            "context_source": self.context_source,
            "checks": [{"status": c.status, "what": c.what} for c in self.checks],
        }


def diagnose(settings: Settings, *, timeout: float = 30.0) -> list[RoleDiagnosis]:
    """Check both roles (an endpoint shared by both is still checked per role)."""
    return [diagnose_role(settings, role, timeout=timeout) for role in ROLES]


def diagnose_role(settings: Settings, role: str, *, timeout: float = 30.0) -> RoleDiagnosis:
    """Check one role: key, endpoint, model listed, chat, tool call, context window."""
    config = settings.role(role)
    config = config.model_copy(update={"request_timeout": min(config.request_timeout, timeout)})
    result = RoleDiagnosis(role, config.model, config.base_url)
    origin = settings.origins.get(f"{role}.model", "defaults")
    try:
        client = OpenAIChatClient(config, role, retry=RetryPolicy(max_retries=0))
    except RepoAgentError as exc:
        result.add("fail", str(exc))
        return result
    variables = config.key_variables()
    key_from = next((n for n in variables if _has_env(n)), None)
    result.add("ok", f"API key from {key_from}" if key_from else "no API key (none required)")
    try:
        entries = client.list_models()
    except RepoAgentError as exc:
        result.add("fail", f"endpoint unreachable: {exc}")
        return result
    served = [str(e.get("id")) for e in entries]
    result.add("ok", f"endpoint answers /v1/models ({len(served)} model(s))")
    entry = next((e for e in entries if e.get("id") == config.model), None)
    if entry is None:
        listed = ", ".join(served[:8]) or "none"
        result.add(
            "fail",
            f"model {config.model!r} (from {origin}) is not served here; served: {listed}; "
            f"set REPOAGENT_{role.upper()}_MODEL or --{role}-model",
        )
        return result
    result.add("ok", "model is listed")
    _probe_chat(client, result)
    if result.usable:
        _probe_tools(client, result, required=(role == "maverick"))
    reported = context_window_of(entry)
    if reported and config.context_window:
        result.context_window = min(reported, config.context_window)
        result.context_source = f"server reports {reported}, config says {config.context_window}"
    elif reported:
        result.context_window, result.context_source = reported, "reported by /v1/models"
    elif config.context_window:
        result.context_window, result.context_source = config.context_window, "from config"
    else:
        result.context_window = client.context_window()
        result.context_source = "a default: not reported by the server, not configured"
        result.add("warn", "the server does not report its context window; set context_window")
    return result


def _has_env(name: str) -> bool:
    return bool(os.environ.get(name))


def _probe_chat(client: OpenAIChatClient, result: RoleDiagnosis) -> None:
    try:
        reply = client.chat([{"role": "user", "content": read_prompt("doctor_chat.md")}])
    except RepoAgentError as exc:
        result.add("fail", f"chat failed: {exc}")
        return
    if reply.content or reply.tool_calls:
        result.add("ok", "chat works")
    else:
        result.add("fail", "chat returned an empty reply")


def _probe_tools(client: OpenAIChatClient, result: RoleDiagnosis, *, required: bool) -> None:
    prompt = [{"role": "user", "content": read_prompt("doctor_tool.md")}]
    try:
        reply = client.chat(prompt, tools=[PING_TOOL])
    except RepoAgentError as exc:
        result.add("fail" if required else "warn", f"tool call failed: {exc}")
        return
    if any(call.name == "ping" for call in reply.tool_calls):
        how = "repaired from the reply text" if reply.repaired else "native tool_calls"
        result.add("ok", f"tool calling works ({how})")
        return
    advice = (
        "no tool call came back; for vLLM start with --enable-auto-tool-choice "
        "--tool-call-parser llama4_pythonic, for llama.cpp with --jinja"
    )
    result.add("fail" if required else "warn", advice)
