"""Configuration: two model roles over any OpenAI-compatible endpoint, plus run settings.

Layers, later wins: code defaults (with the ``vllm`` preset) < ``[tool.repoagent]`` in
``pyproject.toml`` < ``.repoagent.toml`` < ``REPOAGENT_*`` environment < CLI flags.
Environment: ``REPOAGENT_PROVIDER``, ``REPOAGENT_BASE_URL`` (both roles),
``REPOAGENT_SCOUT_BASE_URL``, ``REPOAGENT_SCOUT_MODEL``, ``REPOAGENT_MAVERICK_BASE_URL``,
``REPOAGENT_MAVERICK_MODEL`` and generally ``REPOAGENT_<FIELD>`` / ``REPOAGENT_<ROLE>_<FIELD>``.
Keys: ``REPOAGENT_API_KEY`` (both roles) or the variable a role's ``api_key_env`` names; a key
written into a config file is refused. Example ``pyproject.toml``::

    [tool.repoagent]
    provider = "openrouter"          # preset for both roles
    max_cost = 2.0
    run_tests = true

    [tool.repoagent.maverick]
    model = "meta-llama/llama-4-maverick"
    input_price_per_m = 0.15
    output_price_per_m = 0.60
"""

from repoagent.config.layers import ConfigSource, disk_source, load_settings
from repoagent.config.presets import ProviderPreset, get_preset, load_presets
from repoagent.config.settings import ROLES, RoleConfig, Settings

__all__ = [
    "ROLES",
    "ConfigSource",
    "ProviderPreset",
    "RoleConfig",
    "Settings",
    "disk_source",
    "get_preset",
    "load_presets",
    "load_settings",
]
