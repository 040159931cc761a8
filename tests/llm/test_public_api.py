"""The public surface of the model layer, pinned."""

from __future__ import annotations

import repoagent.config
import repoagent.llm
from repoagent.config import RoleConfig
from repoagent.llm import OpenAIChatClient
from repoagent.protocols import ChatClient
from repoagent.testing import ScriptedLLMServer


def test_all_names_are_exported() -> None:
    assert set(repoagent.llm.__all__) >= {
        "OpenAIChatClient",
        "ChatReply",
        "ToolCall",
        "RejectedCall",
        "UsageLedger",
        "CallUsage",
        "RetryPolicy",
        "META_KEY",
    }
    assert set(repoagent.config.__all__) >= {
        "load_settings",
        "Settings",
        "RoleConfig",
        "ConfigSource",
    }
    for module in (repoagent.llm, repoagent.config):
        for name in module.__all__:
            assert getattr(module, name) is not None


def test_client_satisfies_the_chat_client_protocol() -> None:
    with ScriptedLLMServer() as server:
        client = OpenAIChatClient(RoleConfig(base_url=server.base_url, model="m"), "scout")
    assert isinstance(client, ChatClient)
