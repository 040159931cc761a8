"""What a redacted file looks like in the pack: line numbers stay true, URLs stay URLs, and
comparisons with a literal are code, not secrets."""

from __future__ import annotations

from pathlib import Path

from tests.pack.helpers import by_path, pack, root_of, run_cli, whole_count

PEM_LINES = [
    "-----BEGIN RSA PRIVATE KEY-----",
    *(f"MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8mP0KZ1e8CF3aF0Gm2xWjk{i:02d}" for i in range(20)),
    "-----END RSA PRIVATE KEY-----",
]
# Line 1 opens the string, lines 2-23 are the key block, line 24 closes it.
KEY_MODULE = (
    'KEY = """\n' + "\n".join(PEM_LINES) + '\n"""\n\n\ndef handler(event):\n    return KEY\n'
)
HANDLER_LINE = 27


def test_line_numbers_after_a_private_key_block_are_the_files(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"keys.py": KEY_MODULE})
    code, out, _ = run_cli(
        capsys, "pack", str(root_of(repo)), "--format", "plain", "--line-numbers"
    )
    assert code == 0
    assert PEM_LINES[5] not in out
    assert " 2: [REDACTED:Private Key]\n" in out
    assert f"{HANDLER_LINE}: def handler(event):\n" in out
    assert f"{HANDLER_LINE + 1}:     return KEY\n" in out


def test_outline_after_a_private_key_block_has_the_files_line_numbers(make_repo) -> None:  # type: ignore[no-untyped-def]
    methods = "".join(
        f"    def m{i}(self):\n" + "".join(f"        x{j} = {j} * {i}\n" for j in range(20))
        for i in range(10)
    )
    repo = make_repo({"big.py": KEY_MODULE + f"\n\nclass Big:\n{methods}", "small.py": "a = 1\n"})
    result = pack(repo, budget=700)
    assert by_path(result)["big.py"].level == "outline"
    assert PEM_LINES[5] not in result.text
    assert f"{HANDLER_LINE}│def handler(event):" in result.text
    assert f"{HANDLER_LINE + 4}│class Big:" in result.text


def test_crlf_line_breaks_survive_redaction(make_repo, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    crlf = "\r\n".join(PEM_LINES) + "\r\nafter = 1\r\n"
    settings = "db_password: hunter2hunter2\r\nname: demo\r\n"
    legacy = "\r".join(PEM_LINES) + "\rold_mac = 1\r" + settings.replace("\r\n", "\r")
    repo = make_repo(
        {
            "certs.py": crlf.encode(),
            "settings.yaml": settings.encode(),
            "legacy.yaml": legacy.encode(),
        }
    )
    out = tmp_path / "pack.txt"
    code, _, _ = run_cli(capsys, "pack", str(root_of(repo)), "--format", "plain", "-o", str(out))
    assert code == 0
    text = out.read_bytes().decode()
    assert "hunter2hunter2" not in text and PEM_LINES[5] not in text
    assert "db_password: [REDACTED:Secret Keyword]\r\nname: demo\r\n" in text
    assert "[REDACTED:Private Key]" + "\r\n" * 22 + "after = 1\r\n" in text
    assert "[REDACTED:Private Key]" + "\r" * 22 + "old_mac = 1\r" in text
    assert "db_password: [REDACTED:Secret Keyword]\rname: demo\r" in text


def test_warm_cache_counts_the_redacted_document_exactly(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"keys.py": KEY_MODULE, "app.py": "print('hi')\n"})
    for _ in range(2):  # the second pack takes every count from the cache
        for line_numbers in (False, True):
            result = pack(repo, line_numbers=line_numbers)
            assert PEM_LINES[5] not in result.text
            assert result.tokens == whole_count(result.text)


