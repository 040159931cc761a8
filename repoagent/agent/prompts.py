"""Fill the prompt templates in ``prompts/`` (``$name`` placeholders, ``string.Template``)."""

from __future__ import annotations

from string import Template

from repoagent.resources import read_prompt


def render_prompt(name: str, **values: object) -> str:
    """Return ``prompts/<name>.md`` with ``$placeholders`` replaced; unknown ones stay as written."""
    text = Template(read_prompt(f"{name}.md")).safe_substitute(
        {key: "" if value is None else str(value) for key, value in values.items()}
    )
    return text.rstrip() + "\n"


def optional_lines(query: str | None, lang: str | None) -> dict[str, str]:
    """Return the ``$query`` and ``$lang`` lines shared by the task prompts (empty when unset)."""
    return {
        "query": f"\nThe user asks you to focus on: {query}\n" if query else "",
        "lang": (
            f"\nWrite every title, reason and explanation in {lang}; keep code and quotes as they are.\n"
            if lang
            else ""
        ),
    }
