"""Token counts cached by content: a text is tokenized once per tokenizer, ever.

Every part of a document (a file's rendered content, a header, a tree) is counted through
``CachedCounter``. The key is the git blob SHA of the exact text counted, so it covers the
file's blob, the detail level, the format's glue and line numbering at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from repoagent.cache import BlobCache
from repoagent.pack.tokenizer import TiktokenTokenizer

KIND = "tokens"

#: A text, or the pieces of one text (counted as their concatenation, without building it).
Text = str | tuple[str, ...]


def text_sha(text: Text) -> str:
    """The git blob SHA of ``text`` (of the pieces' concatenation), UTF-8 encoded."""
    pieces = [text] if isinstance(text, str) else text
    encoded = [p.encode("utf-8", "surrogatepass") for p in pieces]
    digest = hashlib.sha1(b"blob %d\0" % sum(map(len, encoded)))
    for chunk in encoded:
        digest.update(chunk)
    return digest.hexdigest()


def joined(text: Text) -> str:
    """``text`` as one string."""
    return text if isinstance(text, str) else "".join(text)


class CachedCounter:
    """Counts texts with ``tokenizer``, reading and filling ``cache`` (and a memo in memory)."""

    def __init__(self, tokenizer: TiktokenTokenizer, cache: BlobCache | None) -> None:
        self.tokenizer = tokenizer
        self.cache = cache
        self.params = f"{tokenizer.name}|v3"  # v3: safe joins, never after "/"
        self._memo: dict[str, int] = {}
        self._pending: dict[str, int] = {}

    @property
    def texts_tokenized(self) -> int:
        """Texts the tokenizer actually had to count (cache hits excluded)."""
        return self.tokenizer.texts_tokenized

    def count(self, texts: Sequence[Text], keys: Sequence[str | None] | None = None) -> list[int]:
        """Return the exact token count of each text.

        ``keys`` may name a text by what determines it (a blob SHA plus how it was rendered),
        which saves hashing it; ``None`` (or a missing key) hashes the text itself.
        """
        given: Sequence[str | None] = keys if keys is not None else [None] * len(texts)
        shas = [k if k is not None else text_sha(t) for k, t in zip(given, texts, strict=True)]
        return self._count(texts, shas)

    def total(self, texts: Sequence[Text]) -> int:
        """The summed count of ``texts``, cached as one number under a key of them all: a
        document's many small parts (each file's wrapper) cost one lookup, not one each."""
        digest = hashlib.sha1(b"parts")
        for text in texts:
            for piece in [text] if isinstance(text, str) else text:
                encoded = piece.encode("utf-8", "surrogatepass")
                digest.update(b"%d\0" % len(encoded))
                digest.update(encoded)
            digest.update(b"\1")
        key = digest.hexdigest()
        if key not in self._memo and self.cache is not None:
            self._memo.update(self.cache.get_many(KIND, self.params, [key]))
        if key not in self._memo:
            self._memo[key] = self._pending[key] = sum(self.count(texts))
        return self._memo[key]

    def _count(self, texts: Sequence[Text], keys: list[str]) -> list[int]:
        unknown = [k for k in dict.fromkeys(keys) if k not in self._memo]
        if unknown and self.cache is not None:
            self._memo.update(self.cache.get_many(KIND, self.params, unknown))
        todo: dict[str, Text] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._memo and key not in todo:
                todo[key] = text
        if todo:
            counted = self._tokenize(todo)
            self._memo.update(counted)
            self._pending.update(counted)
            if len(self._pending) >= 2000:
                self.flush()
        return [self._memo[k] for k in keys]

    def flush(self) -> None:
        """Write new counts to the cache in one transaction (each commit is an fsync)."""
        if self.cache is not None and self._pending:
            self.cache.put_many(KIND, self.params, self._pending)
        self._pending = {}

    def _tokenize(self, todo: dict[str, Text]) -> dict[str, int]:
        """Tokenize in groups of about 2 MB, joining pieces only for the group at hand."""
        counted: dict[str, int] = {}
        group: list[str] = []
        size = 0
        for key, text in todo.items():
            group.append(key)
            size += len(text) if isinstance(text, str) else sum(map(len, text))
            if size >= 2_000_000:
                counts = self.tokenizer.count_many([joined(todo[k]) for k in group])
                counted.update(zip(group, counts, strict=True))
                group, size = [], 0
        if group:
            counts = self.tokenizer.count_many([joined(todo[k]) for k in group])
            counted.update(zip(group, counts, strict=True))
        return counted
