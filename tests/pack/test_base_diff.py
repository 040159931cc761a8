"""`--base`: the diff shows only what the pack itself may show, and secrets never appear."""

from __future__ import annotations

import pytest

from tests.conftest import commit_files
from tests.pack.helpers import FORMATS, pack, root_of, whole_count
from tests.pack.test_secrets import AWS, GITHUB

ENV_SECRET = "DB_PASSWORD=supersecretvalue123"
NEW_ENV_SECRET = "SESSION_SIGNING=q8Zr2LmX0pVtWwQ"


@pytest.fixture
def branch(make_repo):  # type: ignore[no-untyped-def]
    """A repository whose branch changes code, a secret file, a lock file and an excluded file."""
    repo = make_repo(
        {
            "app/main.py": "def main():\n    return 1\n",
            "app/old.py": "def gone():\n    return 0\n",
            ".env": ENV_SECRET + "\n",
            "old.env": "LEGACY_TOKEN=abcdef123456\n",
            "package-lock.json": '{"lockfileVersion": 3}\n',
            "docs/notes.md": "# Notes\n",
        }
    )
    repo.git.checkout("-b", "feature")
    commit_files(
        repo,
        {
            "app/main.py": "def main():\n    return 2  # changed on the branch\n",
            ".env": NEW_ENV_SECRET + "\n",
            "package-lock.json": '{"lockfileVersion": 3, "packages": {"left-pad": {}}}\n',
            "docs/notes.md": "# Notes\n\nA changed note.\n",
        },
        "feature work",
    )
    repo.git.rm("app/old.py", "old.env")
    repo.git.commit("-m", "remove old files")
    return repo


def test_secret_files_never_reach_the_diff(branch) -> None:  # type: ignore[no-untyped-def]
    for fmt in FORMATS:
        result = pack(branch, base="main", format=fmt)
        text = result.text
        assert "supersecretvalue123" not in text and "q8Zr2LmX0pVtWwQ" not in text
        assert "LEGACY_TOKEN" not in text  # deleted on the branch, still a secret file
        entries = {f.path: f for f in result.files}
        assert entries[".env"].reason == "secret-file"


def test_the_diff_leaves_out_what_the_pack_leaves_out(branch) -> None:  # type: ignore[no-untyped-def]
    result = pack(branch, base="main", exclude=("docs/**",))
    diff = result.diff or ""
    assert "return 2  # changed on the branch" in diff
    assert "def gone()" in diff  # a deleted source file is part of the change
    assert "left-pad" not in diff  # lock file
    assert "A changed note." not in diff  # excluded by the user's glob
    assert result.tokens <= 10**6


def test_a_directory_pack_shows_only_its_own_changes(branch) -> None:  # type: ignore[no-untyped-def]
    root = root_of(branch)
    result = pack(root, base="main", within="docs")
    diff = result.diff or ""
    assert "A changed note." in diff
    assert "changed on the branch" not in diff and "def gone()" not in diff


def test_a_secret_in_the_query_is_redacted(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "x = 1\n"})
    for fmt in FORMATS:
        text = pack(repo, query=f"why does the deploy with token {GITHUB} fail?", format=fmt).text
        assert GITHUB not in text
        assert "REDACTED:GitHub Token" in text
        assert "why does the deploy" in text


def test_a_diff_too_big_for_the_budget_is_cut_by_whole_files(make_repo) -> None:  # type: ignore[no-untyped-def]
    big = "".join(f"def step_{i}(x):\n    return x + {i}\n\n" for i in range(600))
    repo = make_repo({"big.py": big, "small.py": "A = 1\n", "util.py": "B = 2\n"})
    repo.git.checkout("-b", "feature")
    commit_files(
        repo,
        {
            "big.py": big.replace("return x", "return -x"),
            "small.py": "A = 2\n",
            "util.py": "B = 3\n",
        },
        "rewrite",
    )
    whole_diff = pack(repo, base="main").diff or ""
    assert "return -x" in whole_diff
    result = pack(repo, base="main", budget=4000)  # the whole diff alone is far over 4,000
    assert whole_count(result.text) == result.tokens <= 4000
    diff = result.diff or ""
    assert "+A = 2" in diff and "+B = 3" in diff  # the files that fit are there, whole
    assert "return -x" not in diff
    assert "1 more changed file not shown" in diff


