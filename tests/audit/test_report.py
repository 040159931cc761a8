"""The audit report: every format from one run, self-contained HTML, model down still reports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import git
import jsonschema
import pytest

from repoagent.audit import AuditOptions, audit_schema, load_audit, render_audit, run_audit
from repoagent.cli.main import main
from repoagent.findings.model import Finding, Fix, Report, RoleUsage


def run_cli(args: list[str]) -> int:
    """Run ``repoagent ARGS`` in-process; return the exit code."""
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _with_review(repo: git.Repo) -> Path:
    """A saved audit whose review found two problems (as a finished run would have saved it)."""
    audit = run_audit(
        AuditOptions(
            path=Path(repo.working_tree_dir or "."), since="v1.0", rev="v2.0", review=False
        )
    )
    findings = [
        Finding(
            path="src/demo/lib.py",
            quote="    return Client().get(url)  # FIXME: no retries",
            severity="high",
            category="reliability",
            title="fetch has no retry <script>alert(1)</script>",
            start_line=16,
            end_line=16,
            fix=Fix(replacement="    return retry(Client().get, url)", status="applies"),
        ).with_fingerprint(),
        Finding(
            path="src/demo/util.py",
            quote="    return 2  # XXX temporary",
            severity="low",
            title="temporary constant",
            start_line=2,
            end_line=2,
        ).with_fingerprint(),
    ]
    audit.review = Report(
        repository=audit.repository,
        revision=audit.revision,
        base=audit.since,
        findings=findings,
        usage=[RoleUsage(role="scout", model="scout-m", calls=1, prompt_tokens=1000, cost=0.01)],
    )
    audit.review_note = ""
    from repoagent.audit.risk import assess_risk

    audit.risk, audit.risk_reasons = assess_risk(audit)
    path = Path(repo.working_tree_dir or ".").parent / "audit.json"
    path.write_text(render_audit(audit, "json"), encoding="utf-8")
    return path


def test_all_formats_come_from_one_run(release_repo: git.Repo, tmp_path: Path) -> None:
    saved = _with_review(release_repo)
    out = tmp_path / "out"
    args = ["audit", "--from", str(saved), "--format", "html,markdown", "--format", "json,sarif"]
    assert run_cli([*args, "-o", str(out)]) == 0
    html = (out / "audit.html").read_text()
    md = (out / "audit.md").read_text()
    data = json.loads((out / "audit.json").read_text())
    sarif = json.loads((out / "audit.sarif").read_text())
    fingerprints = {f["fingerprint"] for f in data["review"]["findings"]}
    assert len(fingerprints) == 2
    sarif_prints = {
        r["partialFingerprints"]["primaryLocationLineHash"] for r in sarif["runs"][0]["results"]
    }
    assert sarif_prints == fingerprints
    for title in ("fetch has no retry", "temporary constant"):
        assert title in html and title in md
    assert data["risk"] == "high" == sarif["runs"][0]["properties"]["audit"]["risk"]
    assert load_audit(out / "audit.json") == load_audit(saved)
    jsonschema.validate(data, audit_schema())


def test_html_is_self_contained_and_escaped(release_repo: git.Repo) -> None:
    html = render_audit(load_audit(_with_review(release_repo)), "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not re.search(r"(src|href)\s*=\s*[\"'](?!#)", html)
    assert not re.search(r"https?://|@import|url\(", html)
    for anchor in ("summary", "changes", "api", "dependencies", "markers", "test-gaps", "findings"):
        assert f'id="{anchor}"' in html
    # Every risk reason links to the section holding its evidence.
    summary = html.split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert 'href="#findings"' in summary and 'href="#api"' in summary


def test_model_down_still_renders_deterministic_sections(
    release_repo: git.Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPOAGENT_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("REPOAGENT_MAX_RETRIES", "0")
    root = release_repo.working_tree_dir
    args = ["audit", str(root), "--since", "v1.0", "--rev", "v2.0", "--format", "markdown", "-q"]
    assert run_cli(args) == 3  # the documented exit code for an unusable endpoint
    captured = capsys.readouterr()
    out = captured.out
    assert "the model endpoint failed" in captured.err
    assert "Risk: LOW" not in out  # unreviewed code is never rated low
    assert "| signature | function | `parse` |" in out
    assert "| `requirements.txt` | runtime | `flask` | downgraded | `==2.0.1` | `==1.1` |" in out
    assert "`src/demo/lib.py:6` | TODO |" in out
    assert "every other section was computed without a model" in out


def test_unknown_since_is_one_line_error(
    release_repo: git.Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run_cli(["audit", str(release_repo.working_tree_dir), "--since", "v9", "--no-review"]) == 2
    )
    err = capsys.readouterr().err
    assert err.strip() == "repoagent: error: --since 'v9' does not name a commit in this repository"


def test_several_formats_need_a_destination(
    release_repo: git.Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["audit", str(release_repo.working_tree_dir), "--format", "html,json", "--no-review"]
    assert run_cli(args) == 2
    assert "-o" in capsys.readouterr().err
