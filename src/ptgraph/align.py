"""``ptgraph align``: proposed mappings between two theories' concepts, as a draft to review.

For every concept of theory B, :func:`align` scores each concept of theory A
(or, with a vocabulary, each of its terms) on what a researcher compares:

- **labels**: rapidfuzz's ``token_set_ratio`` (0-100) of the two labels'
  distinctive words — folded case, accents and punctuation, without filler
  words and without the words many labels of the two theories share
  (:func:`distinctive_words`);
  a term's alternative labels count as labels;
- **descriptions**: the same ratio of the distinctive words of label and
  description (a term's definition) together, which finds wordings that share
  a description's words but not a label's;
- **negation**: a label with a negation (*not*, *no*, *never*, *nothing*,
  *without*) against one without is more likely the opposite idea ("Change not
  made", "Takes steps towards change"): the score is multiplied by
  :data:`NEGATION_FACTOR`;
- **roles**: how far the roles the CMOCs give the two concepts (context,
  mechanism, outcome, resource, ...) agree, as the share of roles in common
  (Jaccard). A term has no role, so against a vocabulary this factor is 1.

The **score** is ``max(labels, 0.9 * descriptions)`` times ``0.7 + 0.3 * roles``
(and the negation factor):
0-100, 100 when the distinctive words of the labels coincide and the roles agree.
At or above the threshold (:data:`DEFAULT_THRESHOLD`) the best-scoring
candidate is proposed, ``exact`` when the folded labels are the same and the
roles agree, else ``close``; the runner-up, when it also passes, is named in
a comment. Nothing is applied: the output is a draft ``mappings:`` file with
each proposal's score and why, for a researcher to keep, change or delete.

With a vocabulary, B's concepts are scored against its terms directly and
also through A: where A maps concept ``x`` to term ``t`` (``exact`` or
``close``) and B's concept scores against ``x``, that score counts for ``t``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Iterable

import yaml
from rapidfuzz import fuzz

from .importers.table import _STOP, fold
from .model import Theory, Vocabulary

#: Proposals scoring below this are not made (measured on two real pairs: README, "align").
DEFAULT_THRESHOLD = 70.0
#: Weight of the description score against the label score.
DESCRIPTION_WEIGHT = 0.9
#: The share of the score that roles decide: a pair with no role in common keeps 1 - this.
ROLE_WEIGHT = 0.3
#: What a score is multiplied by when one label holds a negation and the other none.
NEGATION_FACTOR = 0.5
NEGATIONS = frozenset(("not", "no", "never", "nothing", "without", "nobody", "none"))
#: "(EN1 context)", "(KS4, AP1 outcome)": a description's note of where a concept is used.
_USED_IN = re.compile(r"\([A-Z]{1,3}\d[^)]*\)")


@dataclass(frozen=True)
class Candidate:
    """One concept (or term) of the target, scored against one concept of theory B."""

    target: str  # the concept id in A, or the term id in the vocabulary
    score: float  # 0-100
    labels: float  # the label score
    descriptions: float  # the description score
    roles: float | None  # 0-1, None when the target has no roles (a term)
    exact: bool  # the folded labels are the same and the roles agree
    via: str | None = None  # the concept of A through whose mapping a term was reached
    target_label: str = ""

    def why(self) -> str:
        """The reasons, for the draft's comment."""
        parts = [f"labels {self.labels:.0f}", f"descriptions {self.descriptions:.0f}"]
        if self.roles is not None:
            parts.append(f"roles {self.roles:.2f}")
        if self.via:
            parts.append(f"through {self.via}")
        return ", ".join(parts)


@dataclass
class Alignment:
    """What :func:`align` found: per concept of B, its candidates at or above the threshold,
    best first; and the concepts of B with none."""

    source: str  # theory B's id
    target: str  # theory A's id, or the vocabulary's
    onto_vocabulary: bool
    threshold: float
    proposals: dict[str, list[Candidate]] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)

    def best(self) -> dict[str, Candidate]:
        """Concept of B -> its proposed mapping (the best candidate)."""
        return {b: cands[0] for b, cands in self.proposals.items()}


@dataclass(frozen=True)
class _Side:
    ids: list[str]
    labels: list[list[str]]  # every label of each (a term's alternative labels too)
    negated: list[bool]  # its (first) label holds a negation
    texts: list[str]  # label and description
    roles: list[frozenset[str] | None]


def _theory_side(theory: Theory) -> _Side:
    roles = theory.roles()
    ids = list(theory.concepts)
    return _Side(ids, [[c.label] for c in theory.concepts.values()],
                 [_negated(c.label) for c in theory.concepts.values()],
                 [f"{c.label} {_USED_IN.sub(' ', c.description or '')}"
                  for c in theory.concepts.values()],
                 [frozenset(roles.get(i, ())) for i in ids])


