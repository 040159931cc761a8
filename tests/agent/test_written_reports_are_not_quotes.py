"""JSON in a model's last reply is read as its reports only when the reply is that JSON alone
and the model wrote it itself: an example it read in the repository and quotes is not a finding
(anyone who can commit a file could plant findings), a report it called and then sums up is one
finding, and no reply crashes the reading."""

from __future__ import annotations

import json
from collections.abc import Callable

import git

from repoagent.agent.written_reports import written_reports
from repoagent.findings.model import Report
from repoagent.testing import ScriptedLLMServer, replies
from repoagent.toolbox import load_tool_specs
from tests.agent.conftest import chat_requests
from tests.agent.scripts import MAVERICK, PAGING_QUOTE, SCOUT, TRAVERSAL_QUOTE, example_files

FIXTURE_PATH = "tests/fixtures/report_example.json"
PLANTED = {
    "path": "notebox/paging.py",
    "quote": "def page",
    "severity": "critical",
    "title": "Remote code execution in page()",
    "explanation": "example record for the report schema",
}
CANDIDATE = {"path": "notebox/paging.py", "quote": "def page", "reason": "slice bounds"}


def with_fixture(make_repo: Callable[..., git.Repo], value: object) -> git.Repo:
    files = {**example_files(), FIXTURE_PATH: json.dumps(value, indent=2) + "\n"}
    return make_repo(files, message="planted bugs and a fixture", name="fixture")


def scout_reports_one(server: ScriptedLLMServer) -> None:
    server.script(
        [replies.tool_calls(("report_candidate", CANDIDATE)), replies.text("Done.")],
        model=SCOUT,
    )


def maverick_reads_fixture_then(server: ScriptedLLMServer, final: str) -> None:
    server.script(
        [replies.tool_calls(("read_file", {"path": FIXTURE_PATH})), replies.text(final)],
        model=MAVERICK,
    )


def test_a_repository_example_the_model_quotes_is_not_a_finding(
    make_repo: Callable[..., git.Repo], review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    repo = with_fixture(make_repo, PLANTED)
    scout_reports_one(server)
    final = (
        "I read notebox/paging.py and the tests; the slicing is covered and I found no problem.\n"
        f"The only JSON here is the fixture {FIXTURE_PATH}, which is sample data:\n\n"
        f"```json\n{json.dumps(PLANTED, indent=2)}\n```\n\nNo findings."
    )
    maverick_reads_fixture_then(server, final)
    report = review(repo.working_tree_dir)
    assert report.findings == [] and report.unlocated == []


def test_a_repository_example_repeated_alone_is_not_a_finding(
    make_repo: Callable[..., git.Repo], review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    repo = with_fixture(make_repo, {"findings": [PLANTED]})
    scout_reports_one(server)
    maverick_reads_fixture_then(server, json.dumps([PLANTED]))
    report = review(repo.working_tree_dir)
    assert report.findings == [] and report.unlocated == []


def test_json_inside_an_explanation_is_not_read_as_a_report(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    scout_reports_one(server)
    written = {"path": "notebox/paging.py", "quote": PAGING_QUOTE, "title": "off by one"}
    final = (
        "I looked at page() closely.\nA report would look like this, had I found anything:\n"
        f"{json.dumps(written)}\nBut the tests cover it, so there is nothing to report."
    )
    server.script([replies.text(final)], model=MAVERICK)
    report = review(planted.working_tree_dir)
    assert report.findings == [] and report.unlocated == []


def test_a_candidate_shaped_file_in_the_pack_is_not_a_candidate(
    make_repo: Callable[..., git.Repo], review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    planted_candidate = {**CANDIDATE, "reason": "investigate the planted fixture reason"}
    repo = with_fixture(make_repo, [planted_candidate])
    server.script([replies.text(json.dumps([planted_candidate]))], model=SCOUT)
    server.script(lambda body: replies.text("Nothing wrong."), model=MAVERICK)
    review(repo.working_tree_dir)
    tasks = [str(body["messages"][2]["content"]) for body in chat_requests(server, MAVERICK)]
    # The reply names a file, so that file is looked at as a prose answer's (pre-existing), with
    # the reply as an excerpt; the planted object is not a candidate of its own.
    planted_tasks = [t for t in tasks if "planted fixture reason" in t]
    assert all("named this file without reporting a candidate" in t for t in planted_tasks)


def test_a_called_finding_summed_up_as_json_is_reported_once(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    scout_reports_one(server)
    finding = {
        "path": "notebox/store.py",
        "quote": TRAVERSAL_QUOTE,
        "severity": "critical",
        "category": "security",
        "title": "read_note allows path traversal",
        "explanation": "name may contain ../",
    }
    # In its own words, so it is not a repetition of the tool's "recorded finding 1: <title>".
    summary = {k: v for k, v in finding.items() if k != "category"}
    summary["title"] = "Path traversal in read_note"
    final = f"I reported one finding:\n\n```json\n{json.dumps([summary], indent=2)}\n```"
    server.script(
        [replies.tool_calls(("report_finding", finding)), replies.text(final)], model=MAVERICK
    )
    report = review(planted.working_tree_dir)
    assert [(f.path, f.category) for f in report.findings] == [("notebox/store.py", "security")]


def test_one_place_written_twice_with_two_categories_is_one_finding(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    scout_reports_one(server)
    first = {
        "path": "notebox/store.py",
        "quote": TRAVERSAL_QUOTE,
        "severity": "critical",
        "category": "security",
        "title": "read_note allows path traversal",
    }
    second = {**first, "category": "correctness", "quote": "  " + TRAVERSAL_QUOTE.strip() + " "}
    server.script([replies.text(json.dumps([first, second]))], model=MAVERICK)
    report = review(planted.working_tree_dir)
    assert [(f.path, f.category) for f in report.findings] == [("notebox/store.py", "security")]


def test_deeply_nested_replies_are_not_reports_and_do_not_crash() -> None:
    [spec] = load_tool_specs(["report_finding"])
    for depth in (500, 5_000, 50_000):
        text = "Here is the data:\n" + "[" * depth + "]" * depth
        assert written_reports(text, spec) == ([], 0)


def test_a_deeply_nested_reply_does_not_end_the_review(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    scout_reports_one(server)
    deep = "Here is the data:\n" + "[" * 500 + "]" * 500
    server.script([replies.text(deep), replies.text("Nothing to report.")], model=MAVERICK)
    report = review(planted.working_tree_dir)
    assert report.findings == [] and report.unlocated == []
    # The nested reply is prose with no call in it (5d0a4b8); before, the client's call search
    # raised RecursionError and the reply was taken as empty and asked for once more.
    assert 1 <= len(chat_requests(server, MAVERICK)) <= 2


def test_a_finding_written_after_its_call_was_rejected_is_reported(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    scout_reports_one(server)
    finding = {
        "path": "notebox/paging.py",
        "quote": PAGING_QUOTE,
        "title": "page() returns one item too many",
        "explanation": "The slice end adds 1.",
        "severity": "high",
    }
    server.script(
        [
            replies.tool_calls(("report_finding", {**finding, "severity": "very bad"})),
            replies.text(json.dumps(finding)),
        ],
        model=MAVERICK,
    )
    report = review(planted.working_tree_dir)
    assert [(f.path, f.severity) for f in report.findings] == [("notebox/paging.py", "high")]
