"""The four document formats: xml (default), markdown, json, plain.

The text formats show every name (paths, the repository, the revisions given) through
``quote_path``, so none can break a line; JSON's escaping does that for its real values.

Every part a format returns starts at a *safe boundary* (see ``repoagent.pack.tokenizer``): it
begins with a character that is neither whitespace nor ``/`` and the part before it ends with
``\\n``. The one exception is a file's content, which a format renders as *prefix + unit*: the
unit starts with constant glue after text that ends in letters, so its token count depends on
the file's content alone and can be cached by blob SHA.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from typing import Protocol

from repoagent.pack.options import ManifestEntry
from repoagent.pack.tree import quote_path


@dataclass
class Header:
    """The facts the document opens with."""

    repository: str
    revision: str
    source: str
    tokenizer: str
    budget: int | None
    tokens: int = 0
    levels: dict[str, int] = field(default_factory=dict)
    left_out: int = 0
    redactions: int = 0
    base: str | None = None
    redacting: bool = True
    """False under ``--no-redact``: the document says so where it counts redactions."""


LANGUAGES = {
    "py": "python", "pyi": "python", "js": "javascript", "mjs": "javascript", "cjs": "javascript",
    "jsx": "jsx", "ts": "typescript", "tsx": "tsx", "go": "go", "rs": "rust", "java": "java",
    "kt": "kotlin", "c": "c", "h": "c", "cc": "cpp", "cpp": "cpp", "hpp": "cpp", "cs": "csharp",
    "rb": "ruby", "php": "php", "sh": "bash", "bash": "bash", "json": "json", "yaml": "yaml",
    "yml": "yaml", "toml": "toml", "md": "markdown", "rst": "rst", "html": "html", "css": "css",
    "sql": "sql", "xml": "xml", "swift": "swift", "scala": "scala", "lua": "lua",
}  # fmt: skip


def language(path: str) -> str:
    """A fence language for ``path`` (always lowercase letters, ``text`` when unknown)."""
    name = posixpath.basename(path)
    return LANGUAGES.get(name.rsplit(".", 1)[-1].lower(), "text") if "." in name else "text"


class DocumentFormat(Protocol):
    """What the assembler needs from a format; every method returns one part."""

    name: str
    manifest_after_files: bool

    def header(self, h: Header) -> str: ...
    def tree(self, tree: str) -> str: ...
    def manifest(self, entries: list[ManifestEntry]) -> str: ...
    def files_open(self) -> str: ...
    def file_prefix(self, e: ManifestEntry, first: bool) -> str: ...
    def unit(self, body: str) -> tuple[str, ...]: ...
    def file_suffix(self, e: ManifestEntry) -> str: ...
    def manifest_line(self, e: ManifestEntry, first: bool) -> str: ...
    def folded_line(self, path: str, files: int, size: int, first: bool) -> str: ...
    def files_close(self, entries: list[ManifestEntry]) -> str: ...
    def diff(self, base: str, text: str) -> str: ...
    def query(self, text: str) -> str: ...
    def footer(self) -> str: ...


def _redactions(h: Header) -> str:
    return str(h.redactions) if h.redacting else "off (--no-redact: secrets are not removed)"


def _nl(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def quoteattr(value: str) -> str:
    """An XML attribute value with its quotes, as ``xml.sax.saxutils.quoteattr`` writes it.

    (Written out: importing ``xml.sax`` pulls in ``urllib.request`` and ``http.client``, ~15 ms
    of every pack's start-up.)
    """
    value = value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    value = value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))


def _tail(body: str) -> str:
    """What a body needs after it so the next part starts on a new line."""
    return "\n" if body and not body.endswith("\n") else ""


def _budget(budget: int | None) -> str:
    return "none" if budget is None else str(budget)


def _levels(h: Header) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(h.levels.items())) or "none"


class _TextFormat:
    """A text format: the manifest and collapsed directories live in the skeleton (tree and
    manifest sections), so nothing about them goes among the files (JSON does the opposite)."""

    def manifest_line(self, e: ManifestEntry, first: bool) -> str:
        return ""

    def folded_line(self, path: str, files: int, size: int, first: bool) -> str:
        return ""


class XmlFormat(_TextFormat):
    """``<repository>`` with ``<tree>``, ``<manifest>``, ``<files>``, ``<diff>``, ``<query>``."""

    name = "xml"
    manifest_after_files = False

    def header(self, h: Header) -> str:
        attrs = {
            "name": quote_path(h.repository), "revision": h.revision,
            "source": quote_path(h.source), "tokenizer": h.tokenizer, "budget": _budget(h.budget),
            "tokens": str(h.tokens), "redactions": str(h.redactions) if h.redacting else "off",
        }  # fmt: skip
        if h.base:
            attrs["base"] = quote_path(h.base)
        text = " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items())
        return (
            f"<repository {text}>\n<summary>files: {_levels(h)}; left out {h.left_out}</summary>\n"
        )

    def tree(self, tree: str) -> str:
        return f"<tree>\n{tree}</tree>\n"

    def manifest(self, entries: list[ManifestEntry]) -> str:
        lines = ["<manifest>\n"]
        for e in entries:
            path = quoteattr(quote_path(e.path))
            lines.append(f"<entry path={path} reason={quoteattr(e.reason or '')}/>\n")
        lines.append("</manifest>\n")
        return "".join(lines)

    def files_open(self) -> str:
        return "<files>\n"

    def file_prefix(self, e: ManifestEntry, first: bool) -> str:
        return f'<file path={quoteattr(quote_path(e.path))} tokens="{e.tokens}" level="{e.level}'

    def unit(self, body: str) -> tuple[str, ...]:
        return ('">\n', body, _tail(body))

    def file_suffix(self, e: ManifestEntry) -> str:
        return "</file>\n"

    def files_close(self, entries: list[ManifestEntry]) -> str:
        return "</files>\n"

    def diff(self, base: str, text: str) -> str:
        return f"<diff base={quoteattr(quote_path(base))}>\n{_nl(text) if text else ''}</diff>\n"

    def query(self, text: str) -> str:
        return f"<query>\n{_nl(text)}</query>\n"

    def footer(self) -> str:
        return "</repository>\n"


class MarkdownFormat(_TextFormat):
    """Headings and fenced code blocks."""

    name = "markdown"
    manifest_after_files = False

    def header(self, h: Header) -> str:
        lines = [
            f"# Repository: {quote_path(h.repository)}\n\n",
            f"- Revision: {h.revision} ({quote_path(h.source)})\n",
            f"- Tokenizer: {h.tokenizer}; budget: {_budget(h.budget)}; tokens: {h.tokens}\n",
            f"- Files: {_levels(h)}; left out {h.left_out}; redactions {_redactions(h)}\n",
        ]
        if h.base:
            lines.append(f"- Base: {quote_path(h.base)}\n")
        return "".join(lines) + "\n"

    def tree(self, tree: str) -> str:
        return f"## Directory tree\n\n```text\n{tree}```\n\n"

    def manifest(self, entries: list[ManifestEntry]) -> str:
        lines = ["## Left out\n\n"]
        lines += [f"- {quote_path(e.path)}: {e.reason}\n" for e in entries]
        return "".join(lines) + "\n"

    def files_open(self) -> str:
        return "## Files\n\n"

    def file_prefix(self, e: ManifestEntry, first: bool) -> str:
        fence = "`" * max(3, e.fence)
        heading = f"### {quote_path(e.path)}\n\n{e.level}, {e.tokens} tokens\n\n"
        return f"{heading}{fence}{language(e.path)}"

    def unit(self, body: str) -> tuple[str, ...]:
        return ("\n", body, _tail(body))

    def file_suffix(self, e: ManifestEntry) -> str:
        return "`" * max(3, e.fence) + "\n\n"

    def files_close(self, entries: list[ManifestEntry]) -> str:
        return ""

    def diff(self, base: str, text: str) -> str:
        fence = "`" * max(3, longest_backtick_run(text) + 1)
        heading = f"## Diff against {quote_path(base)}\n\n"
        return f"{heading}{fence}diff\n{_nl(text) if text else ''}{fence}\n\n"

    def query(self, text: str) -> str:
        return f"## Task\n\n{_nl(text)}"

    def footer(self) -> str:
        return ""


class PlainFormat(_TextFormat):
    """Separator lines, like repomix's plain style."""

    name = "plain"
    manifest_after_files = False
    RULE = "=" * 64

    def header(self, h: Header) -> str:
        return (
            f"{self.RULE}\nRepository: {quote_path(h.repository)}\n"
            f"Revision: {h.revision} ({quote_path(h.source)})\n"
            f"Tokenizer: {h.tokenizer}\nBudget: {_budget(h.budget)}\nTokens: {h.tokens}\n"
            f"Files: {_levels(h)}; left out {h.left_out}; redactions {_redactions(h)}\n"
            + (f"Base: {quote_path(h.base)}\n" if h.base else "")
        )

    def tree(self, tree: str) -> str:
        return f"{self.RULE}\nDirectory tree\n{self.RULE}\n{tree}"

    def manifest(self, entries: list[ManifestEntry]) -> str:
        lines = [f"{self.RULE}\nLeft out\n{self.RULE}\n"]
        lines += [f"{quote_path(e.path)}: {e.reason}\n" for e in entries]
        return "".join(lines)

    def files_open(self) -> str:
        return ""

    def file_prefix(self, e: ManifestEntry, first: bool) -> str:
        return f"{self.RULE}\nFile: {quote_path(e.path)} ({e.level}, {e.tokens} tokens)\n"

    def unit(self, body: str) -> tuple[str, ...]:
        return (f"{self.RULE}\n", body, _tail(body))

    def file_suffix(self, e: ManifestEntry) -> str:
        return ""

    def files_close(self, entries: list[ManifestEntry]) -> str:
        return ""

    def diff(self, base: str, text: str) -> str:
        heading = f"{self.RULE}\nDiff against {quote_path(base)}\n{self.RULE}\n"
        return heading + (_nl(text) if text else "")

    def query(self, text: str) -> str:
        return f"{self.RULE}\nTask\n{self.RULE}\n{_nl(text)}"

    def footer(self) -> str:
        return f"{self.RULE}\n"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _j(value: object) -> str:
    out = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if not out.isascii() and _SURROGATE.search(out):
        # A name whose bytes are not UTF-8 (git's, decoded with surrogateescape): JSON text is
        # UTF-8, so it is written with \udcXX escapes, which os.fsdecode's inverse reads back.
        out = json.dumps(value, separators=(",", ":"))
    return out


class JsonFormat:
    """One JSON object; ``files`` lists shown files in order, then the rest with reasons."""

    name = "json"
    manifest_after_files = True

    def header(self, h: Header) -> str:
        head = {
            "format": "repoagent-pack/1", "repository": h.repository, "revision": h.revision,
            "source": h.source, "tokenizer": h.tokenizer, "budget": h.budget, "tokens": h.tokens,
            "levels": dict(sorted(h.levels.items())), "left_out": h.left_out,
            "redactions": h.redactions, "redacting": h.redacting, "base": h.base,
        }  # fmt: skip
        return _j(head)[:-1] + ",\n"

    def tree(self, tree: str) -> str:
        return f'"tree":{_j(tree)},\n'

    def manifest(self, entries: list[ManifestEntry]) -> str:
        return ""

    def files_open(self) -> str:
        return '"files":[\n'

    def _entry(self, e: ManifestEntry, first: bool) -> str:
        lead = "{" if first else ",{"
        return (
            f'{lead}"path":{_j(e.path)},"level":{_j(e.level)},'
            + (f'"score":{_j(e.score)},' if e.level is not None else "")
            + f'"tokens":{_j(e.tokens)},"reason":{_j(e.reason)}'
        )

    def file_prefix(self, e: ManifestEntry, first: bool) -> str:
        return self._entry(e, first) + ',"'

    def unit(self, body: str) -> tuple[str, ...]:
        return (f'content":{_j(body)}}}\n',)

    def file_suffix(self, e: ManifestEntry) -> str:
        return ""

    def manifest_line(self, e: ManifestEntry, first: bool) -> str:
        return self._entry(e, first) + "}\n"

    def folded_line(self, path: str, files: int, size: int, first: bool) -> str:
        """A collapsed directory: its files are left out (``budget``) and not listed one by one."""
        lead = "{" if first else ",{"
        return (
            f'{lead}"path":{_j(path + "/")},"level":null,"tokens":null,"reason":"collapsed",'
            f'"files":{files},"size":{size}}}\n'
        )

    def files_close(self, entries: list[ManifestEntry]) -> str:
        return "],\n"

    def diff(self, base: str, text: str) -> str:
        return f'"diff":{_j({"base": base, "text": text})},\n'

    def query(self, text: str) -> str:
        return f'"query":{_j(text)},\n'

    def footer(self) -> str:
        return '"end":true}\n'


def longest_backtick_run(text: str) -> int:
    """Length of the longest run of backticks in ``text`` (fences must be longer)."""
    return max((len(m) for m in re.findall(r"`+", text)), default=0)


FORMAT_CLASSES: dict[str, type[DocumentFormat]] = {
    "xml": XmlFormat,
    "markdown": MarkdownFormat,
    "json": JsonFormat,
    "plain": PlainFormat,
}


def get_format(name: str) -> DocumentFormat:
    """Return the renderer for ``name`` (xml, markdown, json, plain)."""
    return FORMAT_CLASSES[name]()
