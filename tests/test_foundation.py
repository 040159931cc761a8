"""The foundation: state directory, error exits, the blob cache."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest

import repoagent
from repoagent.cache import BlobCache, blob_sha
from repoagent.cli.main import main
from repoagent.errors import ConfigError
from repoagent.home import repoagent_home


def test_home_follows_environment(isolated_home: Path) -> None:
    assert repoagent_home() == isolated_home


def test_blob_sha_matches_git(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.txt": "hello\n"})
    assert blob_sha(b"hello\n") == repo.head.commit.tree["a.txt"].hexsha


def test_cache_round_trip_and_corrupt_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    cache = BlobCache(path)
    cache.put("tokens", "llama4", "abc", 42)
    assert cache.get_many("tokens", "llama4", ["abc", "zzz"]) == {"abc": 42}
    assert cache.get("tokens", "o200k", "abc") is None
    cache.close()
    path.write_bytes(b"this is not a sqlite database" * 100)
    with pytest.warns(RuntimeWarning, match="rebuilding"):
        rebuilt = BlobCache(path)
    assert rebuilt.get("tokens", "llama4", "abc") is None
    rebuilt.put("tokens", "llama4", "abc", 7)
    assert rebuilt.get("tokens", "llama4", "abc") == 7
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT count(*) FROM blobs").fetchone() == (1,)
    rebuilt.close()


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2
    assert capsys.readouterr().err == (
        "repoagent: error: No such command 'no-such-command' (see 'repoagent --help')\n"
    )


def test_version() -> None:
    assert repoagent.__version__


def test_an_internal_bug_is_one_line_and_exit_4(
    make_repo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    isolated_home: Path,
) -> None:  # type: ignore[no-untyped-def]
    import repoagent.pack

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("something we did not expect")

    monkeypatch.setattr(repoagent.pack, "pack_repository", broken)
    repo = make_repo({"a.py": "x = 1\n"})
    with pytest.raises(SystemExit) as exc:
        main(["pack", repo.working_tree_dir])
    assert exc.value.code == 4
    err = capsys.readouterr().err
    assert "internal error: ValueError: something we did not expect" in err
    assert "Traceback" not in err
    crash = isolated_home / "logs" / "last-crash.txt"
    assert "Traceback" in crash.read_text()


def test_a_cache_dropped_without_close_closes_its_database(tmp_path: Path) -> None:
    import gc

    cache = BlobCache(tmp_path / "c.sqlite")
    connection = cache._db
    assert connection is not None
    del cache
    gc.collect()
    with pytest.raises(sqlite3.ProgrammingError):  # closed: Python 3.13 warns about open ones
        connection.execute("SELECT 1")


def test_a_corrupt_cache_leaves_no_connection_open(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[sqlite3.Connection] = []
    connect = sqlite3.connect

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(sqlite3, "connect", recording)
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a sqlite database" * 100)
    with pytest.warns(RuntimeWarning, match="rebuilding"):
        cache = BlobCache(path)
    assert len(opened) == 2 and opened[1] is cache._db
    with pytest.raises(sqlite3.ProgrammingError):
        opened[0].execute("SELECT 1")  # the one that met the corrupt file was closed
    cache.close()


def _unusable_homes(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """REPOAGENT_HOME values that cannot be used -> (value, why the user is told)."""
    regular = tmp_path / "a-file"
    regular.write_text("not a directory\n")
    return {
        "a regular file": (str(regular), "it is not a directory"),
        "/dev/null": (os.devnull, "it is not a directory"),
        "below a file": (str(regular / "home"), "it cannot be created: Not a directory"),
    }


@pytest.mark.parametrize("kind", ["a regular file", "/dev/null", "below a file"])
def test_an_unusable_home_is_one_line_and_exit_2(
    make_repo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    kind: str,
) -> None:  # type: ignore[no-untyped-def]
    value, why = _unusable_homes(tmp_path)[kind]
    monkeypatch.setenv("REPOAGENT_HOME", value)
    repo = make_repo({"a.py": "x = 1\n"})
    with pytest.raises(SystemExit) as exc:
        main(["pack", repo.working_tree_dir])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err == f"repoagent: error: REPOAGENT_HOME={value} is unusable: {why}\n"
    with pytest.raises(ConfigError, match="REPOAGENT_HOME"):
        repoagent_home()


def test_a_crash_with_an_unusable_home_says_why_the_traceback_is_not_saved(
    make_repo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    import repoagent.pack

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("something we did not expect")

    monkeypatch.setattr(repoagent.pack, "pack_repository", broken)
    repo = make_repo({"a.py": "x = 1\n"})
    monkeypatch.setenv("REPOAGENT_HOME", os.devnull)
    with pytest.raises(SystemExit) as exc:
        main(["pack", repo.working_tree_dir])
    assert exc.value.code == 4
    assert capsys.readouterr().err == (
        "repoagent: internal error: ValueError: something we did not expect\n"
        f"repoagent: the traceback could not be saved: REPOAGENT_HOME={os.devnull} is unusable: "
        "it is not a directory\n"
    )