def test_a_secret_in_the_diff_keeps_the_patch_well_formed(make_repo) -> None:  # type: ignore[no-untyped-def]
    key = "-----BEGIN RSA PRIVATE KEY-----\n" + "".join(f"{'A' * 60}{i}\n" for i in range(5))
    key += "-----END RSA PRIVATE KEY-----\n"
    repo = make_repo({"deploy.py": "HOST = 'x'\n"})
    repo.git.checkout("-b", "feature")
    commit_files(repo, {"deploy.py": f"HOST = 'x'\nKEY = '''\n{key}'''\nPORT = 22\n"}, "key")
    diff = pack(repo, base="main").diff or ""
    assert "AAAAAAAAAA" not in diff and "[REDACTED:Private Key]" in diff
    hunk = diff[diff.index("@@") :].splitlines()
    added = int(hunk[0].split("+")[1].split(",")[1].split(" ")[0])
    assert sum(1 for line in hunk[1:] if line.startswith(("+", " "))) == added
    assert all(line[:1] in "+- " for line in hunk[1:] if line)  # every body line keeps a prefix
    assert "+PORT = 22" in diff


def test_a_change_inside_a_private_key_shows_none_of_its_lines(make_repo) -> None:  # type: ignore[no-untyped-def]
    body = [f"{chr(65 + i % 26) * 8}Zk9{i:02d}" + "Qm8xR2" * 8 + "w+/" for i in range(20)]
    key = "\n".join(["-----BEGIN RSA PRIVATE KEY-----", *body, "-----END RSA PRIVATE KEY-----"])
    repo = make_repo({"keys.py": f"KEY = '''\n{key}\n'''\n"})
    repo.git.checkout("-b", "feature")
    changed = key.replace(body[10], body[10][::-1])
    commit_files(repo, {"keys.py": f"KEY = '''\n{changed}\n'''\n"}, "rotate one line")
    diff = pack(repo, base="main").diff or ""
    assert "@@" in diff and "[REDACTED:Private Key]" in diff
    for line in body:  # the hunk holds no BEGIN line, yet no line of the key shows
        assert line not in diff and line[::-1] not in diff
    assert all(row[:1] in "+- @di\\" for row in diff.splitlines() if row)


def test_redactions_in_the_diff_and_query_are_counted(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"big.py": "x = 1\n" * 200, "conf.py": "HOST = 'a'\n"})
    repo.git.checkout("-b", "feature")
    commit_files(repo, {"conf.py": f"HOST = 'a'\nAWS_KEY = \"{AWS}\"\n"}, "key")
    result = pack(repo, base="main", budget=700, query=f"is {GITHUB} still valid?")
    assert "REDACTED:AWS Access Key" in (result.diff or "")
    in_files = sum(f.redactions for f in result.files if f.level in ("full", "outline"))
    assert result.redactions == in_files + 2  # one in the diff, one in the query
    assert f'redactions="{result.redactions}"' in result.text


def test_a_diff_is_cut_further_when_the_skeleton_leaves_it_no_room(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = {f"module_{i:02d}.py": f"VALUE_{i} = {i}\n" for i in range(30)}
    repo = make_repo(files)
    repo.git.checkout("-b", "feature")
    commit_files(repo, {"module_00.py": "VALUE_0 = 'a much longer value' * 3\n" * 12}, "grow")
    budget = 560
    whole_diff = whole_count(pack(repo, base="main").diff or "")
    assert whole_diff <= budget // 2  # under the diff's share: only the skeleton crowds it out
    result = pack(repo, base="main", budget=budget)
    assert whole_count(result.text) == result.tokens <= budget
    assert "more changed file" in (result.diff or "")  # cut, and said so, instead of an error


def test_a_worktree_diff_shows_new_untracked_files(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"app.py": "A = 1\n", ".gitignore": "*.log\n"})
    root = root_of(repo)
    (root / "app.py").write_text("A = 2\n")
    (root / "feature.py").write_text("def new_feature():\n    return 42\n")
    (root / "debug.log").write_text("ignored\n")
    (root / ".env").write_text("TOKEN=abcdef123456\n")
    result = pack(repo, worktree=True, base="HEAD")
    diff = result.diff or ""
    assert "+A = 2" in diff
    assert "diff --git a/feature.py b/feature.py" in diff and "+    return 42" in diff
    assert "debug.log" not in diff and "abcdef123456" not in diff
    assert "feature.py" in {f.path for f in result.files if f.level == "full"}
    status = repo.git.status("--porcelain", "--untracked-files=all")
    assert status.count("??") == 2 and " M app.py" in status  # nothing staged or changed
