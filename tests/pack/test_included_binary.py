"""A binary file brought back with --include is shown as text without NUL bytes."""

from __future__ import annotations

from tests.pack.helpers import FORMATS, by_path, pack, whole_count

PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10" + bytes(range(256))


def test_an_included_binary_file_has_no_nul_bytes(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"logo.png": PNG, "a.py": "x = 1\n"})
    assert by_path(pack(repo))["logo.png"].reason == "binary"
    for fmt in FORMATS:
        result = pack(repo, include=("*.png",), format=fmt)
        assert by_path(result)["logo.png"].level == "full"
        assert "\0" not in result.text
        assert "IHDR" in result.text
        assert whole_count(result.text) == result.tokens
