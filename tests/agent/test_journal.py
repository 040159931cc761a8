"""The reply journal and the budget check, the two pieces resume and partial runs rest on."""

from __future__ import annotations

from pathlib import Path

from repoagent.agent import Budgets
from repoagent.agent.budget import BudgetMeter, exceeded
from repoagent.agent.recorder import ModelTurn, ReplyJournal, request_key
from repoagent.llm import CallUsage


def test_journal_replays_in_order_and_survives_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / "replies.jsonl"
    journal = ReplyJournal(path)
    key = request_key("maverick", "m", [{"role": "user", "content": "hi"}], None)
    journal.put(key, "maverick", "m", ModelTurn(message={"role": "assistant", "content": "one"}))
    journal.put(key, "maverick", "m", ModelTurn(message={"role": "assistant", "content": "two"}))
    assert journal.recall("tool-key", lambda: "grep output") == "grep output"
    with path.open("a") as stream:
        stream.write('{"key": "torn')  # a kill -9 in the middle of a write
    reopened = ReplyJournal(path)
    first, second = reopened.take(key), reopened.take(key)
    assert first is not None and first.content == "one"
    assert second is not None and second.content == "two"
    assert reopened.take(key) is None
    assert reopened.recall("tool-key", lambda: "must not run again") == "grep output"
    assert len(reopened.recorded) == 2


def test_request_key_changes_with_any_part_of_the_request() -> None:
    messages = [{"role": "user", "content": "hi"}]
    base = request_key("scout", "m", messages, None)
    assert base == request_key("scout", "m", [dict(m) for m in messages], [])
    assert base != request_key("maverick", "m", messages, None)
    assert base != request_key("scout", "other", messages, None)
    assert base != request_key("scout", "m", [{"role": "user", "content": "hi!"}], None)


def test_the_first_budget_to_run_out_is_named() -> None:
    budgets = Budgets(max_turns=10, max_tokens=1000, max_cost=1.0, timeout=60)
    assert exceeded(budgets, 9, 999, 0.99, 59) is None
    assert exceeded(budgets, 10, 0, 0, 0) == "max-turns"
    assert exceeded(budgets, 0, 1000, 0, 0) == "max-tokens"
    assert exceeded(budgets, 0, 0, 1.0, 0) == "max-cost"
    assert exceeded(budgets, 0, 0, 0, 60) == "timeout"
    assert exceeded(Budgets(), 10**9, 10**9, 10**9, 10**9) is None


def test_meter_counts_seeded_calls_and_halts_after_a_failure() -> None:
    meter = BudgetMeter(Budgets(max_turns=2))
    meter.seed("scout", "s", CallUsage(100, 10))
    assert meter.exhausted() is None and meter.turns == 1
    meter.seed("maverick", "m", CallUsage(50, 5))
    assert meter.exhausted() == "max-turns"
    halted = BudgetMeter(Budgets())
    halted.halt("provider-error")
    assert halted.exhausted() == "provider-error"
    assert [u.role for u in meter.usage()] == ["scout", "maverick"]