def _vocabulary_side(vocabulary: Vocabulary) -> _Side:
    terms = list(vocabulary.concepts.values())
    return _Side([t.id for t in terms], [[t.label, *t.alt] for t in terms],
                 [_negated(t.label) for t in terms],
                 [f"{t.label} {t.definition or ''}" for t in terms], [None] * len(terms))


def _negated(label: str) -> bool:
    """Does a label hold a negation word?

    >>> _negated("They do not feel abandoned"), _negated("Don't"), _negated("Feel less alone")
    (True, True, False)
    """
    words = fold(label).split()  # "don't" folds to "don t"
    return any(w in NEGATIONS or (w == "t" and i and words[i - 1].endswith("n"))
               for i, w in enumerate(words))


#: Words that tell no two concept labels apart: the stop words and a few common verbs.
_FILLER = _STOP | {"it", "he", "she", "we", "you", "his", "her", "our", "who", "what", "which",
                   "make", "makes", "making", "help", "helps", "more", "less", "very", "can",
                   "could", "may", "will", "would", "do", "does", "not"}


def distinctive_words(labels: list[str]) -> list[str]:
    """What is compared to align labels: each label's folded words without filler words
    and without the words more than an eighth of the labels share (in the buy-in table
    "patients", "link", "worker": they tell no two concepts apart).

    >>> distinctive_words(["It helps patients to feel less alone in their struggles",
    ...                    "Reducing their sense of being alone in their struggles"])
    ['patients feel alone struggles', 'reducing sense being alone struggles']
    """
    words = [[w for w in fold(label).split() if w not in _FILLER] for label in labels]
    share: dict[str, int] = {}
    for ws in words:
        for w in set(ws):
            share[w] = share.get(w, 0) + 1
    common = {w for w, n in share.items() if n > len(labels) / 8} if len(labels) >= 8 else set()
    return [" ".join(w for w in ws if w not in common) for ws in words]


def _keys(texts: list[str], shared: list[str]) -> list[str]:
    """Distinctive words of ``texts``, with the words too common among ``shared`` left out."""
    keys = distinctive_words(shared + texts)
    return keys[len(shared):]


def _score(label_b: list[str], text_b: str, roles_b: frozenset[str],
           label_a: list[str], text_a: str, roles_a: frozenset[str] | None) -> Candidate:
    labels = max(fuzz.token_set_ratio(x, y) for x in label_a for y in label_b)
    descriptions = fuzz.token_set_ratio(text_a, text_b)
    roles = None
    factor = 1.0
    if roles_a is not None:
        union = roles_a | roles_b
        roles = len(roles_a & roles_b) / len(union) if union else 1.0
        factor = 1 - ROLE_WEIGHT + ROLE_WEIGHT * roles
    score = max(labels, DESCRIPTION_WEIGHT * descriptions) * factor
    return Candidate("", round(score, 1), labels, descriptions, roles, False)


def align(a: Theory, b: Theory, vocabulary: Vocabulary | None = None, *,
          threshold: float = DEFAULT_THRESHOLD) -> Alignment:
    """Propose mappings of B's concepts onto A's concepts, or onto ``vocabulary``'s terms.

    Parameters
    ----------
    a, b
        Theories that pass ``check``; A's mappings are used only with a vocabulary.
    vocabulary
        Map onto its terms (directly, and through A's ``exact``/``close`` mappings).
    threshold
        The lowest score proposed, 0-100.

    Returns
    -------
    Alignment
        For each concept of B (in file order) its candidates scoring ``threshold`` or
        more, best first (ties by target id); the concepts with none in ``unmatched``.
    """
    side_b = _theory_side(b)
    targets = [("concept", _theory_side(a))]
    if vocabulary is not None:
        targets = [("term", _vocabulary_side(vocabulary))] + targets
    # The words too common to tell two labels apart, counted over both sides' labels
    shared = [l for _, s in targets for ls in s.labels for l in ls] + [l for ls in side_b.labels
                                                                        for l in ls]
    key_b_labels = [_keys(ls, shared) for ls in side_b.labels]
    key_b_texts = _keys(side_b.texts, shared)
    found: dict[str, dict[str, Candidate]] = {i: {} for i in side_b.ids}
    for kind, side in targets:
        key_labels = [_keys(ls, shared) for ls in side.labels]
        key_texts = _keys(side.texts, shared)
        for j, bid in enumerate(side_b.ids):
            for k, tid in enumerate(side.ids):
                c = _score(key_b_labels[j], key_b_texts[j], side_b.roles[j], key_labels[k],
                           key_texts[k], side.roles[k])
                if side_b.negated[j] != side.negated[k]:
                    c = dataclasses.replace(c, score=round(c.score * NEGATION_FACTOR, 1))
                if c.score < threshold:
                    continue
                exact = (fold(side.labels[k][0]) in {fold(x) for x in side_b.labels[j]}
                         or fold(side_b.labels[j][0]) in {fold(x) for x in side.labels[k]}) \
                    and c.roles in (None, 1.0)
                if kind == "term" or vocabulary is None:
                    cand = Candidate(tid, c.score, c.labels, c.descriptions, c.roles, exact,
                                     target_label=side.labels[k][0])
                    _keep(found[bid], cand)
                    continue
                # through A's mapping of this concept onto a term: the term is the target
                mapping = a.mappings.get(tid)
                for match, term in mapping.matches if mapping else ():
                    if match in ("exact", "close") and term in vocabulary.concepts:
                        _keep(found[bid], Candidate(
                            term, c.score, c.labels, c.descriptions, c.roles,
                            exact and match == "exact", via=tid,
                            target_label=vocabulary.concepts[term].label))
    out = Alignment(b.id, vocabulary.id if vocabulary is not None else a.id,
                    vocabulary is not None, threshold)
    for bid in side_b.ids:
        cands = sorted(found[bid].values(), key=lambda c: (-c.score, c.target))
        if cands:
            out.proposals[bid] = cands
        else:
            out.unmatched.append(bid)
    return out


