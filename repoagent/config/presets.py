"""Provider presets, read from ``providers.toml`` beside this module (data, not code)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from repoagent.config.settings import ROLES
from repoagent.errors import ConfigError

PRESETS_FILE = Path(__file__).with_name("providers.toml")


@dataclass(frozen=True)
class ProviderPreset:
    """Where a provider serves Llama 4 and what its server is known to do."""

    name: str
    base_url: str
    api_key_env: str
    requires_key: bool
    tools: bool
    note: str
    models: dict[str, str]
    """role -> model id"""
    context_windows: dict[str, int]
    """role -> served context in tokens (0 = discover from /v1/models)"""

    def role_values(self, role: str) -> dict[str, Any]:
        """The RoleConfig fields this preset sets for ``role``."""
        return {
            "provider": self.name,
            "base_url": self.base_url,
            "api_key_env": self.api_key_env,
            "requires_key": self.requires_key,
            "supports_tools": self.tools,
            "model": self.models[role],
            "context_window": self.context_windows[role] or None,
        }


@cache
def load_presets() -> dict[str, ProviderPreset]:
    """All presets by name, in file order."""
    data = tomllib.loads(PRESETS_FILE.read_text(encoding="utf-8"))
    presets = {}
    for name, entry in data.items():
        presets[name] = ProviderPreset(
            name=name,
            base_url=entry["base_url"],
            api_key_env=entry.get("api_key_env", ""),
            requires_key=bool(entry.get("requires_key", False)),
            tools=bool(entry.get("tools", True)),
            note=entry.get("note", ""),
            models={role: entry[role]["model"] for role in ROLES},
            context_windows={role: int(entry[role].get("context_window", 0)) for role in ROLES},
        )
    return presets


def get_preset(name: str) -> ProviderPreset:
    """The preset called ``name``; ``ConfigError`` naming the known ones otherwise."""
    presets = load_presets()
    if name not in presets:
        known = ", ".join(presets)
        raise ConfigError(f"unknown provider {name!r}; known providers: {known}")
    return presets[name]
