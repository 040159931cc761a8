"""Exact, offline token counting: Llama 4 (default), o200k, cl100k, or a rank file.

Counts are additive across *safe joins* (``safe_join``: e.g. a ``\\n`` followed by a character
that is neither whitespace nor ``/``): no chunk of the o200k/cl100k split pattern can span one,
so a document joined from parts at safe joins has exactly the sum of the parts' counts. The
renderers rely on this; ``tests/pack`` checks it against whole-document counts.

A count is the text's count in one piece (what a server tokenizing the prompt gets). tiktoken
is fed pieces of at most 400k characters with no whitespace or non-whitespace run longer than
25k, as llama-models' reference tokenizer feeds it (https://github.com/openai/tiktoken/issues/195);
the cuts are made at safe joins, so they change nothing, except inside a 25k stretch that has
none (one run of letters, base64, spaces), which is cut where the reference cuts it.
"""

from __future__ import annotations

import binascii
import contextlib
import functools
import hashlib
import marshal
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from repoagent.errors import PackError
from repoagent.home import state_path

if TYPE_CHECKING:  # imported where an encoding is built: a warm pack counts nothing
    import tiktoken

# llama_models' reference tokenizer splits inputs the same way to stay under tiktoken's limits
# (https://github.com/openai/tiktoken/issues/195).
MAX_PIECE_CHARS = 400_000
MAX_RUN_CHARS = 25_000
#: How far back from a 400k or 25k limit a safe join is looked for (it is a few characters back
#: in text of any kind, and a stretch without one is cut at the limit).
SAFE_CUT_SCAN = 4096

_SAFE_BOUNDARY = re.compile(r"\n(?=[^\s/])")
# The lookbehinds fail at once inside a run, so a search does not retry every position of it.
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN_CHARS + 1},}}|(?<!\s)\s{{{MAX_RUN_CHARS + 1},}}")
_SPACE = re.compile(r"\s")
_NON_SPACE = re.compile(r"\S")
#: A run longer than ``MAX_RUN_CHARS`` covers a whole aligned block of this many characters.
_RUN_BLOCK = (MAX_RUN_CHARS + 1) // 2
#: Texts are tokenized in batches of about this many characters (bounds memory, feeds threads).
_BATCH_CHARS = 1_000_000


def _pieces(text: str) -> list[str]:
    """Split ``text`` into tokenizer inputs of at most 400k characters, without runs of more
    than 25k non-space (or space) characters, as the reference tokenizer does. Cuts are made at
    safe joins (``safe_join``), so the pieces' counts add up to the text's; only a stretch with
    no safe join at all (25k characters of one letter run, of base64, of spaces) is cut
    wherever the limit falls, as the reference cuts it."""
    pieces: list[str] = []
    pos, end = 0, len(text)
    while end - pos > MAX_PIECE_CHARS:
        limit = pos + MAX_PIECE_CHARS
        cut = -1
        for match in _SAFE_BOUNDARY.finditer(text, pos + 1, limit):
            cut = match.end()
        if cut <= pos:  # one long line (a file's JSON string): any other safe join will do
            cut = _safe_cut(text, pos, limit)
        cut = cut if cut > pos else limit
        pieces.append(text[pos:cut])
        pos = cut
    pieces.append(text[pos:end])
    out: list[str] = []
    for piece in pieces:
        if len(piece) <= MAX_RUN_CHARS or not _may_have_long_run(piece):
            out.append(piece)
            continue
        start = 0
        for run in _LONG_RUN.finditer(piece):
            position = run.start()
            while run.end() - position > MAX_RUN_CHARS:
                limit = position + MAX_RUN_CHARS
                cut = _safe_cut(piece, position, limit)
                cut = cut if cut > position else limit
                out.append(piece[start:cut])
                start = position = cut
        out.append(piece[start:])
    return out


