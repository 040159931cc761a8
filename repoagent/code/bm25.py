"""Okapi BM25 over term counts (a small implementation; documents are ``{term: count}``)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping


class BM25:
    """Score documents given as term-count maps against a bag of query terms."""

    def __init__(self, docs: Mapping[str, Mapping[str, float]], k1: float = 1.2, b: float = 0.75):
        self.docs = docs
        self.k1, self.b = k1, b
        self.lengths = {key: sum(terms.values()) for key, terms in docs.items()}
        self.avg_length = (sum(self.lengths.values()) / len(docs)) if docs else 0.0
        self.df: dict[str, int] = {}
        for terms in docs.values():
            for term in terms:
                self.df[term] = self.df.get(term, 0) + 1

    def idf(self, term: str) -> float:
        """Inverse document frequency (the non-negative BM25+ variant)."""
        n, df = len(self.docs), self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query_terms: Iterable[str]) -> dict[str, float]:
        """BM25 score of every document containing at least one query term."""
        terms = {t: self.idf(t) for t in dict.fromkeys(query_terms) if t in self.df}
        out: dict[str, float] = {}
        if not terms or not self.avg_length:
            return out
        for key, doc in self.docs.items():
            norm = self.k1 * (1 - self.b + self.b * self.lengths[key] / self.avg_length)
            total = 0.0
            for term, idf in terms.items():
                tf = doc.get(term)
                if tf:
                    total += idf * tf * (self.k1 + 1) / (tf + norm)
            if total:
                out[key] = total
        return out
