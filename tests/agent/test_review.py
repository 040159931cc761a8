"""End-to-end reviews of the planted-bugs example: real HTTP to the scripted server, the real
openai client, the real graph, real git repositories and tree-sitter."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from repoagent.agent import Budgets
from repoagent.agent.nodes.prepare import PROMPT_RESERVE
from repoagent.findings.model import Report
from repoagent.home import repoagent_home
from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.conftest import chat_requests
from tests.agent.scripts import (
    MAVERICK,
    PAGING_QUOTE,
    SCOUT,
    candidate_of,
    example_files,
    maverick_script,
    scout_script,
    turn_of,
)
from tests.conftest import commit_files

Review = Callable[..., Report]


def test_review_anchors_findings_checks_fixes_and_runs_tests(
    planted: git.Repo, review: Review, server: ScriptedLLMServer
) -> None:
    report = review(planted.working_tree_dir, run_tests=True)

    findings = {f.title: f for f in report.findings}
    assert set(findings) == {
        "page() returns one item too many",
        "read_note allows path traversal",
        "count_lines leaks a file handle",
    }
    off_by_one = findings["page() returns one item too many"]
    # The model said line 3; the quote is on line 16 and the report says so.
    assert (off_by_one.start_line, off_by_one.end_line) == (16, 16)
    assert off_by_one.fix is not None and off_by_one.fix.status == "verified"
    assert "start + size]" in off_by_one.fix.diff
    traversal = findings["read_note allows path traversal"]
    assert traversal.fix is not None and traversal.fix.status == "rejected"
    assert traversal.fix.reason
    leak = findings["count_lines leaks a file handle"]
    assert (leak.start_line, leak.end_line) == (31, 32)
    assert leak.fix is not None and leak.fix.status in ("applies", "verified")
    (unlocated,) = report.unlocated
    assert unlocated.finding.quote == "    return eval(name)"
    assert unlocated.reason

    assert report.run_id and report.stopped_by is None
    assert len(report.revision) == 40
    assert {c.path for c in report.coverage} >= {"notebox/paging.py", "notebox/store.py"}
    usage = {u.role: u for u in report.usage}
    assert usage["scout"].calls == 2 and usage["maverick"].calls == 9
    assert report.turns == 11
    trajectory = repoagent_home() / "runs" / report.run_id / "trajectory.jsonl"
    assert len(trajectory.read_text().splitlines()) == 11


def test_scout_request_starts_with_the_pack_and_ends_with_the_task(
    planted: git.Repo, review: Review, server: ScriptedLLMServer
) -> None:
    report = review(planted.working_tree_dir)
    first = chat_requests(server, SCOUT)[0]
    from repoagent.pack import PackOptions, pack_repository

    budget = 60000 - 4096 - PROMPT_RESERVE  # the scout's window minus output and prompt reserve
    pack = pack_repository(PackOptions(path=planted.working_tree_dir, budget=budget)).text
    assert report.run_id
    messages = first["messages"]
    assert messages[0]["role"] == "system"  # constant rules, the same bytes in every run
    assert messages[1] == {"role": "user", "content": pack}
    assert PAGING_QUOTE.strip() in pack
    assert messages[-1]["role"] == "user" and messages[-1]["content"].startswith("# Task")
    assert [t["function"]["name"] for t in first["tools"]] == ["report_candidate"]


def test_the_scout_prefix_is_byte_stable_across_runs(
    planted: git.Repo, review: Review, server: ScriptedLLMServer
) -> None:
    review(planted.working_tree_dir)
    server.script(scout_script(), model=SCOUT)
    review(planted.working_tree_dir)
    first, second = (body["messages"][:2] for body in chat_requests(server, SCOUT)[::2])
    assert json.dumps(first) == json.dumps(second)


def test_budget_exhaustion_gives_a_partial_report(
    planted: git.Repo, review: Review, server: ScriptedLLMServer
) -> None:
    report = review(planted.working_tree_dir, budgets=Budgets(max_turns=4), concurrency=1)
    assert report.stopped_by == "max-turns"
    assert report.turns == 4
    assert any("--max-turns" in note for note in report.notes)
    # Scout (2 calls) + 2 Maverick calls of the first candidate: no finding yet, but a report.
    assert report.findings == [] and report.coverage


def test_unusable_scout_falls_back_to_maverick_on_top_files(
    planted: git.Repo, review: Review, server: ScriptedLLMServer
) -> None:
    garbage = replies.tool_calls(("report_candidate", {"path": 3}))
    server.script([garbage, garbage], model=SCOUT)
    server.script(lambda body: replies.text("Nothing to report."), model=MAVERICK)
    report = review(planted.working_tree_dir)
    (note,) = [n for n in report.notes if n.startswith("Scout could not be used")]
    assert "notebox/" in note
    assert chat_requests(server, MAVERICK), "Maverick investigated instead"


def test_context_overflow_shrinks_the_pack_and_retries(
    make_repo: Callable[..., git.Repo], review: Review, server: ScriptedLLMServer
) -> None:
    filler = {
        f"notebox/extra_{i}.py": "".join(
            f"def helper_{i}_{j}(value):\n    return value * {j} + {i}  # keeps the pack big\n\n"
            for j in range(40)
        )
        for i in range(12)
    }
    repo = make_repo({**example_files(), **filler}, name="big")
    scout = [replies.context_overflow("vllm"), replies.context_overflow("openai"), *scout_script()]
    server.script(scout, model=SCOUT)
    report = review(repo.working_tree_dir)
    packs = [len(body["messages"][1]["content"]) for body in chat_requests(server, SCOUT)]
    # Each retry sends a smaller pack (the budget shrinks from what was sent, not from the
    # window), and the notes say so once.
    assert len(packs) == 4 and packs[0] > packs[1] > packs[2] == packs[3]
    (note,) = [n for n in report.notes if "shrunk" in n]
    assert "overflowed 2 times" in note
    assert len(report.findings) == 3


def test_resuming_a_finished_run_returns_its_report_without_model_calls(
    planted: git.Repo, review: Review, server: ScriptedLLMServer
) -> None:
    first = review(planted.working_tree_dir)
    calls = len(server.chat_requests)
    again = review(planted.working_tree_dir, resume=first.run_id)
    assert len(server.chat_requests) == calls
    assert again.model_dump() == first.model_dump()


@pytest.mark.parametrize("worktree", [False, True], ids=["revision", "worktree"])
def test_user_tree_and_index_are_byte_identical_after_a_review(
    planted: git.Repo, review: Review, server: ScriptedLLMServer, worktree: bool
) -> None:
    root = Path(planted.working_tree_dir or ".")
    (root / "notebox" / "paging.py").write_text("# uncommitted edit\n", encoding="utf-8")
    (root / "notebox" / "store.py").write_text("# staged edit\n", encoding="utf-8")
    planted.git.add("notebox/store.py")
    (root / "untracked.txt").write_text("scratch\n", encoding="utf-8")
    before = _tree_bytes(root)
    review(str(root), run_tests=True, worktree=worktree)
    assert _tree_bytes(root) == before


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_invalid_tool_calls_are_fed_back_once_then_dropped_and_counted(
    planted: git.Repo, review: Review, server: ScriptedLLMServer
) -> None:
    bad = replies.tool_calls(("grep", {"fixed_string": True}))  # no pattern: schema says required
    plans = {"never closes": [bad, bad]}
    server.script(maverick_script(plans), model=MAVERICK)
    report = review(planted.working_tree_dir)
    second = next(
        body
        for body in chat_requests(server, MAVERICK)
        if candidate_of(body, plans) and turn_of(body) == 1
    )
    feedback = second["messages"][-1]
    assert feedback["role"] == "tool" and feedback["content"].startswith("error:")
    assert "pattern" in feedback["content"]
    assert any("1 malformed tool call(s) were dropped" in note for note in report.notes)


def test_trajectory_records_every_call_with_secrets_redacted(
    make_repo: Callable[..., git.Repo],
    review: Review,
    server: ScriptedLLMServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "s3cr3t-value-0123456789"
    monkeypatch.setenv("NOTEBOX_API_KEY", secret)
    repo = make_repo({**example_files(), "notebox/config.py": f'KEY = "{secret}"\n'}, name="leaky")
    read_config = replies.tool_calls(("read_file", {"path": "notebox/config.py"}))
    server.script(maverick_script({"never closes": [read_config]}), model=MAVERICK)
    report = review(repo.working_tree_dir)
    run = repoagent_home() / "runs" / report.run_id
    recorded = "".join(
        p.read_text() for p in run.rglob("*") if p.is_file() and p.name != "replies.jsonl"
    )
    assert secret not in recorded
    assert "[REDACTED]" in recorded
    assert not (run / "pack.txt").exists()  # the unredacted pack is removed when the run ends
    lines = (run / "trajectory.jsonl").read_text().splitlines()
    assert len(lines) == report.turns


def test_base_review_packs_the_diff_and_says_so_in_the_task(
    planted: git.Repo, review: Review, server: ScriptedLLMServer
) -> None:
    root = Path(planted.working_tree_dir or ".")
    paging = (root / "notebox" / "paging.py").read_text()
    commit_files(
        planted,
        {
            "notebox/paging.py": paging + "\n\ndef last_page(items, size):\n"
            "    return page(items, len(items) // size, size)\n"
        },
        "add last_page",
    )
    report = review(str(root), base="HEAD~1")
    assert report.base == "HEAD~1"
    messages = chat_requests(server, SCOUT)[0]["messages"]
    assert "def last_page(items, size):" in messages[1]["content"]
    assert "changes since HEAD~1" in messages[-1]["content"]


def test_scout_calls_leaked_into_text_are_recovered(
    planted: git.Repo, review: Review, server: ScriptedLLMServer
) -> None:
    leaked = replies.leaked_calls(
        (
            "report_candidate",
            {
                "path": "notebox/store.py",
                "quote": "def count_lines(path):",
                "reason": "count_lines never closes its file",
            },
        ),
        style="pythonic",
    )
    server.script([leaked, replies.text("That is all.")], model=SCOUT)
    report = review(planted.working_tree_dir)
    assert [f.title for f in report.findings] == ["count_lines leaks a file handle"]
    assert not any(n.startswith("Scout could not be used") for n in report.notes)


def test_scout_refusing_tools_falls_back_but_a_dead_endpoint_ends_the_run(
    planted: git.Repo, review: Review, server: ScriptedLLMServer
) -> None:
    refused = replies.http_error(400, {"error": {"message": "tools are not supported"}})
    server.script([refused], model=SCOUT)
    server.script(lambda body: replies.text("Nothing to report."), model=MAVERICK)
    report = review(planted.working_tree_dir)
    assert any(n.startswith("Scout could not be used") for n in report.notes)
    assert report.stopped_by is None

    server.script([replies.server_error(503)], model=SCOUT)
    calls = len(chat_requests(server, MAVERICK))
    down = review(planted.working_tree_dir)
    assert down.stopped_by == "provider-error"
    assert len(chat_requests(server, MAVERICK)) == calls  # same endpoint: Maverick not tried


def test_scout_stops_once_it_has_enough_candidates(
    planted: git.Repo, review: Review, server: ScriptedLLMServer
) -> None:
    report = review(planted.working_tree_dir, max_candidates=2)
    assert len(chat_requests(server, SCOUT)) == 1  # no second pass over the whole pack
    assert "the first 2 were investigated" in " ".join(report.notes)
    assert len(report.findings) == 2
