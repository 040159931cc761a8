"""``repoagent ask``: questions about a codebase, answered with checked ``path:line`` citations.

Public surface::

    with open_session(AskOptions(path, settings, rev=None, session=None, lang=None), emit) as s:
        answer = s.ask("where is the retry policy decided?")   # blocks go to emit as checked
        s.add_file("src/retry.py"); s.files(); s.usage(); s.reset()
    verify_paragraph(text, read) -> (marked text, [Citation])  # the citation checker alone
"""

from __future__ import annotations

from repoagent.ask.answer import Answer, AskServices, answer_json, answer_question
from repoagent.ask.citations import Citation, check_citation, find_citations, verify_paragraph
from repoagent.ask.context import AskContext
from repoagent.ask.graph import build_ask_graph
from repoagent.ask.session import AskOptions, AskSession, open_session
from repoagent.ask.stream import CheckedAnswer, ParagraphBuffer, check_answer, checked_blocks

__all__ = [
    "Answer",
    "AskContext",
    "AskOptions",
    "AskServices",
    "AskSession",
    "CheckedAnswer",
    "Citation",
    "ParagraphBuffer",
    "answer_json",
    "answer_question",
    "build_ask_graph",
    "check_answer",
    "check_citation",
    "checked_blocks",
    "find_citations",
    "open_session",
    "verify_paragraph",
]
