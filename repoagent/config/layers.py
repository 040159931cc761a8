"""Layered configuration: defaults < project file < ``REPOAGENT_*`` environment < CLI flags.

Every layer is first flattened to dotted keys (``scout.model``, ``max_turns``) and merged by the
one function :func:`merge_layers`, which also remembers where each value came from (for
``repoagent doctor``). A ``provider`` named in a layer expands into that provider's preset at
that layer's precedence; explicit keys of the same layer win over its preset. Role fields given
at the top level (``base_url = …``, ``REPOAGENT_BASE_URL``) apply to both roles; per-role keys win.
"""

from __future__ import annotations

import difflib
import os
import tomllib
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from repoagent.config.presets import get_preset
from repoagent.config.settings import ROLES, RoleConfig, Settings
from repoagent.errors import ConfigError

ConfigSource = Callable[[str], str | None]
Layer = tuple[str, dict[str, Any]]
"""(origin label, nested raw values)"""

ROLE_FIELDS = tuple(RoleConfig.model_fields)
TOP_FIELDS = tuple(f for f in Settings.model_fields if f not in ROLES)
PROJECT_FILES = ("pyproject.toml", ".repoagent.toml")
TRUST_ENV = "REPOAGENT_TRUST_PROJECT_CONFIG"
_NOT_SETTINGS = {"REPOAGENT_API_KEY", "REPOAGENT_HOME", TRUST_ENV}
#: What a repository's own config files may set only when the user trusts them: where requests
#: carrying the user's API key go (base_url), which of the user's environment variables is
#: sent as the key (api_key_env), and running the repository's code (run_tests). A cloned
#: repository must not get these by committing a .repoagent.toml (one sent $MY_CLOUD_SECRET
#: to the server it named). A team's shared checkpointer may stay in the project's files.
UNTRUSTED_TOP = frozenset({"base_url", "api_key_env", "run_tests"})
UNTRUSTED_ROLE = frozenset({"base_url", "api_key_env"})


def disk_source(repo_root: Path) -> ConfigSource:
    """A config source reading project files on disk, from ``repo_root`` or the nearest parent
    holding one, up to the git work-tree root (so ``repoagent review src/`` finds the config)."""
    folder = _config_folder(Path(repo_root).resolve())

    def read(filename: str) -> str | None:
        path = folder / filename
        return path.read_text(encoding="utf-8") if path.is_file() else None

    return read


def _config_folder(start: Path) -> Path:
    for folder in (start, *start.parents):
        if any((folder / name).is_file() for name in PROJECT_FILES):
            return folder
        if (folder / ".git").exists():
            break
    return start


def file_layers(source: ConfigSource, trusted: bool = True) -> list[Layer]:
    """The project layers: ``[tool.repoagent]`` of pyproject.toml, then .repoagent.toml.
    Not ``trusted``: without the keys in ``UNTRUSTED_TOP``/``UNTRUSTED_ROLE`` (with a warning)."""
    layers = []
    for filename in PROJECT_FILES:
        text = source(filename)
        if text is None:
            continue
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            if filename == "pyproject.toml" and "[tool.repoagent" not in text:
                continue  # a broken pyproject.toml without our table is the project's business
            raise ConfigError(f"{filename}: invalid TOML: {exc}") from None
        if filename == "pyproject.toml":
            data = data.get("tool", {}).get("repoagent", {})
        if data:
            _refuse_keys(data, filename)
            if not trusted:
                data = _without_untrusted(data, filename)
            layers.append((filename, data))
    return layers


def _without_untrusted(data: Mapping[str, Any], filename: str) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for key, value in data.items():
        if key in UNTRUSTED_TOP:
            dropped.append(key)
        elif key in ROLES and isinstance(value, Mapping):
            role = {k: v for k, v in value.items() if k not in UNTRUSTED_ROLE}
            dropped += [f"{key}.{k}" for k in value if k in UNTRUSTED_ROLE]
            kept[key] = role
        else:
            kept[key] = value
    if dropped:
        warnings.warn(
            f"{filename}: ignored {', '.join(dropped)}: a repository's config may not choose "
            "where your API key is sent or run its code (set "
            f"{TRUST_ENV}=1 if you trust this repository, or use REPOAGENT_* / flags)",
            UserWarning,
            stacklevel=3,
        )
    return kept


def _refuse_keys(data: Mapping[str, Any], filename: str, prefix: str = "") -> None:
    for key, value in data.items():
        lowered = key.lower()
        if lowered != "api_key_env" and ("api_key" in lowered or lowered in ("key", "token")):
            raise ConfigError(
                f"{filename}: {prefix}{key}: API keys must not be stored in files; put the key "
                "in an environment variable and set api_key_env to its name"
            )
        if isinstance(value, Mapping):
            _refuse_keys(value, filename, f"{prefix}{key}.")