def test_short_basic_auth_password_keeps_the_url(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(
        {
            "urls.py": (
                'SHORT = "http://nobody:secret@example.com/x"\n'
                'LONG = "https://nobody:longersecret@example.com/x"\n'
                'TINY = "http://u:x@localhost/"\n'
            )
        }
    )
    result = pack(repo)
    assert "secret@" not in result.text
    assert "http://nobody:[REDACTED:Basic Auth Credentials]@example.com/x" in result.text
    assert "https://nobody:[REDACTED:Basic Auth Credentials]@example.com/x" in result.text
    assert "http://u:x@localhost/" in result.text


def test_github_and_gitlab_tokens_are_redacted_whole(make_repo) -> None:  # type: ignore[no-untyped-def]
    gitlab = "glpat-Xq3vR8mN2kL7pT4wZ9yB"
    github = "ghp_R8x2bQ7mN4kP9vL3tY6wZ1cF5hJ0sD8aE2gU"
    repo = make_repo({"ci.sh": f"GL={gitlab}\nGH={github}\n"})
    result = pack(repo)
    assert "Xq3vR8mN2kL7pT4wZ9yB" not in result.text and "R8x2bQ7mN4kP9vL3" not in result.text
    assert "GL=[REDACTED:GitLab Token]\nGH=[REDACTED:GitHub Token]\n" in result.text


COMPARISONS = {
    "user.py": (
        "if self.update_password == 'always' and self.password is not None:\n"
        "    pass\n"
        'if password != "changeme1":\n'
        "    pass\n"
        "ok = 'on_create' == self.update_password\n"
    ),
    "check.js": "if (secret === 'expected1') {}\nif (passwd !== \"expected2\") {}\n",
    "tasks.yml": "- assert:\n    that:\n      - result.remote_password == 'password1'\n",
}


def test_comparisons_with_a_literal_are_not_redacted(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(COMPARISONS)
    result = pack(repo)
    assert "[REDACTED" not in result.text
    assert "self.update_password == 'always'" in result.text
    assert "'on_create' == self.update_password" in result.text
    assert "result.remote_password == 'password1'" in result.text
    assert result.redactions == 0


ASSIGNMENTS = {
    "settings.py": 'password = "hunter2xyz"\nDB = {"password": "s3cr3tvalue"}\n',
    "config.yml": 'db:\n  password: "yamlsecret1"\n  api_key: plainsecret2\n',
    "config.php": "<?php $c = ['password' => 'phpsecret3'];\n",
    "deploy.sh": 'export PASSWORD="shellsecret4"\n',
    "main.go": 'package main\n\nfunc f() {\n\tpassword := "gosecret5"\n\t_ = password\n}\n',
}


def test_assignments_next_to_comparisons_are_still_redacted(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = dict(ASSIGNMENTS)
    files["mixed.py"] = 'if mode == "x":\n    password = "mixedsecret6"\n'
    files["one_line.py"] = 'ok = user_password == "guess1"; password = "sameline7"\n'
    result = pack(make_repo(files))
    for secret in (
        "hunter2xyz",
        "s3cr3tvalue",
        "yamlsecret1",
        "plainsecret2",
        "phpsecret3",
        "shellsecret4",
        "gosecret5",
        "mixedsecret6",
        "sameline7",
    ):
        assert secret not in result.text
    assert 'password = "[REDACTED:Secret Keyword]"' in result.text
    assert 'export PASSWORD="[REDACTED:Secret Keyword]"' in result.text
    assert 'user_password == "guess1"; password = "[REDACTED:Secret Keyword]"' in result.text


LOOKALIKES = {
    "app.py": (
        'password = os.environ["X"]\n'
        "password=None\n"
        "password = get_password()\n"
        "password=get_password()\n"
        'if password == "x":\n'
        "    pass\n"
        'PASSWORD_FIELD = "password"\n'
        "connect(password=db_password, PULP_PASSWORD=pulp_password)\n"
    ),
    "deploy.sh": (
        "export DB_PASSWORD=changeme\n"
        "export DB_PASSWORD=${DB_PASSWORD}\n"
        "MYSQL_PWD=$DB_PASSWORD mysql -u root\n"
        "export API_KEY=your-api-key\n"
        "export POSTGRES_PASSWORD_FILE=/run/secrets/db\n"
        "passwords=passwords\n"
    ),
    "Dockerfile": "ARG DB_PASSWORD\nENV DB_PASSWORD=$DB_PASSWORD\n",
    "tasks.yml": "- command: mysql password={{ password }}\n  password: '<password>'\n",
    "conf.xml": "<password>${db.password}</password>\n<password>changeme</password>\n",
    "settings.py": 'password = "changeme"\nDB = {"password": "your_password"}\n',
}


def test_code_references_and_placeholders_are_not_redacted(make_repo) -> None:  # type: ignore[no-untyped-def]
    result = pack(make_repo(LOOKALIKES), format="plain")
    assert "[REDACTED" not in result.text
    assert result.redactions == 0
    for text in LOOKALIKES.values():
        for line in text.splitlines():
            assert line in result.text