def _kind(char: str) -> str:
    """``L`` letter, ``M`` mark, ``N`` number, ``Z`` whitespace, else ``P`` (punctuation)."""
    if char.isspace():
        return "Z"
    category = unicodedata.category(char)[0]
    return category if category in "LMN" else "P"


def safe_join(last: str, first: str) -> bool:
    """Whether no chunk of the split pattern can span ``...last|first...`` (``last``: the one or
    two characters before the join, ``first``: the one after it).

    A join is safe after a ``\\n`` when the next character is neither whitespace nor ``/``;
    after a letter when the next is neither a letter, a combining mark nor ``'`` (the pattern's
    letter runs and contractions); and after two punctuation characters when the next is a
    letter (the punctuation run is one chunk). Counts add up across safe joins."""
    end, start = _kind(last[-1]), _kind(first)
    if last[-1] == "\n":
        return start != "Z" and first != "/"
    if end == "L":  # a letter run ends here unless letters, marks or a contraction follow
        return start not in "LM" and first != "'"
    # A run of two or more punctuation characters is one chunk; a letter starts the next. Not
    # after "/": a run's tail of line breaks and slashes can end a chunk there (":\n/" | ":Z").
    return (
        len(last) == 2 and end == "P" and _kind(last[0]) == "P" and last[0] != "/" and start == "L"
    )


def _safe_cut(text: str, pos: int, limit: int) -> int:
    """The last safe join in ``text`` after ``pos`` and at or before ``limit``, or -1 (looked
    for within ``SAFE_CUT_SCAN`` characters)."""
    for at in range(limit, max(pos + 1, limit - SAFE_CUT_SCAN), -1):
        if safe_join(text[at - 2 : at], text[at]):
            return at
    return -1


def _may_have_long_run(text: str) -> bool:
    """Whether some aligned block of ``_RUN_BLOCK`` characters is all whitespace or has none
    (true of every text with a run longer than ``MAX_RUN_CHARS``). Each search stops at the
    first character it finds, a few characters in for code: scanning every run for its length
    cost ~0.9 s on sympy's 31 MB."""
    for start in range(0, len(text) - _RUN_BLOCK + 1, _RUN_BLOCK):
        end = start + _RUN_BLOCK
        if not _SPACE.search(text, start, end) or not _NON_SPACE.search(text, start, end):
            return True
    return False


class TiktokenTokenizer:
    """A tiktoken encoding that counts special-token strings as ordinary text.

    The encoding loads on first use, so a run whose counts are all cached never loads it.
    """

    def __init__(self, name: str, load: Callable[[], tiktoken.Encoding]) -> None:
        self.name = name
        self._load = load
        self._encoding: tiktoken.Encoding | None = None
        self.texts_tokenized = 0
        """How many texts were actually tokenized (cache hits do not count)."""
        self.chars_tokenized = 0
        """How many characters those texts had."""
        self._lock = threading.Lock()
        self._failed: PackError | None = None

    @property
    def encoding(self) -> tiktoken.Encoding:
        """The tiktoken encoding (loaded now if it was not yet). A load that failed fails
        again with the same error, without a second try (a second download, say)."""
        with self._lock:
            if self._failed is not None:
                raise self._failed
            if self._encoding is None:
                try:
                    self._encoding = self._load()
                except PackError as exc:
                    self._failed = exc
                    raise
            return self._encoding

    def load_quietly(self) -> None:
        """Load the encoding now if it can be; a failure is raised where it is next used."""
        with contextlib.suppress(PackError):
            self.encoding  # noqa: B018 - the property loads it

    def count(self, text: str) -> int:
        """Return the exact number of tokens in ``text``."""
        return self.count_many([text])[0]

    def count_many(self, texts: Sequence[str]) -> list[int]:
        """Return exact counts for ``texts``, tokenizing in batches on worker threads."""
        encoding = self.encoding
        with self._lock:
            self.texts_tokenized += len(texts)
            self.chars_tokenized += sum(map(len, texts))
        owners: list[int] = []
        pieces: list[str] = []
        for index, text in enumerate(texts):
            for piece in _pieces(text):
                owners.append(index)
                pieces.append(piece)
        counts = [0] * len(texts)
        count = _counter(encoding)

        def count_all(chunk: list[str]) -> list[int]:
            return [count(p) for p in chunk]

        if len(pieces) < 2 or sum(map(len, pieces)) < 20_000:
            found = count_all(pieces)
        else:
            # Two tasks per ~1 MB batch (halves by characters), not one per piece: thousands of
            # small files made ~10k futures (~0.2 s of bookkeeping on ansible-core).
            found = []
            for batch in _batches(pieces, _BATCH_CHARS):
                with ThreadPoolExecutor(2) as pool:
                    for part in pool.map(count_all, _halves(batch)):
                        found.extend(part)
        for owner, tokens in zip(owners, found, strict=True):
            counts[owner] += tokens
        return counts


