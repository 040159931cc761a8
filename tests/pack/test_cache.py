"""Token counts are cached by content: a warm run tokenizes nothing it has seen."""

from __future__ import annotations

import pytest

from repoagent.cache import BlobCache
from repoagent.home import state_path
from tests.conftest import commit_files
from tests.pack.helpers import pack

FILES = {f"src/m{i}.py": f"def f{i}():\n    return {i}\n" for i in range(12)} | {
    "README.md": "# r\n"
}


@pytest.mark.parametrize("budget", [None, 300])
def test_warm_run_tokenizes_nothing(make_repo, budget) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(FILES)
    cold = pack(repo, budget=budget)
    assert cold.texts_tokenized > 0
    warm = pack(repo, budget=budget)
    assert warm.texts_tokenized == 0
    assert warm.text == cold.text


def test_next_commit_counts_only_what_changed(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(FILES)
    first = pack(repo)
    commit_files(repo, {"src/m3.py": "def f3():\n    return 'changed'\n"})
    second = pack(repo)
    # The changed file, plus the document's own small parts that mention the new revision
    # and totals (header, tree, manifest); none of the eleven unchanged files.
    assert 0 < second.texts_tokenized <= 4
    assert second.texts_tokenized < first.texts_tokenized


def test_corrupt_cache_is_rebuilt_with_a_warning(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(FILES)
    expected = pack(repo).text
    BlobCache().close()
    state_path("cache", "blobs.sqlite").write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        state_path("cache", "blobs.sqlite" + suffix).unlink(missing_ok=True)
    with pytest.warns(RuntimeWarning, match="rebuilding"):
        again = pack(repo)
    assert again.text == expected
