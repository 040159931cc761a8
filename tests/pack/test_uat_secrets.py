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
