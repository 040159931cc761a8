"""Answer one question: Scout from the pack, streamed; Maverick with tools when the pack falls short.

Scout signals that the pack does not hold what the question needs by answering
``NEEDS_TOOLS: <what to look for>`` (see ``prompts/ask_system.md``); that line is never shown.
Every block of either answer is checked (citations) before it reaches the reader.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from repoagent.ask.citations import Citation
from repoagent.ask.context import AskContext
from repoagent.ask.stream import checked_blocks
from repoagent.resources import read_prompt

NEEDS_TOOLS = "NEEDS_TOOLS"
#: The fixed reply after the pack, so roles alternate and the prefix stays byte-stable.
PACK_ACK = "I have read the repository. What would you like to know?"
MAX_TOOL_TURNS = 8

Emit = Callable[[str], None]


@dataclass
class AskServices:
    """The live objects a turn needs (the graph's runtime context, never checkpointed)."""

    context: AskContext
    scout: Any
    """An :class:`repoagent.llm.OpenAIChatClient` for the scout role."""
    maverick: Any
    emit: Emit
    """Receives each checked block of the answer as it completes."""
    lang: str | None = None
    max_tool_turns: int = MAX_TOOL_TURNS
    progress: Emit | None = None
    """Receives status lines (tool calls) that are not part of the answer."""


@dataclass
class Answer:
    """One answer as shown, its citations, and which role gave it."""

    text: str = ""
    citations: list[Citation] = field(default_factory=list)
    answered_by: str = "scout"
    blocks: list[str] = field(default_factory=list)


def system_prompt(name: str, lang: str | None) -> str:
    """The system prompt ``name`` with the answer-language line when ``lang`` is set."""
    text = read_prompt(name)
    if lang:
        text += "\n" + read_prompt("ask_language.md").format(language=lang)
    return text


def scout_messages(
    services: AskServices, history: list[dict[str, Any]], question: str
) -> list[dict[str, Any]]:
    """System prompt, the pack, the conversation so far, then the question (always last)."""
    return [
        {"role": "system", "content": system_prompt("ask_system.md", services.lang)},
        {"role": "user", "content": services.context.pack_message()},
        {"role": "assistant", "content": PACK_ACK},
        *history,
        {"role": "user", "content": question},
    ]


def _show(services: AskServices, answer: Answer, block: str, citations: list[Citation]) -> None:
    answer.blocks.append(block)
    answer.citations.extend(citations)
    services.emit(block)


def ask_scout(services: AskServices, history: list[dict[str, Any]], question: str) -> Answer | str:
    """Stream Scout's answer, checked block by block; or return what it needs tools to find."""
    answer = Answer()
    context = services.context
    stream = services.scout.stream(scout_messages(services, history, question))
    try:
        for block, citations in checked_blocks(stream, context.read, context.known_paths):
            if not answer.blocks and block.lstrip().startswith(NEEDS_TOOLS):
                return block.split(":", 1)[-1].strip() or question
            _show(services, answer, block, citations)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    answer.text = "\n\n".join(answer.blocks)
    return answer


def ask_maverick(
    services: AskServices, history: list[dict[str, Any]], question: str, need: str
) -> Answer:
    """Let Maverick search with the review's tools, then show its checked answer."""
    tools = services.context.tools
    specs = tools.specs()
    hint = f"\n\n(The packed view did not show this; look for: {need})" if need != question else ""
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": system_prompt("ask_investigate.md", services.lang)},
        *history,
        {"role": "user", "content": question + hint},
    ]
    text = ""
    for _turn in range(services.max_tool_turns):
        reply = services.maverick.chat(messages, tools=specs)
        messages.append(reply.message)
        if not reply.tool_calls and not reply.rejected_calls:
            text = reply.content or ""
            break
        for call in reply.tool_calls:
            if services.progress is not None:
                services.progress(
                    f"{call.name} {json.dumps(call.arguments, ensure_ascii=False)[:100]}"
                )
            output = tools.run(call.name, call.arguments)
            messages.append({"role": "tool", "tool_call_id": call.id, "content": output})
        for rejected in reply.rejected_calls:
            messages.append(rejected.tool_message())
    else:
        messages.append(
            {"role": "user", "content": "Stop searching and answer with what you found."}
        )
        text = services.maverick.chat(messages).content or ""
    answer = Answer(answered_by="maverick")
    context = services.context
    for block, citations in checked_blocks([text], context.read, context.known_paths):
        _show(services, answer, block, citations)
    answer.text = "\n\n".join(answer.blocks)
    return answer


def answer_question(services: AskServices, history: list[dict[str, Any]], question: str) -> Answer:
    """Scout first; Maverick with tools when Scout says the pack does not hold the answer."""
    result = ask_scout(services, history, question)
    if isinstance(result, Answer):
        return result
    if services.progress is not None:
        services.progress(f"not in the pack; searching with tools for: {result[:100]}")
    return ask_maverick(services, history, question, result)


def answer_json(answer: Answer, **extra: Any) -> str:
    """The answer for scripts: text, citations (verified or not), and whatever ``extra`` adds."""
    document = {
        **extra,
        "answer": answer.text,
        "answered_by": answer.answered_by,
        "citations": [c.model_dump() for c in answer.citations],
        "verified": sum(1 for c in answer.citations if c.verified),
        "unverified": sum(1 for c in answer.citations if not c.verified),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
