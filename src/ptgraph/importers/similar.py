"""Near-duplicate concepts of a draft theory: which spans may say one idea in other words.

A team's CMOC table words one idea differently from CMOC to CMOC ("easing
their stress and anxiety", "making them feel less stressed/anxious", "less
stressed"); an import makes a concept of each span. This module ranks, for
each concept, the others it may be one idea with, so that the researcher
reads a short list instead of comparing every pair. Nothing is merged here.

The score of two labels (0-100) is the share of their weighted words that
the other label has too:

* words are folded, stop words dropped and the rest stemmed with the
  Snowball English stemmer ("stressed", "stress" -> "stress");
* two stems match when equal, when one begins the other ("advoc" of
  *advocate* and "advocaci" of *advocacy*), or when rapidfuzz's ratio says
  they differ by a typo;
* a word weighs more the fewer labels of the draft have it (inverse document
  frequency): "link worker" and "patients", in most spans of a social
  prescribing table, tell no two spans apart;
* two spans of one CMOC are never twins: a CMOC names different ideas.

The role and the area are not scored. In the buy-in paper's Table 4 two
spans in the same role, or in CMOCs of the same area, are two to three times
likelier to be one concept of ``theory/``, but weighting them listed more
pairs for no more merges: ``theory/`` merges across roles (the outcome of one
CMOC is the context or mechanism of another) and across areas.

Each concept keeps its best candidates (at most :data:`TOP_K`, from
:data:`FLOOR`); every pair from :data:`LIKELY` is kept whatever its rank.
A candidate from :data:`LIKELY` is *likely*, one below it *possible*.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .table import fold

#: A pair scoring this much (0-100) is a *likely* twin, and is listed whatever its rank.
#: Measured on Table 4: all 8 pairs from here are merges of ``theory/``; of the pairs below,
#: about 1 in 7.
LIKELY = 50.0
#: Lowest score a candidate is listed with.
FLOOR = 25.0
#: Most candidates listed for one concept below :data:`LIKELY`.
TOP_K = 3
#: Shortest stem that matches a longer stem it begins.
PREFIX_LEN = 4
#: Stems this long or longer match when rapidfuzz's ratio of the two is at least TYPO_RATIO.
TYPO_LEN, TYPO_RATIO = 6, 88.0

#: Words that carry no idea of a span of their own: English function words, and the verbs
#: with which statements join their spans ("helps them", "makes patients", "means that").
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing during each few for from
further had has have having he her here hers him his how i if in into is it its itself just
may me might more most must my now of on once only or other our own same shall
she should so some such than that the their theirs them then there these they this those
through to too under until very was we were what when where which while who whom whose why
will with would you your s t re ve ll d m
likely like mean means make makes making made help helps helping cmoc cmocs
""".split())


@dataclass(frozen=True)
class Candidate:
    """One concept a concept may be one idea with.

    ``similarity`` is the score (0-100), ``sure`` ``"likely"`` or ``"possible"``,
    ``shared`` the stems the two labels share, as the reader's hint why.
    """

    other: str
    similarity: float
    sure: str
    shared: tuple[str, ...]


@dataclass(frozen=True)
class Use:
    """Where a concept is used: a CMOC, the role there and the CMOC's area."""

    cmoc: str
    role: str
    area: str


def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def stems(label: str, stemmer=None) -> list[str]:
    """The stems of a label's words that say something, in order, each once.

    >>> stems("Making them feel less stressed/anxious")
    ['feel', 'less', 'stress', 'anxious']
    """
    stemmer = stemmer or _stemmer()
    out = [stemmer.stemWord(w) for w in fold(label).split() if w not in STOP_WORDS]
    return list(dict.fromkeys(out))