def _batches(pieces: list[str], size: int) -> Iterator[list[str]]:
    """Consecutive runs of ``pieces`` of about ``size`` characters."""
    start = 0
    while start < len(pieces):
        stop, total = start, 0
        while stop < len(pieces) and (stop == start or total < size):
            total += len(pieces[stop])
            stop += 1
        yield pieces[start:stop]
        start = stop


def _halves(batch: list[str]) -> list[list[str]]:
    """``batch`` cut in two consecutive parts of about equal characters."""
    half, total = sum(map(len, batch)) / 2, 0
    for index, piece in enumerate(batch):
        total += len(piece)
        if total >= half:
            return [batch[: index + 1], batch[index + 1 :]]
    return [batch, []]


def _counter(encoding: tiktoken.Encoding) -> Callable[[str], int]:
    """Count a text's ordinary tokens, dropping its token list as soon as it is counted.

    (``encode_ordinary_batch`` kept every list of a batch: 36 bytes a token, ~36 MB for a
    1M-token batch. The core's 4-byte buffer would be smaller still, but it goes through the
    special-token matcher, whose per-thread state cost more than it saved.)
    """
    encode = encoding.encode_ordinary
    return lambda text: len(encode(text))


def read_ranks(data: bytes) -> dict[bytes, int]:
    """Parse a tiktoken rank file (``<base64 token> <rank>`` per line).

    Three times faster than ``tiktoken.load.load_tiktoken_bpe`` (one ``split`` and C-level maps
    instead of a Python loop): about 0.1 s of every pack for Llama 4's 200k ranks.
    """
    fields = data.split()
    if len(fields) % 2:
        raise ValueError("a line does not have a token and a rank")
    try:
        decode = functools.partial(binascii.a2b_base64, strict_mode=True)
        return dict(zip(map(decode, fields[0::2]), map(int, fields[1::2]), strict=True))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not a tiktoken rank file ({exc})") from None


_RANKS_MAGIC = b"repoagent-ranks-1\n"


def cached_ranks(source: Traversable) -> dict[bytes, int]:
    """``read_ranks`` of ``source``, kept parsed under ``REPOAGENT_HOME`` (marshal, ~0.03 s
    to load against ~0.14 s to parse Llama 4's file). The copy is named by the file's path,
    size and modification time and carries a SHA-1 of itself; one that fails to load is
    rebuilt."""
    if not isinstance(source, Path):  # inside a zip: no stat to name a copy by
        return read_ranks(source.read_bytes())
    try:
        info = source.stat()
    except OSError:
        return read_ranks(source.read_bytes())
    name = hashlib.sha1(f"{source}|{info.st_size}|{info.st_mtime_ns}".encode()).hexdigest()
    copy = state_path("cache", f"ranks-{name[:20]}.marshal")
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        stored = copy.read_bytes()
        header = len(_RANKS_MAGIC) + 20
        payload = memoryview(stored)[header:]
        checksum = stored[len(_RANKS_MAGIC) : header]
        if stored.startswith(_RANKS_MAGIC) and hashlib.sha1(payload).digest() == checksum:
            ranks = marshal.loads(payload)
            if isinstance(ranks, dict):
                return ranks
    ranks = read_ranks(source.read_bytes())
    with contextlib.suppress(OSError):
        data = marshal.dumps(ranks)
        temporary = copy.with_name(f"{copy.name}.{os.getpid()}.tmp")
        temporary.write_bytes(_RANKS_MAGIC + hashlib.sha1(data).digest() + data)
        os.replace(temporary, copy)
    return ranks


