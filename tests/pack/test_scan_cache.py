"""Cached secret scans are keyed by the scanner itself: an upgrade rescans what it scanned."""

from __future__ import annotations

import shutil
from pathlib import Path

import repoagent.pack.bodies as bodies
from repoagent.pack.redaction import Redaction
from tests.pack.helpers import pack

AWS = "AKIAQYLPMN5HHHFPZAM2"


def test_a_changed_scanner_rescans_the_files_an_older_one_scanned(
    make_repo, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"settings.py": f'AWS_KEY = "{AWS}"\n', "app.py": "print(1)\n"})
    # The installed package, as an older release: its scanner missed the key.
    old = tmp_path / "old"
    old.mkdir()
    shutil.copy(Path(bodies.__file__).with_name("secrets.py"), old / "secrets.py")
    with (old / "secrets.py").open("a") as source:
        source.write("\n# an older scanner\n")
    monkeypatch.setattr(bodies, "__file__", str(old / "bodies.py"))
    bodies.secrets_params.cache_clear()

    def missing_everything(job: tuple[str, str]) -> list[Redaction]:
        return []

    monkeypatch.setattr(bodies, "_scan", missing_everything)
    assert AWS in pack(repo.working_tree_dir).text
    # The upgrade: a scanner that finds the key, the same blobs, the same cache.
    monkeypatch.undo()
    bodies.secrets_params.cache_clear()
    text = pack(repo.working_tree_dir).text
    assert AWS not in text and "[REDACTED:AWS Access Key]" in text
