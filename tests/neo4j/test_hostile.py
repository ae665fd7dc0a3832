"""Text that looks like Cypher travels only as parameters and round-trips exactly.

Ids are limited by the id pattern, so the hostile text goes where free text
is allowed: titles, labels, statements, quotes, tags, notes, site attribute
values, and site attribute keys (which become property keys).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import neo4j
import pytest
import yaml

from ptgraph.check import load_theory
from ptgraph.graph import build_graph, dump_graph
from ptgraph.store import QUERIES_DIR, SCHEMA_NAMES

pytestmark = pytest.mark.neo4j

HOSTILE = [
    "}) DETACH DELETE n //",
    "it's \"quoted\" `back`ticked` {braced: 1} $theory ${x} \\ back\\slash",
    "*/ MATCH (n) DETACH DELETE n /*",
    "// a comment\nsecond line\r\nthird\tline",
    "'; MATCH (n) DETACH DELETE n; //",
    "` }]) RETURN 1 UNION MATCH (m) SET m.owned = true //",
    "Ελληνικά 日本語 العربية עברית русский 🧪",
    "  leading and trailing spaces  ",
]
KEYS = ["}) DETACH DELETE n //", "we`ird key", "ключ", "a.b", "has space", "$theory", "x:y {z}"]
MARKERS = ["DETACH DELETE n //", "back`ticked", "Ελληνικά", "we`ird", "ключ", "m.owned"]


def hostile_theory(root: Path, theory_id: str) -> None:
    h = HOSTILE
    files = {
        "theory.yaml": {"ptgraph": 1, "theory": {
            "id": theory_id, "title": h[0], "description": h[3],
            "source": {"citation": h[1], "doi": h[4], "url": h[2], "licence": h[6]}}},
        "areas.yaml": {"areas": {"a.b-c_d": {"label": h[5], "description": h[2]}, "X.1": h[6]}},
        "sites.yaml": {"sites": {"s-1": {"label": h[0], **{k: h[i % len(h)] for i, k in enumerate(KEYS)},
                                         "numbers": [1, 2, 3], "flag": True, "ratio": 0.5,
                                         "words": [h[0], h[6]]}}},
        "concepts.yaml": {"concepts": {
            "c.1": {"label": h[1], "description": h[0], "tags": [h[2], h[6]], "opposes": ["o_2"]},
            "m-1": {"label": h[3]}, "o_2": {"label": h[7], "description": h[4]}, "9z": h[5]}},
        "cmocs.yaml": {"cmocs": {
            "A.1": {"area": "a.b-c_d", "statement": h[0] + "\n" + h[1], "context": "c.1",
                    "mechanism": "m-1", "outcome": "o_2", "notes": h[3]},
            "B-2": {"area": "X.1", "statement": h[6], "context": ["o_2", "9z"], "mechanism": "m-1",
                    "outcome": "c.1", "refines": ["A.1"], "status": "refined"}}},
        "evidence.yaml": {"evidence": {
            "q.1": {"quote": h[2] + h[0], "supports": ["A.1"], "participant": h[4], "site": "s-1",
                    "source": h[5], "wave": "interview"},
            "q_2": {"quote": h[6], "supports": ["B-2"], "refutes": ["A.1"]}}},
        "pathways.yaml": {"pathways": {"p.1": {"label": h[0], "description": h[1],
                                               "steps": ["c.1", "A.1", "o_2"]}}},
    }
    root.mkdir()
    for name, data in files.items():
        (root / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                 encoding="utf-8")


def template_patterns() -> list[re.Pattern]:
    """Every text ptgraph may send: a queries/load file, placeholders filled with schema names."""
    names = "|".join(sorted(SCHEMA_NAMES))
    out = []
    for path in sorted((QUERIES_DIR / "load").glob("*.cypher")):
        text = re.escape(path.read_text(encoding="utf-8"))
        out.append(re.compile(re.sub(r"__[A-Z]+__", f"(?:{names})", text)))
    return out


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """The text of every query the driver sends (a pass-through spy, not a mock)."""
    texts: list[str] = []
    for cls in (neo4j._sync.work.transaction.TransactionBase, neo4j._sync.work.session.Session):
        original = cls.run

        def run(self, query, *args, _original=original, **kwargs):
            texts.append(query)
            return _original(self, query, *args, **kwargs)

        monkeypatch.setattr(cls, "run", run)
    return texts


def without_theory(full: dict, theory_id: str) -> dict:
    return {"nodes": [n for n in full["nodes"] if n[1].get("theory") != theory_id],
            "relationships": [r for r in full["relationships"] if r[3].get("theory") != theory_id]}


def test_hostile_text_round_trips_and_touches_nothing_else(ptgraph, neo4j_env, store, tmp_path,
                                                          sent):
    theory_id = f"hostile-{uuid.uuid4().hex[:10]}"
    path = tmp_path / "hostile"
    hostile_theory(path, theory_id)
    check = ptgraph("check", path)
    assert check.code == 0, check
    before = store.dump_all()
    try:
        run = ptgraph("load", path, env=neo4j_env)
        assert run.code == 0, run
        got = store.read_dump(theory_id)
        assert got == dump_graph(build_graph(load_theory(path)))
        site = next(props for labels, props in got["nodes"] if labels == ["Site"])
        assert {k: site[k] for k in KEYS} == {k: HOSTILE[i % len(HOSTILE)] for i, k in enumerate(KEYS)}
        assert without_theory(store.dump_all(), theory_id) == before

        edited = (path / "concepts.yaml").read_text(encoding="utf-8").replace("9z", "9y")
        (path / "concepts.yaml").write_text(edited, encoding="utf-8")
        cmocs = (path / "cmocs.yaml").read_text(encoding="utf-8").replace("9z", "9y")
        (path / "cmocs.yaml").write_text(cmocs, encoding="utf-8")
        run = ptgraph("load", path, env=neo4j_env)  # a reload: updates and deletions too
        assert run.code == 0 and "remove 1 node" in run.out, run
        assert store.read_dump(theory_id) == dump_graph(build_graph(load_theory(path)))
        assert without_theory(store.dump_all(), theory_id) == before
    finally:
        run = ptgraph("unload", theory_id, env=neo4j_env)
    assert run.code == 0, run
    assert store.dump_all() == before

    patterns = template_patterns()
    assert sent and not [t for t in sent if not any(p.fullmatch(t) for p in patterns)]
    assert not [t for t in sent if any(m in t for m in MARKERS)]