def _llama4_encoding() -> tiktoken.Encoding:
    """Llama 4's ranks and split pattern. Its special tokens are left out: a count reads their
    strings as ordinary text (``encode_ordinary``), and their matcher (an alternation of 2,048
    strings) cost ~15 MB."""
    # Imported lazily: only the constants, the module pulls in no torch.
    import tiktoken
    from llama_models.llama4.tokenizer import Tokenizer

    ranks = cached_ranks(resources.files("llama_models") / "llama4" / "tokenizer.model")
    encoding = tiktoken.Encoding(
        name="llama4", pat_str=Tokenizer.O200K_PATTERN, mergeable_ranks=ranks, special_tokens={}
    )
    # The Rust core holds its own copy of the ranks; tiktoken keeps the Python dict only for
    # pickling, and it is ~30 MB of a pack's 200 MiB memory target.
    encoding._mergeable_ranks = {}
    return encoding


def _rank_file_encoding(path: Path) -> tuple[str, tiktoken.Encoding]:
    import tiktoken
    from llama_models.llama4.tokenizer import Tokenizer

    try:
        data = path.read_bytes()
        ranks = read_ranks(data)
    except (OSError, ValueError) as exc:
        raise PackError(f"cannot read tokenizer rank file {path}: {exc}") from exc
    name = "file-" + hashlib.sha256(data).hexdigest()[:16]
    return name, tiktoken.Encoding(
        name=name, pat_str=Tokenizer.O200K_PATTERN, mergeable_ranks=ranks, special_tokens={}
    )


class Llama4Tokenizer(TiktokenTokenizer):
    """Llama 4's tokenizer, loaded offline from the ``llama-models`` wheel."""

    def __init__(self) -> None:
        super().__init__("llama4", _llama4_encoding)


_LOADED: dict[str, TiktokenTokenizer] = {}
_LOAD_LOCK = threading.Lock()


def load_tokenizer(spec: str = "llama4") -> TiktokenTokenizer:
    """Return the tokenizer named by ``spec``: ``llama4``, ``o200k``, ``cl100k`` or a rank file."""
    with _LOAD_LOCK:
        if spec in _LOADED:
            tokenizer = _LOADED[spec]
            tokenizer.texts_tokenized = tokenizer.chars_tokenized = 0
            tokenizer._failed = None  # each pack may try a failed load once more
            return tokenizer
        tokenizer = _load(spec)
        _LOADED[spec] = tokenizer
        return tokenizer


def _load(spec: str) -> TiktokenTokenizer:
    if spec == "llama4":
        return Llama4Tokenizer()
    if spec in ("o200k", "cl100k"):
        return TiktokenTokenizer(spec, lambda: _download_encoding(spec))
    path = Path(spec).expanduser()
    if not path.is_file():
        raise PackError(
            f"unknown tokenizer {spec!r}: use llama4, o200k, cl100k or a rank file path"
        )
    name, encoding = _rank_file_encoding(path)
    return TiktokenTokenizer(name, lambda: encoding)


def _download_encoding(spec: str) -> tiktoken.Encoding:
    import tiktoken

    try:
        return tiktoken.get_encoding(f"{spec}_base")
    except Exception as exc:  # requests/urllib errors vary by tiktoken version
        raise PackError(
            f"tokenizer {spec} needs tiktoken's data file, which it downloads on first use "
            f"and could not get ({type(exc).__name__}); use --tokenizer llama4 offline"
        ) from None