def env_layer(environ: Mapping[str, str]) -> Layer:
    """The ``REPOAGENT_*`` environment: ``REPOAGENT_<FIELD>`` and ``REPOAGENT_<ROLE>_<FIELD>``."""
    values: dict[str, Any] = {}
    for name, value in environ.items():
        if not name.startswith("REPOAGENT_") or name in _NOT_SETTINGS or value == "":
            continue
        key = name.removeprefix("REPOAGENT_").lower()
        role = next((r for r in ROLES if key.startswith(r + "_")), None)
        if role and key.removeprefix(role + "_") in ROLE_FIELDS:
            values.setdefault(role, {})[key.removeprefix(role + "_")] = value
        elif key in TOP_FIELDS or key in ROLE_FIELDS:
            values[key] = value
    return ("environment", values)


def cli_layer(overrides: Mapping[str, Any] | None) -> Layer:
    """CLI flags as a layer: nested dicts or dotted keys (``scout.model``); ``None`` = not given."""
    values: dict[str, Any] = {}
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            for sub, subvalue in value.items():
                if subvalue is not None:
                    values.setdefault(key, {})[sub] = subvalue
        elif "." in key:
            role, field = key.split(".", 1)
            values.setdefault(role, {})[field] = value
        else:
            values[key] = value
    return ("command line", values)


def expand_layer(origin: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten one layer to dotted keys, expanding presets; unknown keys raise ConfigError."""
    flat: dict[str, Any] = {}
    if "provider" in raw:
        flat["provider"] = raw["provider"]
        preset = get_preset(str(raw["provider"]))
        for role in ROLES:
            flat.update({f"{role}.{k}": v for k, v in preset.role_values(role).items()})
    for key, value in raw.items():
        if key in ROLES:
            continue
        if key in TOP_FIELDS:
            flat[key] = value
        elif key in ROLE_FIELDS:
            flat.update({f"{role}.{key}": value for role in ROLES})
        else:
            _unknown(origin, key, (*TOP_FIELDS, *ROLE_FIELDS, *ROLES))
    for role in ROLES:
        section = raw.get(role)
        if section is None:
            continue
        if not isinstance(section, Mapping):
            raise ConfigError(f"{origin}: {role} must be a table of settings")
        if "provider" in section:
            preset_values = get_preset(str(section["provider"])).role_values(role)
            flat.update({f"{role}.{k}": v for k, v in preset_values.items()})
        for key, value in section.items():
            if key not in ROLE_FIELDS:
                _unknown(origin, f"{role}.{key}", [f"{role}.{f}" for f in ROLE_FIELDS])
            flat[f"{role}.{key}"] = value
    return flat


def _unknown(origin: str, key: str, known: Any) -> None:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ConfigError(f"{origin}: unknown setting {key!r}{hint}")


def merge_layers(layers: list[Layer]) -> tuple[dict[str, Any], dict[str, str]]:
    """Merge layers in order (later wins); return flat values and each value's origin."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for origin, raw in layers:
        for key, value in expand_layer(origin, raw).items():
            values[key] = value
            origins[key] = origin
    return values, origins


def build_settings(values: Mapping[str, Any], origins: Mapping[str, str]) -> Settings:
    """Validate merged flat values into Settings; the first problem becomes a one-line error."""
    nested: dict[str, Any] = {}
    for key, value in values.items():
        if "." in key:
            role, field = key.split(".", 1)
            nested.setdefault(role, {})[field] = value
        else:
            nested[key] = value
    try:
        return Settings.model_validate(nested)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(p) for p in error["loc"])
        origin = origins.get(key, "defaults")
        message = error["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{key} ({origin}): {message}") from None


def load_settings(
    repo_root: Path | None,
    cli_overrides: Mapping[str, Any] | None = None,
    *,
    config_source: ConfigSource | None = None,
    environ: Mapping[str, str] | None = None,
    trust_project: bool | None = None,
) -> Settings:
    """Resolve settings: defaults < project config < environment < CLI flags.

    ``trust_project``: take the project files' endpoint, key, test and state settings too
    (``None``: when ``REPOAGENT_TRUST_PROJECT_CONFIG`` is set; the GitHub Action trusts the
    base branch's files, which the repository's maintainers wrote)."""
    environ = os.environ if environ is None else environ
    if trust_project is None:
        trust_project = environ.get(TRUST_ENV, "").strip().lower() in ("1", "true", "yes")
    layers: list[Layer] = [("defaults", {"provider": Settings.model_fields["provider"].default})]
    if config_source is None and repo_root is not None:
        config_source = disk_source(Path(repo_root))
    if config_source is not None:
        layers.extend(file_layers(config_source, trusted=trust_project))
    layers.append(env_layer(environ))
    layers.append(cli_layer(cli_overrides))
    values, origins = merge_layers(layers)
    settings = build_settings(values, origins)
    settings._origins = origins
    return settings
