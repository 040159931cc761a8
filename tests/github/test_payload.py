"""Inline comments only where the diff allows them; the payload is checked before sending."""

from __future__ import annotations

import pytest

from repoagent.errors import GitHubError
from repoagent.findings.model import Finding, Fix
from repoagent.github.diff import commentable_lines
from repoagent.github.payload import (
    build_review,
    comment_body,
    place_findings,
    review_problems,
    validate_review,
)

from .conftest import PullRequestRepo, bug_finding, leak_finding, outside_finding


def test_findings_inside_one_hunk_go_inline_others_to_summary(pr_repo: PullRequestRepo) -> None:
    lines = commentable_lines(pr_repo.path, pr_repo.base, pr_repo.head)
    unlocated = Finding(path="app.py", quote="x", title="t")
    placements = place_findings(
        [bug_finding(), leak_finding(), outside_finding(), unlocated], lines
    )
    assert [p.inline for p in placements] == [True, True, False, False]
    assert placements[2].reason == "lines outside the changed hunks"
    assert placements[3].reason == "not located in the code"
    payload = build_review([p.finding for p in placements if p.inline], pr_repo.head, "body")
    assert review_problems(payload, lines) == []
    multi, single = payload["comments"]
    assert (multi["start_line"], multi["line"], multi["side"], multi["start_side"]) == (
        14,
        15,
        "RIGHT",
        "RIGHT",
    )
    assert "start_line" not in single and single["line"] == 5
    assert payload["event"] == "COMMENT" and payload["commit_id"] == pr_repo.head


def test_validation_rejects_what_github_would(pr_repo: PullRequestRepo) -> None:
    lines = commentable_lines(pr_repo.path, pr_repo.base, pr_repo.head)
    good = build_review([bug_finding()], pr_repo.head)
    for mutate, needle in [
        (lambda p: p.update(event="APPROVE"), "event must be COMMENT"),
        (lambda p: p.update(event="REQUEST_CHANGES"), "event must be COMMENT"),
        (lambda p: p.update(commit_id="f" * 40), "head commit"),
        (lambda p: p["comments"][0].update(line=41, start_line=40), "not inside one hunk"),
        (
            lambda p: p["comments"][0].update(start_line=15, line=15),
            "start_line must be below line",
        ),
        (lambda p: p["comments"][0].update(start_line=3, line=15), "not inside one hunk"),
        (lambda p: p["comments"][0].update(body="x" * 70_000), "65,536"),
        (lambda p: p.update(body="x" * 70_000), "65,536"),
    ]:
        payload = {**good, "comments": [dict(c) for c in good["comments"]]}
        mutate(payload)
        with pytest.raises(GitHubError, match=needle):
            validate_review(payload, lines)


def test_suggestions_only_for_proven_fixes() -> None:
    base = bug_finding()
    for status, suggestion in [
        ("verified", True),
        ("applies", True),
        ("rejected", False),
        ("unchecked", False),
    ]:
        fixed = base.model_copy(
            update={"fix": Fix(replacement="    return items[0]", status=status, diff="-a\n+b\n")}
        )
        body = comment_body(fixed, "    items = [x]\n    return items[0]")
        assert ("```suggestion" in body) is suggestion, status
    assert "```suggestion" not in comment_body(base.model_copy(update={"fix": None}))
    assert f"<!-- repoagent:finding {base.fingerprint} -->" in comment_body(base)


def test_comment_bodies_stay_under_the_limit_and_escape_model_text() -> None:
    huge = bug_finding().model_copy(
        update={"explanation": "<!-- repoagent:summary --> @admin " + "x" * 100_000}
    )
    body = comment_body(huge)
    assert len(body) < 65_536
    assert body.endswith(f"<!-- repoagent:finding {huge.fingerprint} -->")
    assert "truncated" in body
    assert "<!-- repoagent:summary -->" not in body and "@admin" not in body


def test_truncation_never_leaves_a_code_block_or_details_open() -> None:
    from repoagent.github.payload import truncate_body

    body = "intro\n\n<details><summary>x</summary>\n\n" + "\n\n".join(
        f"```\n{'y' * 500}\n```" for _ in range(40)
    )
    cut = truncate_body(body, 5_000, "see the job summary")
    assert len(cut) <= 5_000
    assert cut.count("```") % 2 == 0
    assert cut.count("<details>") == cut.count("</details>")
    assert "… truncated: see the job summary." in cut
