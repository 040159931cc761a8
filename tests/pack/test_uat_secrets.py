"""Acceptance findings on secrets in real non-Python packages (zod's tests), pinned small."""

from __future__ import annotations

from tests.pack.helpers import FORMATS, pack

BASE64_TEST = (
    "const valid = [\n"
    '  "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=", // "abcdefghijklmnopqrstuvwxyz"\n'
    '  "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=", // "ABCDEFGHIJKLMNOPQRSTUVWXYZ"\n'
    '  "0123456789abcdefABCDEF",\n'
    "];\n"
    'export const awsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";\n'
)


def test_an_alphabet_in_a_test_is_not_redacted_as_a_secret(make_repo) -> None:
    repo = make_repo({"src/base64.test.ts": BASE64_TEST})
    for fmt in FORMATS:
        text = pack(repo, format=fmt).text
        assert "abcdefghijklmnopqrstuvwxyz" in text
        assert "ABCDEFGHIJKLMNOPQRSTUVWXYZ" in text
        assert "0123456789abcdefABCDEF" in text
        assert "wJalrXUtnFEMI" not in text


PROVIDER_KEYS = {
    "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFGHijklMNOPqrstUVWX": "OpenAI Token",
    "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-abcdEFGHijklMNOPqrstUVWXyz01234567890123456789AA": (
        "Anthropic API Key"
    ),
    "AIzaSyD-abcdefghijklmnopqrstuvwxyz12345": "Google API Key",
    "npm_abcdefghijklmnopqrstuvwxyz0123456789": "NPM tokens",
    "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567": "Hugging Face Token",
}


def test_model_provider_keys_are_redacted_unquoted_in_every_format(make_repo) -> None:
    # An OpenAI project key, an Anthropic key, a Google API key, an npm token and a Hugging
    # Face token unquoted in a README or a YAML value went out as they were (detect-secrets
    # has no rule for them; quoted in code, only the entropy test caught some).
    keys = list(PROVIDER_KEYS)
    repo = make_repo(
        {
            "README.md": "".join(f"Try `{k}` here.\n" for k in keys),
            "ci.yaml": "".join(f"k{i}: {k}\n" for i, k in enumerate(keys)),
            "src/config.ts": "".join(f'export const k{i} = "{k}";\n' for i, k in enumerate(keys)),
            "main.go": "package main\n\n" + "".join(f"// {k}\n" for k in keys),
        }
    )
    for fmt in FORMATS:
        text = pack(repo, format=fmt).text
        for key, kind in PROVIDER_KEYS.items():
            assert key not in text
            assert key[:-6] not in text
            assert f"[REDACTED:{kind}]" in text