def _keep(found: dict[str, Candidate], cand: Candidate) -> None:
    old = found.get(cand.target)
    if old is None or (cand.score, cand.exact) > (old.score, old.exact):
        found[cand.target] = cand


#: Characters JSON leaves as they are that YAML reads as a line break or refuses.
_UNSAFE_IN_COMMENT = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _comment(text: str) -> str:
    """Text safe inside a YAML comment: one line, quoted as JSON (a label may hold anything).

    >>> print(_comment('Feel heard\\n# "x"\u2028'))
    "Feel heard\\n# \\"x\\"\\u2028"
    """
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE_IN_COMMENT.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def draft_text(alignment: Alignment, b: Theory) -> str:
    """The draft ``mappings:`` file: one proposal per line, each under a comment with its
    score and why; the concepts without a proposal listed at the end. Every value is
    written by the YAML emitter and every label quoted as JSON in the comments."""
    onto = (f"the terms of vocabulary {alignment.target}" if alignment.onto_vocabulary
            else f"the concepts of theory {alignment.target}")
    lines = [
        f"# Draft mappings of theory {b.id}'s concepts onto {onto}, proposed by",
        f"# `ptgraph align` (score 0-100 of labels, descriptions and roles; proposals at",
        f"# {alignment.threshold:g} or more). Nothing here is applied: keep, change or delete each",
        "# proposal, then commit the file with the theory.",
    ]
    if not alignment.onto_vocabulary:
        lines.append(f"# The targets are concept ids of {alignment.target}, not vocabulary terms.")
    lines.append("mappings:")
    for bid, cands in alignment.proposals.items():
        best = cands[0]
        label = b.concepts[bid].label
        lines.append(f"  # {best.score:.0f}: {_comment(label)} ~ {_comment(best.target_label)}"
                     f" ({best.why()})")
        for other in cands[1:2]:
            lines.append(f"  #   also {other.target} {other.score:.0f}: "
                         f"{_comment(other.target_label)} ({other.why()})")
        match = "exact" if best.exact else "close"
        entry = yaml.safe_dump({bid: {match: best.target}}, default_flow_style=None,
                               sort_keys=False, allow_unicode=True, width=10**6).strip()
        lines.append(f"  {entry}")
    if not alignment.proposals:
        lines[-1] = "mappings: {}"
    if alignment.unmatched:
        lines.append(f"# No proposal at {alignment.threshold:g} or more for "
                     f"{len(alignment.unmatched)} concept(s):")
        lines += [f"#   {bid} {_comment(b.concepts[bid].label)}" for bid in alignment.unmatched]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Measure:
    """Precision and recall of proposals against a reference mapping."""

    proposed: int  # concepts of B with a proposal
    correct: int  # ... whose proposal the reference accepts
    expected: int  # concepts of B the reference maps
    found: int  # ... that got a correct proposal

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def measure(proposals: dict[str, str], reference: dict[str, Iterable[str]]) -> Measure:
    """Score ``proposals`` (concept of B -> target) against ``reference`` (concept of B ->
    the targets a researcher accepts; a concept absent from it has no true match).

    >>> m = measure({"x": "a", "y": "b", "z": "c"}, {"x": ["a"], "y": ["a"], "w": ["d"]})
    >>> (m.precision, m.recall)
    (0.3333333333333333, 0.3333333333333333)
    """
    accepted = {k: set(v) for k, v in reference.items()}
    correct = sum(1 for b, t in proposals.items() if t in accepted.get(b, ()))
    return Measure(len(proposals), correct, len(accepted), correct)
