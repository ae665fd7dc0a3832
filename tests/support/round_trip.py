"""What `export table --table cmocs`, imported again, must give back: one check for every test
of the round trip."""

from __future__ import annotations

from ptgraph.importers.markers import split_statement
from ptgraph.model import ROLES, Theory


def assert_reads_back(original: Theory, again: Theory) -> None:
    """``again`` (a table of ``original`` imported) has the same CMOC ids, statements, area
    labels, and every marked part of each statement (the spans of each role, in order)."""
    assert sorted(again.cmocs) == sorted(original.cmocs)
    for m in original.cmocs.values():
        n = again.cmocs[m.id]
        assert n.statement == m.statement
        assert again.areas[n.area].label == original.areas[m.area].label
        for role in ROLES:
            spans = list(dict.fromkeys(s.label for s in split_statement(m.statement) if s.role == role))
            assert [again.concepts[c].label for c in n.concepts(role)] == spans, (m.id, role)
