"""``check`` is the single gate for values: what it accepts loads, round-trips and queries alike.

Attribute values are generated as YAML text of every scalar kind (plain,
quoted, YAML 1.1 look-alikes, integers at and beyond 64 bits, decimals,
lists of one kind and mixed). For each theory: if ``check`` accepts it, the
load succeeds, every stored property equals the written value type for type,
and ``query evidence by=ATTR`` gives the same rows on both engines; if
``check`` refuses it, it says where with E108 (or E104), and ``load`` refuses
it too, writing nothing.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptgraph.check import check_theory
from ptgraph.store import read_theory

from test_text_as_written import TYPED, YAML11_FORMS

pytestmark = pytest.mark.neo4j

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"
HEADER = """ptgraph: 1
theory:
  id: {tid}
  title: Generated site attributes
areas: {{a1: A}}
concepts: {{c: C, m: M, o: O}}
cmocs:
  X1: {{area: a1, statement: S, context: c, mechanism: m, outcome: o}}
evidence:
  e1: {{quote: Q1, participant: P1, site: s1, supports: [X1]}}
  e2: {{quote: Q2, participant: P2, site: s2, supports: [X1]}}
sites:
"""
INT = re.compile(r"(?:0|-?[1-9][0-9]*)\Z")
DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?\Z")


def meaning(plain: str):
    """What a plain scalar means by the format's definition (README "Values"), independently."""
    if plain in ("true", "false"):
        return plain == "true"
    if INT.match(plain):
        return int(plain)
    if DECIMAL.match(plain):
        return float(plain)
    return plain


def typed(value):
    """A value with its type, so that 1, 1.0 and True never compare equal."""
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, value)


plain_scalars = st.one_of(
    st.sampled_from(YAML11_FORMS + list(TYPED)),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.integers(min_value=-(2**63) - 2, max_value=-(2**63) + 2).map(str),
    st.integers(min_value=2**63 - 2, max_value=2**63 + 2).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr).filter(lambda r: "e" not in r),
    st.text(alphabet="abcXYZ019:._-+", min_size=1, max_size=8).filter(
        lambda t: not t.startswith(("-", ":", "?")) and ": " not in t and not t.endswith(":")),
)
# (YAML text, meaning); a meaning of None means "no value of its own": a list mixing kinds, or
# a number out of range, is for check to refuse.
scalar = st.one_of(
    plain_scalars.map(lambda p: (p, meaning(p))),
    plain_scalars.map(lambda p: ("'" + p + "'", p)),
    plain_scalars.map(lambda p: (json.dumps(p), p)),
)
attribute = st.one_of(
    scalar,
    st.lists(scalar, min_size=0, max_size=4).map(
        lambda items: ("[" + ", ".join(t for t, _ in items) + "]", [m for _, m in items])),
)


def storable(value) -> bool:
    if isinstance(value, list):
        return len({type(v) for v in value}) == 1 and all(storable(v) for v in value)
    if isinstance(value, bool) or isinstance(value, str):
        return True
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return math.isfinite(value)


def write_theory(root: Path, tid: str, attrs: list[tuple[str, object]]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    lines = [HEADER.format(tid=tid)]
    for site in ("s1", "s2"):  # both sites share the values, so by=ATTR groups two sites
        lines.append(f"  {site}:\n    label: {site}\n")
        lines.extend(f"    a{i}: {text}\n" for i, (text, _) in enumerate(attrs))
    (root / "theory.yaml").write_text("".join(lines), encoding="utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(attrs=st.lists(attribute, min_size=1, max_size=6))
def test_what_check_accepts_loads_unchanged_and_queries_alike(attrs, ptgraph, neo4j_env, store,
                                                              tmp_path_factory):
    root = tmp_path_factory.mktemp("values") / "t"
    tid = f"values-{abs(hash(tuple(t for t, _ in attrs))) % 10**10}"
    write_theory(root, tid, attrs)
    checked = check_theory(root)
    errors = [p for p in checked.problems if p.is_error]
    want_ok = all(storable(m) for _, m in attrs)
    assert (not errors) == want_ok, (attrs, errors)
    if errors:
        assert {p.code for p in errors} <= {"E108"}, errors
        assert all(p.line > 0 and p.col > 0 for p in errors)
        run = ptgraph("load", root, env=neo4j_env)
        assert run.code == 2 and "E108" in run.err, run
        assert tid not in store.theories()
        return
    site = checked.theory.sites["s1"].attributes
    assert [typed(site[f"a{i}"]) for i in range(len(attrs))] == [typed(m) for _, m in attrs]
    run = ptgraph("load", root, env=neo4j_env)
    assert run.code == 0, run
    try:
        nodes, _ = read_theory(store, tid)
        stored = next(n["props"] for n in nodes if "Site" in n["labels"] and n["props"]["id"] == "s1")
        assert {k: typed(v) for k, v in stored.items() if k.startswith("a")} == \
               {f"a{i}": typed(m) for i, (_, m) in enumerate(attrs)}
        for i in range(len(attrs)):
            args = ("query", "evidence", root, "--param", f"by=a{i}", "--format", "json")
            embedded = ptgraph(*args)
            in_neo4j = ptgraph(*args, "--neo4j", env=neo4j_env)
            assert embedded.code == in_neo4j.code == 0, (embedded, in_neo4j)
            assert json.loads(in_neo4j.out)["rows"] == json.loads(embedded.out)["rows"]
    finally:
        ptgraph("unload", tid, env=neo4j_env)


@pytest.mark.parametrize("case", ["bigint", "mixed-list", "empty-key"])
def test_load_refuses_what_check_refuses_and_names_the_place(ptgraph, neo4j_env, store, case):
    root = CASES / "11-neo4j-unstorable-attributes" / case
    for args in (("--dry-run",), ()):
        run = ptgraph("load", *args, root, env=neo4j_env)
        assert run.code == 2 and re.search(r"theory\.yaml:21:\d+: E108 ", run.err), run
    assert f"ext-11-{case}" not in store.theories()


def test_text_that_yaml11_retypes_is_stored_as_written(ptgraph, neo4j_env, new_theory, store):
    path, tid = new_theory(CASES / "01-yaml11-site-attributes", prefix="yaml11")
    assert ptgraph("load", path, env=neo4j_env).code == 0
    nodes, _ = read_theory(store, tid)
    site = next(n["props"] for n in nodes if "Site" in n["labels"])
    assert (site["country"], site["practice_code"], site["clinic_opens"]) == ("NO", "0123", "9:30")


def test_nan_written_as_text_gives_the_same_rows_on_both_engines(ptgraph, neo4j_env, new_theory):
    path, tid = new_theory(CASES / "13-nan-attribute-engines-differ", prefix="nan")
    assert ptgraph("load", path, env=neo4j_env).code == 0
    args = ("query", "evidence", path, "--param", "by=imd_score", "--format", "json")
    embedded = json.loads(ptgraph(*args).out)["rows"]
    stored = json.loads(ptgraph(*args, "--neo4j", env=neo4j_env).out)["rows"]
    assert stored == embedded
    assert [(r["value"], r["quotes"], r["sites"]) for r in embedded] == [(".nan", 2, ["s1", "s2"])]
