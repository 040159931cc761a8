"""Token counts cached by content: a text is tokenized once per tokenizer, ever.

Every part of a document (a file's rendered content, a header, a tree) is counted through
``CachedCounter``. The key is the git blob SHA of the exact text counted, so it covers the
file's blob, the detail level, the format's glue and line numbering at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from repoagent.cache import BlobCache, blob_sha
from repoagent.pack.tokenizer import TiktokenTokenizer

KIND = "tokens"


class CachedCounter:
    """Counts texts with ``tokenizer``, reading and filling ``cache`` (and a memo in memory)."""

    def __init__(self, tokenizer: TiktokenTokenizer, cache: BlobCache | None) -> None:
        self.tokenizer = tokenizer
        self.cache = cache
        self.params = f"{tokenizer.name}|v1"
        self._memo: dict[str, int] = {}

    @property
    def texts_tokenized(self) -> int:
        """Texts the tokenizer actually had to count (cache hits excluded)."""
        return self.tokenizer.texts_tokenized

    def count(self, texts: Sequence[str]) -> list[int]:
        """Return the exact token count of each text."""
        keys = [blob_sha(t.encode("utf-8", "surrogatepass")) for t in texts]
        unknown = [k for k in dict.fromkeys(keys) if k not in self._memo]
        if unknown and self.cache is not None:
            self._memo.update(self.cache.get_many(KIND, self.params, unknown))
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._memo and key not in todo:
                todo[key] = text
        if todo:
            counted = dict(zip(todo, self.tokenizer.count_many(list(todo.values())), strict=True))
            self._memo.update(counted)
            if self.cache is not None:
                self.cache.put_many(KIND, self.params, counted)
        return [self._memo[k] for k in keys]
