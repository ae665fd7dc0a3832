"""Reading a CMOC statement's inline markers: ``(C)``, ``(M)``, ``(O)`` and their kin.

In the buy-in paper's Table 4 (Tierney et al. 2024, doi 10.3310/ETND8254, CC BY
4.0) each marker closes the span it marks, and a span runs from the end of the
previous marker (or the start of the statement) to the marker::

    Being referred through a GP (C) provides credibility to the link worker
    role (M), which means the patient is more likely to take up a referral (O).

The three spans are "Being referred through a GP", "provides credibility to
the link worker role" and ", which means the patient is more likely to take
up a referral". The joining words between spans ("which", "because", "so
they", a comma) belong to the sentence, not to the idea, so a span's *label*
drops them at its start, with the punctuation at either end; the statement
itself is kept verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Marker (as written between the brackets) -> the CMOC field its span goes to.
MARKER_ROLES: dict[str, str] = {
    "C": "context",
    "M": "mechanism",
    "O": "outcome",
    # the mechanism split (Dalkin et al. 2015): the resource, then the reasoning it triggers
    "Mresource": "resource",
    "M-resource": "resource",
    "Mresponse": "mechanism",
    "M-response": "mechanism",
    "Mreasoning": "mechanism",
    "M-reasoning": "mechanism",
    # ICAMO (Mukumbang et al. 2018): the intervention and the actors
    "I": "intervention",
    "A": "actor",
}

#: A span is at most one of these (it may also be the intervention, actor or resource).
_ONE_OF = ("context", "mechanism", "outcome")

#: The short letter written back for each field (export, statements composed from columns).
ROLE_LETTERS: dict[str, str] = {"context": "C", "mechanism": "M", "outcome": "O", "resource": "Mresource",
                                "intervention": "I", "actor": "A"}

_KEY = "(?:" + "|".join(re.escape(k) for k in sorted(MARKER_ROLES, key=len, reverse=True)) + ")"
#: One marker, or several for one span: ``(C)``, ``(I, Mresource)``.
MARKER_RE = re.compile(rf"\(({_KEY}(?:\s*,\s*{_KEY})*)\)")

#: Words that join one span to the next; dropped from the start of a label.
_JOINS = ("which means that", "which means", "so that", "and so", "which", "because", "so",
          "as", "and", "but", "or", "then", "when", "whenever", "if", "while", "whereas",
          "since", "that", "thereby", "thus", "hence")
_JOIN_RE = re.compile(r"^(?:" + "|".join(re.escape(j) for j in _JOINS) + r")\b\s*", re.IGNORECASE)
_EDGE = " \t\r\n,;:.–—-"


@dataclass(frozen=True, slots=True)
class Span:
    """One marked span: the field it goes to, the marker as written, the label and the raw text."""

    role: str
    marker: str
    label: str
    text: str


class MarkerError(ValueError):
    """A statement whose markers cannot be read; the message says where and why."""


def label_of(text: str) -> str:
    """A concept label from a span: joining words and edge punctuation dropped, first letter up.

    >>> label_of(", which means the patient is more likely to take up a referral")
    'The patient is more likely to take up a referral'
    >>> label_of(" because they feel less burdened")
    'They feel less burdened'
    """
    label = text.strip(_EDGE)
    while True:
        shorter = _JOIN_RE.sub("", label, count=1).strip(_EDGE)
        if shorter == label or not shorter:
            break
        label = shorter
    label = " ".join(label.split())
    return label[:1].upper() + label[1:]


def split_statement(statement: str) -> list[Span]:
    """The marked spans of a statement, in order.

    Parameters
    ----------
    statement : str
        The statement as written, with a marker after each span it marks.

    Returns
    -------
    list of Span
        One per marker; empty when the statement has no marker.

    A span may have several roles: ``review (I, Mresource)``, or two markers with
    nothing but spaces between them, ``overwhelms patients (A) (Mreasoning)``; it
    is then one span for each role, with the same label.

    Raises
    ------
    MarkerError
        A marker inside a word (``sup(C)port``) or a statement's first marker with
        no text before it.

    Examples
    --------
    >>> [(s.role, s.label) for s in split_statement("Being referred through a GP (C) provides "
    ...     "credibility to the link worker role (M), which means the patient is more likely "
    ...     "to take up a referral (O).")]
    [('context', 'Being referred through a GP'), ('mechanism', 'Provides credibility to the link worker role'), ('outcome', 'The patient is more likely to take up a referral')]
    """
    spans = []
    start = 0
    for match in MARKER_RE.finditer(statement):
        after = statement[match.end():match.end() + 1]
        before = statement[match.start() - 1:match.start()] if match.start() else ""
        if after.isalnum() or (before.isalnum() and after.isalnum()):
            word = re.search(r"\S*\Z", statement[:match.start()]).group() + match.group() + \
                re.match(r"\S*", statement[match.end():]).group()
            raise MarkerError(f"marker {match.group()} is inside a word ('{word}', character "
                              f"{match.start() + 1}); put a space before the marker and after it")
        text = statement[start:match.start()]
        label = label_of(text)
        keys = re.split(r"\s*,\s*", match.group(1))
        if not label and spans and not text.strip():  # "(A) (Mreasoning)": the same words
            text, label = spans[-1].text, spans[-1].label
            same = [s for s in spans if s.text == text]
        else:
            same = []
        roles = [MARKER_ROLES[k] for k in keys] + [s.role for s in same]
        if not label or len([r for r in roles if r in _ONE_OF]) > 1:
            raise MarkerError(f"marker {match.group()} (character {match.start() + 1}) marks no "
                              "text: a marker follows the words it marks, and words are one of "
                              "context, mechanism and outcome")
        spans += [Span(MARKER_ROLES[k], k, label, text) for k in keys]
        start = match.end()
    return spans


def has_marker(text: str) -> bool:
    """Whether text holds any marker. ``has_marker("x (C)")`` is True."""
    return MARKER_RE.search(text) is not None
