"""The settings model: code defaults, with each field documented where it is declared.

Values arrive through :func:`repoagent.config.load_settings`, which layers defaults <
``[tool.repoagent]`` / ``.repoagent.toml`` < ``REPOAGENT_*`` environment < CLI flags. API keys are
never settings: ``api_key_env`` names the variable that holds one.
"""

from __future__ import annotations

import os
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

Role = Literal["scout", "maverick"]
ROLES: tuple[Role, ...] = ("scout", "maverick")
SHARED_KEY_ENV = "REPOAGENT_API_KEY"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class RoleConfig(BaseModel):
    """One model role (``scout`` reads the whole pack; ``maverick`` calls tools)."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    provider: str = "vllm"
    """The preset this role's endpoint came from (informational once values are resolved)."""
    base_url: str = "http://localhost:8000/v1"
    """OpenAI-compatible endpoint, usually ending in ``/v1``."""
    model: str = ""
    """Model id exactly as the endpoint lists it in ``/v1/models`` (filled from the preset)."""
    api_key_env: str = ""
    """Name of the environment variable holding the key (``REPOAGENT_API_KEY`` is the fallback)."""
    requires_key: bool = False
    """The endpoint refuses requests without a key."""
    supports_tools: bool = True
    """The endpoint accepts ``tools`` (function calling); otherwise calls are parsed from text."""
    context_window: int | None = Field(default=None, ge=1)
    """Served context in tokens; ``None`` = discover from ``/v1/models``."""
    max_output_tokens: int = Field(default=4096, ge=1)
    """``max_tokens`` sent with every request."""
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    input_price_per_m: float = Field(default=0.0, ge=0.0)
    """Price per million prompt tokens, for cost reports (any currency, used consistently)."""
    output_price_per_m: float = Field(default=0.0, ge=0.0)
    """Price per million completion tokens."""
    cached_input_price_per_m: float | None = Field(default=None, ge=0.0)
    """Price per million cached prompt tokens; ``None`` = same as ``input_price_per_m``."""
    request_timeout: float = Field(default=600.0, gt=0)
    """Seconds to wait for one HTTP response (long prompts take minutes to prefill)."""
    max_retries: int = Field(default=4, ge=0)
    """Retries after 429, 5xx, connection errors and timeouts."""

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"must be an http:// or https:// URL, got {value!r}")
        return value.rstrip("/")

    @field_validator("api_key_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if value and not _ENV_NAME.match(value):
            raise ValueError(
                "must be the NAME of an environment variable holding the key, not the key itself"
            )
        return value

    @field_validator("context_window", mode="before")
    @classmethod
    def _zero_means_discover(cls, value: object) -> object:
        return None if value in (0, "0", "") else value

    def api_key(self) -> str | None:
        """The key from ``api_key_env`` or ``REPOAGENT_API_KEY``, or ``None``; never logged."""
        for name in (self.api_key_env, SHARED_KEY_ENV):
            if name and os.environ.get(name):
                return os.environ[name]
        return None

    def key_variables(self) -> list[str]:
        """Names of the variables searched for this role's key, in order."""
        return [n for n in (self.api_key_env, SHARED_KEY_ENV) if n]

    def cost(self, prompt_tokens: int, completion_tokens: int, cached_tokens: int = 0) -> float:
        """Price of one call from the configured per-million prices."""
        cached_price = (
            self.input_price_per_m
            if self.cached_input_price_per_m is None
            else self.cached_input_price_per_m
        )
        uncached = max(prompt_tokens - cached_tokens, 0)
        return (
            uncached * self.input_price_per_m
            + cached_tokens * cached_price
            + completion_tokens * self.output_price_per_m
        ) / 1_000_000


class Settings(BaseModel):
    """Everything a run can be configured with."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    provider: str = "vllm"
    """Preset for both roles: vllm, llamacpp, ollama, openrouter, fireworks, deepinfra, llama-api."""
    scout: RoleConfig = RoleConfig()
    """Long-context role: reads the whole pack, proposes candidates, answers questions."""
    maverick: RoleConfig = RoleConfig()
    """Tool-calling role: investigates candidates with the repository tools."""
    run_tests: bool = False
    """Run the project's tests to check proposed fixes (in a scratch worktree, never in place)."""
    test_command: str | None = None
    """Command that runs the tests (``pytest -q``); ``None`` = detect from the repository."""
    max_turns: int = Field(default=40, ge=1)
    """Tool-loop turns per run, over all investigations."""
    max_tokens: int = Field(default=2_000_000, ge=1)
    """Prompt + completion tokens per run, over both roles."""
    max_cost: float | None = Field(default=None, ge=0.0)
    """Cost per run in the configured price units; ``None`` = unlimited."""
    timeout: float = Field(default=1800.0, gt=0)
    """Wall-clock seconds per run."""
    concurrency: int = Field(default=4, ge=1, le=64)
    """Candidates investigated at once."""
    checkpointer: str = "sqlite"
    """Run state store: ``sqlite`` (under REPOAGENT_HOME), ``sqlite:PATH``, ``memory``, or a
    ``postgresql://`` DSN (needs the ``postgres`` extra)."""

    _origins: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def origins(self) -> dict[str, str]:
        """Where each value came from: ``scout.model`` -> ``environment``, ``.repoagent.toml``…"""
        return dict(self._origins)

    @field_validator("checkpointer")
    @classmethod
    def _known_checkpointer(cls, value: str) -> str:
        if value in ("sqlite", "memory") or value.startswith(
            ("sqlite:", "postgres://", "postgresql://")
        ):
            return value
        raise ValueError("must be 'sqlite', 'sqlite:PATH', 'memory' or a postgresql:// DSN")

    def role(self, name: str) -> RoleConfig:
        """The configuration of role ``scout`` or ``maverick``."""
        if name not in ROLES:
            raise KeyError(f"unknown role {name!r}; roles are scout and maverick")
        config: RoleConfig = getattr(self, name)
        return config
