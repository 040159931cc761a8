"""Pack a repository into one token-budgeted, byte-stable document for a long-context model.

Public surface::

    from repoagent.pack import PackOptions, PackResult, pack_repository
    result = pack_repository(PackOptions(path=".", budget=200_000, focus=("src/app.py",)))
    result.text, result.tokens, result.files, result.coverage()
"""

from repoagent.pack.api import PackResult, pack_repository
from repoagent.pack.options import REASONS, ManifestEntry, PackOptions, parse_budget
from repoagent.pack.tokenizer import Llama4Tokenizer, TiktokenTokenizer, load_tokenizer

__all__ = [
    "REASONS",
    "Llama4Tokenizer",
    "ManifestEntry",
    "PackOptions",
    "PackResult",
    "TiktokenTokenizer",
    "load_tokenizer",
    "pack_repository",
    "parse_budget",
]
