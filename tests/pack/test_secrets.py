"""Planted secrets never reach the output, in any format."""

from __future__ import annotations

import pytest

from tests.pack.helpers import FORMATS, by_path, pack, run_cli

AWS = "AKIAQYLPMN5HHHFPZAM2"
GITHUB = "ghp_R8x2bQ7mN4kP9vL3tY6wZ1cF5hJ0sD8aE2gU"
PEM_BODY = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8mP0KZ1e8CF3aF0Gm2xWjkq"
PEM = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\nqK8n3Z4vX6bW2yR7tM1pL9cF5hJ0sD8a\n-----END RSA PRIVATE KEY-----\n"
FILES = {
    "config.py": f'AWS_ACCESS_KEY_ID = "{AWS}"\nREGION = "eu-west-1"\n',
    "deploy.sh": f"export GITHUB_TOKEN={GITHUB}\necho deployed\n",
    "keys/server.py": f'KEY = """\n{PEM}"""\n',
    "settings.yaml": "db_password: hunter2hunter2\nname: demo\n",
    ".env": f"AWS_KEY={AWS}\n",
    "certs/server.pem": PEM,
    "id_rsa": PEM,
}
PLANTED = (AWS, GITHUB, PEM_BODY, "hunter2hunter2")


@pytest.mark.parametrize("fmt", FORMATS)
def test_planted_secrets_never_appear(make_repo, fmt) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(FILES)
    result = pack(repo, format=fmt, line_numbers=fmt == "plain")
    for secret in PLANTED:
        assert secret not in result.text
    assert "[REDACTED:AWS Access Key]" in result.text
    assert "[REDACTED:GitHub Token]" in result.text
    assert "[REDACTED:Private Key]" in result.text
    assert "REGION" in result.text and "echo deployed" in result.text
    files = by_path(result)
    for path in (".env", "certs/server.pem", "id_rsa"):
        assert files[path].level is None and files[path].reason == "secret-file"
    assert files["config.py"].redactions == 1
    assert result.redactions >= 4


def test_secrets_in_the_base_diff_are_redacted(make_repo) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import commit_files

    repo = make_repo({"a.py": "x = 1\n"})
    repo.git.branch("base")
    commit_files(repo, {"a.py": f'x = 1\nKEY = "{AWS}"\n'})
    result = pack(repo, base="base")
    assert AWS not in result.text and AWS not in (result.diff or "")


def test_no_redact_warns_loudly(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"config.py": FILES["config.py"]})
    code, out, err = run_cli(capsys, "pack", repo.working_tree_dir, "--no-redact")
    assert code == 0
    assert AWS in out
    assert "WARNING" in err and "NOT" in err


SHELL_STYLE = "Sup3rS3cretValue99"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
UNQUOTED = {
    "deploy.sh": (
        f"export DB_PASSWORD={SHELL_STYLE}\n"
        f"export AWS_SECRET_ACCESS_KEY={AWS_SECRET}\n"
        f"MYSQL_PWD={SHELL_STYLE} mysql -u root\n"
    ),
    "docker-compose.yml": (
        "services:\n  db:\n    image: postgres\n    environment:\n"
        f"      - POSTGRES_PASSWORD={SHELL_STYLE}\n"
    ),
    "Dockerfile": f"FROM python:3.12\nENV DB_PASSWORD={SHELL_STYLE}\n",
    "cache.py": 'REDIS_URL = "redis://:p4ssw0rdXYZ@redis:6379/0"\n',
    "conf.xml": f"<config>\n  <password>{SHELL_STYLE}</password>\n</config>\n",
}


def test_unquoted_shell_xml_and_userless_url_secrets_keep_their_line(make_repo) -> None:  # type: ignore[no-untyped-def]
    result = pack(make_repo(UNQUOTED), format="plain")
    for secret in (SHELL_STYLE, AWS_SECRET, "p4ssw0rdXYZ"):
        assert secret not in result.text
    for line in (
        "export DB_PASSWORD=[REDACTED:Secret Keyword]\n",
        "export AWS_SECRET_ACCESS_KEY=[REDACTED:Secret Keyword]\n",
        "MYSQL_PWD=[REDACTED:Secret Keyword] mysql -u root\n",
        "      - POSTGRES_PASSWORD=[REDACTED:Secret Keyword]\n",
        "ENV DB_PASSWORD=[REDACTED:Secret Keyword]\n",
        'REDIS_URL = "redis://:[REDACTED:Basic Auth Credentials]@redis:6379/0"\n',
        "  <password>[REDACTED:Secret Keyword]</password>\n",
    ):
        assert line in result.text
