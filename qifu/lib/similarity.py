"""Similar texts in Chinese, which has no spaces between words: character n-gram TF-IDF.

Each text becomes the set of its character unigrams and bigrams (bigrams carry most of the
meaning of Chinese words; unigrams catch short texts), weighted by TF-IDF over the candidates,
and compared by cosine similarity. Pure Python: fast enough for a few thousand candidates.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_KEEP = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")
_STOP = set("的了和与及在是我有为对也就都而及或之其等这那")


def grams(text: str) -> Counter[str]:
    """Character unigrams and bigrams of the Chinese runs, and the Latin/digit words."""
    found: Counter[str] = Counter()
    for run in _KEEP.findall((text or "").lower()):
        if run.isascii():
            found[run] += 1
            continue
        chars = [c for c in run if c not in _STOP]
        found.update(chars)
        found.update(a + b for a, b in itertools.pairwise(run))
    return found


@dataclass(frozen=True)
class Match:
    key: Any
    score: float


def most_similar(
    text: str, candidates: Sequence[tuple[Any, str]], *, limit: int = 5, threshold: float = 0.12
) -> list[Match]:
    """The `limit` candidates (key, text) most similar to `text`, best first, above `threshold`."""
    query = grams(text)
    if not query or not candidates:
        return []
    docs = [(key, grams(body)) for key, body in candidates]
    df: Counter[str] = Counter()
    for _key, counts in docs:
        df.update(counts.keys())
    n = len(docs) + 1

    def weights(counts: Counter[str]) -> dict[str, float]:
        # smoothed IDF (+1): a gram that every candidate has still counts, so that a small pool
        # of appeals all about the same thing (土地证) is still found
        return {g: (1 + math.log(tf)) * (math.log(n / (1 + df[g])) + 1) for g, tf in counts.items()}

    q = weights(query)
    q_norm = math.sqrt(sum(v * v for v in q.values()))
    scored = []
    for key, counts in docs:
        d = weights(counts)
        dot = sum(w * d[g] for g, w in q.items() if g in d)
        if not dot:
            continue
        d_norm = math.sqrt(sum(v * v for v in d.values()))
        score = dot / (q_norm * d_norm)
        if score >= threshold:
            scored.append(Match(key=key, score=round(score, 4)))
    scored.sort(key=lambda m: m.score, reverse=True)
    return scored[:limit]


def join(parts: Iterable[str]) -> str:
    return " ".join(p for p in parts if p)
