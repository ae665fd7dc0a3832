"""Hostile text travels only as parameters and round-trips exactly, on both engines.

The hostile strings are those every tier shares (``tests/support/hostile.py``):
the drawable ones in the fields figures draw, all of them (including the
ones figures cannot draw) in every other text field, in site attributes,
and a few hostile site attribute keys (which become property keys). Ids are
limited by the id pattern, so they stay plain.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import neo4j
import pytest

from support.hostile import DRAWABLE, HOSTILE, MARKERS, NODE, stored_at, write_theory

from ptgraph.check import load_theory
from ptgraph.graph import build_graph, dump_graph
from ptgraph.store import QUERIES_DIR, SCHEMA_NAMES

pytestmark = pytest.mark.neo4j

KEYS = ["}) DETACH DELETE n //", "we`ird key", "ключ", "a.b", "has space", "$theory", "x:y {z}"]
KEY_MARKERS = ["we`ird", "ключ"]


def hostile_theory(root: Path, theory_id: str):
    return write_theory(root, theory_id, DRAWABLE, HOSTILE,
                        attributes={k: HOSTILE[i % len(HOSTILE)] for i, k in enumerate(KEYS)})


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


def stored_values(dumped: dict, written, theory_id: str) -> tuple[dict, dict]:
    """Every written text value, and the value at its place in a dumped graph."""
    kinds = set(NODE.values())
    nodes = {(next(label for label in labels if label in kinds), props["id"]): props
             for labels, props in dumped["nodes"]}
    want, got = {}, {}
    for (file, keys), (_, _, value) in {**written.drawn, **written.free}.items():
        node, prop, index = stored_at(keys, theory_id)
        stored = nodes.get(node, {}).get(prop)
        want[file, keys] = value
        got[file, keys] = stored[index] if index is not None and stored is not None else stored
    return want, got


def test_hostile_text_round_trips_and_touches_nothing_else(ptgraph, neo4j_env, store, tmp_path,
                                                          sent):
    theory_id = f"hostile-{uuid.uuid4().hex[:10]}"
    path = tmp_path / "hostile"
    written = hostile_theory(path, theory_id)
    check = ptgraph("check", path)
    assert check.code == 0, check
    before = store.dump_all()
    try:
        run = ptgraph("load", path, env=neo4j_env)
        assert run.code == 0, run
        got = store.read_dump(theory_id)
        assert got == dump_graph(build_graph(load_theory(path)))
        want, stored = stored_values(got, written, theory_id)
        assert stored == want  # every value as written, in its place
        site = next(props for labels, props in got["nodes"] if labels == ["Site"])
        assert {k: site[k] for k in KEYS} == {k: HOSTILE[i % len(HOSTILE)] for i, k in enumerate(KEYS)}
        assert without_theory(store.dump_all(), theory_id) == before

        first = len(sent)
        for args in queries(written):  # both engines, the same rows, the text as written
            embedded = ptgraph("query", *args, path, "--format", "json")
            server = ptgraph("query", *args, path, "--format", "json", "--neo4j", env=neo4j_env)
            assert embedded.code == server.code == 0, (args, embedded, server)
            assert json.loads(server.out)["rows"] == json.loads(embedded.out)["rows"], args
            if args[1:2] == ("--param",) and args[2].startswith("by=note"):
                value = HOSTILE[int(args[2][len("by=note"):])]
                assert [r["value"] for r in json.loads(server.out)["rows"]] == [value], args
        asked = sent[first:]  # the twins' Cypher, not the load templates checked below
        del sent[first:]
        assert asked and not [t for t in asked if any(m in t for m in MARKERS + KEY_MARKERS)]

        edited = re.sub(r"\bmech0\b", "mech0b", (path / "concepts.yaml").read_text(encoding="utf-8"))
        (path / "concepts.yaml").write_text(edited, encoding="utf-8")
        cmocs = re.sub(r"\bmech0\b", "mech0b", (path / "cmocs.yaml").read_text(encoding="utf-8"))
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
    assert not [t for t in sent if any(m in t for m in MARKERS + KEY_MARKERS)]


def queries(written) -> list[tuple[str, ...]]:
    """Every named query, with the text of each site attribute as a row value (evidence by=)."""
    n = len(written.strings)
    out = [("chains",), ("paths", "--param", "from=ctx0", "--param", "to=out0"),
           ("upstream", "--param", f"concept=out{n - 1}"), ("downstream", "--param", "concept=ctx1"),
           ("bridges",), ("conflicts",), ("contrasts",), ("contrasts", "--param", "by=context"),
           ("evidence",), ("hubs",)]
    notes = sorted({keys[2] for _, keys in written.free if keys[:2] == ("sites", "s1")
                    and keys[2].startswith("note")}, key=lambda k: int(k[4:]))
    return out + [("evidence", "--param", f"by={k}", "--param", "limit=1") for k in notes]
