"""A `.env` file brought back with --include still has its values redacted (unquoted
``KEY=value`` and ``export KEY=value`` lines, which detect-secrets skips for such files)."""

from __future__ import annotations

from tests.pack.helpers import pack

ENV = "DEBUG=true\nDB_PASSWORD=hunter2hunter2\nexport STRIPE_API_KEY=abcd1234efgh5678\n"


def test_included_env_file_is_redacted(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"app.py": "print(1)\n", ".env.production": ENV, "deploy/prod.env": ENV})
    result = pack(repo, include=(".env.production", "deploy/prod.env"))
    assert "hunter2hunter2" not in result.text and "abcd1234efgh5678" not in result.text
    assert "DEBUG=true" in result.text
    assert "DB_PASSWORD=[REDACTED:Secret Keyword]" in result.text
    assert "export STRIPE_API_KEY=[REDACTED:Secret Keyword]" in result.text
    assert result.redactions == 4