def _matches(vocab: list[str]) -> dict[str, set[str]]:
    """Each stem -> the stems it matches (itself, a longer or shorter form, a typo)."""
    from rapidfuzz import fuzz, process

    found = {w: {w} for w in vocab}
    ordered = sorted(vocab)
    for i, w in enumerate(ordered):
        if len(w) < PREFIX_LEN:
            continue
        # sorted, every stem that w begins follows it directly
        for v in ordered[i + 1:]:
            if not v.startswith(w):
                break
            found[w].add(v)
            found[v].add(w)
    long = [w for w in vocab if len(w) >= TYPO_LEN]
    for i, w in enumerate(long):
        # extract scans the later stems in C; score_cutoff keeps only the near-equal ones
        for v, _, _ in process.extract(w, long[i + 1:], scorer=fuzz.ratio,
                                       score_cutoff=TYPO_RATIO, limit=None):
            found[w].add(v)
            found[v].add(w)
    return found


def candidates(labels: Mapping[str, str], uses: Mapping[str, Iterable[Use]] | None = None,
               ) -> dict[str, list[Candidate]]:
    """For each concept, the others it may be one idea with, best first.

    Parameters
    ----------
    labels : Mapping[str, str]
        Concept id -> label.
    uses : Mapping[str, Iterable[Use]], optional
        Concept id -> where it is used; spans of one CMOC are then never twins
        (role and area are not scored, see the module's note).

    Returns
    -------
    dict[str, list[Candidate]]
        Every concept id with its listed candidates (maybe none). A pair listed
        for one concept is listed for the other too, so that each side's
        comment names it.
    """
    stemmer = _stemmer()
    ids = list(labels)
    words = {c: stems(labels[c], stemmer) for c in ids}
    share: dict[str, int] = {}
    for ws in words.values():
        for w in ws:
            share[w] = share.get(w, 0) + 1
    n = len(ids)
    weight = {w: math.log((n + 1) / (k + 0.5)) for w, k in share.items()}
    match = _matches(list(share))
    where = {c: list((uses or {}).get(c, ())) for c in ids}
    # an inverted index: only concepts with a matching word can score above 0
    holders: dict[str, set[str]] = {}
    for c, ws in words.items():
        for w in ws:
            for v in match[w]:
                holders.setdefault(v, set()).add(c)

    def covered(mine: list[str], theirs: set[str]) -> float:
        return sum(weight[w] for w in mine if match[w] & theirs)

    scores: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = {}
    for a in ids:
        others = {b for w in words[a] for b in holders.get(w, ()) if b > a}
        for b in sorted(others):
            if {u.cmoc for u in where[a]} & {u.cmoc for u in where[b]}:
                continue
            wa, wb = set(words[a]), set(words[b])
            total = sum(weight[w] for w in wa) + sum(weight[w] for w in wb)
            if total <= 0:
                continue
            score = 100 * (covered(words[a], wb) + covered(words[b], wa)) / total
            shared = tuple(w for w in words[a] if match[w] & wb)
            scores[(a, b)] = (min(100.0, round(score, 1)), shared)
    ranked: dict[str, list[tuple[float, str]]] = {c: [] for c in ids}
    for (a, b), (s, _) in scores.items():
        ranked[a].append((s, b))
        ranked[b].append((s, a))
    listed: set[tuple[str, str]] = set()
    for c in ids:
        best = sorted(ranked[c], key=lambda x: (-x[0], x[1]))
        for i, (s, o) in enumerate(best):
            if s >= LIKELY or (i < TOP_K and s >= FLOOR):
                listed.add((c, o) if c < o else (o, c))
    out: dict[str, list[Candidate]] = {c: [] for c in ids}
    for a, b in listed:
        s, shared = scores[(a, b)]
        sure = "likely" if s >= LIKELY else "possible"
        out[a].append(Candidate(b, s, sure, shared))
        out[b].append(Candidate(a, s, sure, shared))
    for c in ids:
        out[c].sort(key=lambda x: (-x.similarity, x.other))
    return out


__all__ = ["Candidate", "FLOOR", "LIKELY", "STOP_WORDS", "TOP_K", "Use", "candidates", "stems"]
