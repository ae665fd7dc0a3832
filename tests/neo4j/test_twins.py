"""One answer from both engines: every named query's Cypher twin (queries/NAME.cypher) on
Neo4j returns the rows of the embedded engine, row for row, in the same order.

Theories are stored under fresh ids and removed afterwards, the buy-in theory
too: the twins name no theory (their ``theory`` line reads the database, and
``ptgraph query --neo4j`` always gives one).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import neo4j
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptgraph.check import load_theory
from ptgraph.graph import build_graph, dump_graph, records
from ptgraph.load import apply, ensure_schema, plan, unload
from ptgraph.model import Confidence, Pathway, Site, Source, Theory
from ptgraph.queries import CONFLICT_KINDS, QUERIES
from ptgraph.schema import CONFIDENCE_COMPONENTS, CONFIDENCE_LEVELS, SOURCE_TYPES
from ptgraph.twins import read_twin, run_twin

from test_queries_props import theories

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "queries"
EXAMPLE = ROOT / "examples" / "deprescribing-review"
NAMES = list(QUERIES)
GENERATED = settings(max_examples=25, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Parameters worth asking on the buy-in theory, besides the defaults.
BUYIN_PARAMS: dict[str, list[dict[str, str]]] = {
    "chains": [{}, {"from": "EN2"}, {"from": "trusted-link-worker"}, {"to": "AP1"},
               {"to": "open-up"}, {"from": "EN2", "to": "AP1"}, {"max_length": "2"},
               {"max_length": "10"}],
    "paths": [{"from": "take-up-referral", "to": "less-stressed"},
              {"from": "take-up-referral", "to": "less-stressed", "max_length": "3"},
              {"from": "gp-referral", "to": "able-to-cope", "max_length": "10"},
              {"from": "space-to-be-heard", "to": "able-to-cope"},
              {"from": "connect-to-external-support", "to": "better-relationships"},
              {"from": "connect-to-external-support", "to": "able-to-cope"}],  # RD5/IS3: none
    "upstream": [{"concept": "less-stressed"}, {"concept": "less-stressed", "max_length": "2"},
                 {"concept": "able-to-cope", "max_length": "10"}],
    "downstream": [{"concept": "open-up"}, {"concept": "connect-to-external-support"},
                   {"concept": "take-up-referral", "max_length": "10"}],
    "bridges": [{}, {"cmoc": "IS3"}, {"concept": "feel-less-alone"},
                {"cmoc": "RD5", "concept": "feel-less-alone"}, {"cmoc": "EN4"}],
    "conflicts": [{}, {"kind": "divergent-outcomes"}],
    "contrasts": [{}, {"by": "context"}, {"concept": "feel-less-alone"},
                  {"by": "context", "concept": "open-up"}, {"concept": "take-up-referral"}],
    "evidence": [{}, {"flagged": "true"}, {"by": "deprivation"}, {"by": "months_in_role"},
                 {"by": "id", "flagged": "true"}, {"by": "region"}],
    "hubs": [{}, {"max_length": "3"}, {"max_length": "10"}],
}
#: Small theories with hand-checked answers, where buy-in has none (conflicts).
FIXTURE_PARAMS = {
    "chains": ["chains", [{}, {"from": "B"}, {"to": "E"}, {"max_length": "3"}]],
    "paths": ["chains", [{"from": "x", "to": "r"}, {"from": "s", "to": "md"}]],
    "upstream": ["chains", [{"concept": "r"}, {"concept": "q"}]],
    "downstream": ["chains", [{"concept": "x"}, {"concept": "s"}]],
    "bridges": ["chains", [{}, {"cmoc": "A"}, {"concept": "ma"}]],
    "conflicts": ["conflicts", [{}, {"kind": "mixed-evidence"}, {"kind": "refuted-in-pathway"}]],
    "contrasts": ["contrasts", [{}, {"by": "context"}, {"concept": "sim"},
                                {"by": "context", "concept": "struggles"}]],
    "evidence": ["evidence", [{}, {"by": "tags"}, {"by": "months_in_role"}, {"by": "id"}]],
    "hubs": ["chains", [{}, {"max_length": "2"}]],
}


@contextmanager
def stored(store, theory: Theory) -> Iterator[Theory]:
    """``theory`` written to Neo4j under a fresh id (as ``ptgraph load`` writes it), removed after."""
    theory = dataclasses.replace(theory, id=f"twin-{uuid.uuid4().hex[:10]}")
    nodes, rels = records(theory)
    with store.transaction("could not store a test theory") as tx:
        apply(tx, plan(nodes, rels, [], []), theory.id)
    try:
        yield theory
    finally:
        unload(store, theory.id)


@pytest.fixture(scope="module")
def schema(store):
    ensure_schema(store)


@pytest.fixture(scope="module")
def buyin_stored(store, schema, buyin):
    with stored(store, buyin) as theory:
        yield theory, build_graph(theory)


@pytest.fixture(scope="module")
def fixtures_stored(store, schema):
    with stored(store, load_theory(FIXTURES / "chains")) as chains, \
            stored(store, load_theory(FIXTURES / "conflicts")) as conflicts, \
            stored(store, load_theory(FIXTURES / "evidence")) as evidence, \
            stored(store, load_theory(FIXTURES / "contrasts")) as contrasts, \
            stored(store, load_theory(FIXTURES / "alternatives")) as alternatives, \
            stored(store, load_theory(FIXTURES / "any-context")) as any_context, \
            stored(store, load_theory(FIXTURES / "sources")) as sources, \
            stored(store, load_theory(FIXTURES / "mechanism-parts")) as parts, \
            stored(store, load_theory(EXAMPLE)) as example:
        yield {name: (t, build_graph(t)) for name, t in
               (("chains", chains), ("conflicts", conflicts), ("evidence", evidence),
                ("contrasts", contrasts), ("alternatives", alternatives),
                ("any-context", any_context), ("sources", sources),
                ("mechanism-parts", parts), ("example", example))}


def assert_same(store, name: str, theory: Theory, G, parsed: dict[str, Any]) -> list[dict]:
    """The twin's rows equal the embedded rows, with the columns in the same order."""
    query = QUERIES[name]
    want = query.run(G, parsed)
    assert not want.notes, "the embedded search hit its work budget: no full answer to compare"
    got = run_twin(store, query, parsed, theory.id)
    assert got == want, f"{name} {parsed} on {theory.id}"
    assert [list(row) for row in got] == [list(row) for row in want]
    return got


# --- the files, as Browser reads them ------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_twin_read_as_browser_reads_it_answers_as_the_embedded_engine(store, buyin_stored, name):
    theory, G = buyin_stored
    twin = read_twin(name)
    defaults = twin.defaults(store)  # every :param expression but theory's, evaluated by the server
    assert "theory" not in defaults
    rows = store.run_query_text(twin.query, {**defaults, "theory": theory.id})
    query = QUERIES[name]
    assert rows == query.run(G, defaults)
    if name != "conflicts":  # the buy-in theory has no conflicts
        assert rows, f"{name}.cypher shows nothing with its defaults"


def test_theory_line_with_several_theories_stops_and_says_what_to_run(neo4j_server, buyin_stored,
                                                                       fixtures_stored):
    # The Browser tier shows the line in Browser; here, the server's words for it,
    # whole (ptgraph's own messages keep one line of them). Several theories are
    # loaded (at least the four these fixtures store): the line names none of
    # them, and its error lists them all.
    expression = read_twin("evidence").params["theory"]
    ours = [buyin_stored[0].id, *(t.id for t, _ in fixtures_stored.values())]
    with neo4j.GraphDatabase.driver(neo4j_server.uri,
                                    auth=(neo4j_server.user, neo4j_server.password)) as driver:
        with pytest.raises(neo4j.exceptions.Neo4jError) as info:
            driver.execute_query(f"RETURN {expression} AS theory", database_=neo4j_server.database)
    message = info.value.message
    found = re.search(r"ptgraph: (\d+) theories are loaded in this database, so this file cannot "
                      r"tell which one to query, and the theory parameter stays as it was\. "
                      r"Choose one:\n", message)
    assert found and int(found.group(1)) >= len(ours), message
    for theory_id in ours:
        assert f"\n    :param theory => '{theory_id}'\n" in message
    assert message.rstrip().endswith("then run the query on its own, without the :param lines.")


#: Where the theory line reads the ids of the loaded theories.
LOADED_IDS = "COLLECT { MATCH (t:Theory) WHERE t.theory = t.id RETURN t.id ORDER BY t.id }"


@pytest.mark.parametrize("ids, want", [
    (["mine"], "mine"),
    ([], "\nptgraph: no theory is loaded in this database. Load one with  ptgraph load PATH  and run "
         "this file again."),
    (["buy-in", "mine"], "\nptgraph: 2 theories are loaded in this database, so this file cannot "
                         "tell which one to query, and the theory parameter stays as it was. "
                         "Choose one:\n    :param theory => 'buy-in'\n    :param theory => 'mine'\n"
                         "then run the query on its own, without the :param lines."),
], ids=["one", "none", "several"])
def test_theory_line_for_any_number_of_loaded_theories(neo4j_server, ids, want):
    # The shared test server always holds some theory, so the line's answer to
    # each count is asked with the ids given in place of the database's.
    expression = read_twin("chains").params["theory"]
    assert expression.count(LOADED_IDS) == 1
    text = "RETURN " + expression.replace(LOADED_IDS, "$ids") + " AS theory"
    with neo4j.GraphDatabase.driver(neo4j_server.uri,
                                    auth=(neo4j_server.user, neo4j_server.password)) as driver:
        if len(ids) == 1:
            records = driver.execute_query(text, ids=ids, database_=neo4j_server.database).records
            assert records[0]["theory"] == want
            return
        with pytest.raises(neo4j.exceptions.Neo4jError) as info:
            driver.execute_query(text, ids=ids, database_=neo4j_server.database)
    assert info.value.message == "Unknown coordinate reference system: " + want


@pytest.mark.parametrize("name, params, said", [
    ("upstream", {"concept": "not-in-this-theory"}, "concept: no concept 'not-in-this-theory'"),
    ("downstream", {"concept": None}, "concept: no concept set"),
    ("paths", {"from": "take-up-referral", "to": "nope"}, "to: no concept 'nope'"),
])
def test_a_concept_the_theory_lacks_stops_the_file_with_the_command_line_words(
        neo4j_server, buyin_stored, name, params, said):
    # In Browser the file's default concept is buy-in's: on another theory the file
    # says so and how to choose one, where it showed "no records".
    theory, _ = buyin_stored
    twin = read_twin(name)
    with neo4j.GraphDatabase.driver(neo4j_server.uri,
                                    auth=(neo4j_server.user, neo4j_server.password)) as driver:
        defaults = {k: v for k, v in driver.execute_query(
            "RETURN " + ", ".join(f"{e} AS {k}" for k, e in twin.params.items() if k != "theory"),
            database_=neo4j_server.database).records[0].items()}
        with pytest.raises(neo4j.exceptions.Neo4jError) as info:
            driver.execute_query(twin.query, {**defaults, **params, "theory": theory.id},
                                 database_=neo4j_server.database)
    missing = said.split(":")[0]
    assert info.value.message == (
        f"Unknown coordinate reference system: \nptgraph: {said} in theory '{theory.id}'. "
        f"Choose one with  :param {missing} => 'ID'  and run the query on its own; "
        f"MATCH (c:Concept {{theory: '{theory.id}'}}) RETURN c.id, c.label  lists them.")


@pytest.mark.parametrize("name", NAMES)
def test_param_defaults_are_the_python_defaults(store, name):
    defaults = read_twin(name).defaults(store)
    for key, param in QUERIES[name].params.items():
        if param.required:  # Browser needs a value; the command line asks for one
            assert isinstance(defaults[key], param.type), key
        else:
            assert defaults[key] == param.default and type(defaults[key]) is type(param.default), key


# --- one answer from both engines ------------------------------------------------------------

@pytest.mark.parametrize("name, raw", [(n, p) for n in NAMES for p in BUYIN_PARAMS[n]],
                         ids=[f"{n}-{'-'.join(f'{k}={v}' for k, v in p.items()) or 'defaults'}"
                              for n in NAMES for p in BUYIN_PARAMS[n]])
def test_same_rows_on_buyin_with_and_without_limit(store, buyin_stored, name, raw):
    theory, G = buyin_stored
    query = QUERIES[name]
    rows = assert_same(store, name, theory, G, query.parse(raw))
    for limit in (1, 3, len(rows) + 1):
        assert assert_same(store, name, theory, G, query.parse({**raw, "limit": str(limit)})) \
            == rows[:limit]


@pytest.mark.parametrize("name", sorted(FIXTURE_PARAMS))
def test_same_rows_on_the_query_fixtures(store, fixtures_stored, name):
    fixture, cases = FIXTURE_PARAMS[name]
    theory, G = fixtures_stored[fixture]
    query = QUERIES[name]
    for raw in cases:
        rows = assert_same(store, name, theory, G, query.parse(raw))
        assert rows, f"{name} {raw} on the {fixture} fixture should find something"
        assert assert_same(store, name, theory, G, query.parse({**raw, "limit": "2"})) == rows[:2]


#: Every query on the fixture of contexts any one of which will do (tests/test_queries.py
#: has its hand-computed rows): each case finds something.
ANY_CONTEXT_PARAMS = {
    "chains": [{}, {"from": "C"}, {"from": "x"}, {"to": "D"}, {"to": "z"}],
    "paths": [{"from": "s", "to": "r"}, {"from": "t", "to": "r"}],
    "upstream": [{"concept": "r"}, {"concept": "z"}],
    "downstream": [{"concept": "y"}, {"concept": "x"}],
    "bridges": [{}, {"cmoc": "B"}, {"concept": "mf"}],
    "conflicts": [{}, {"kind": "opposing-outcomes"}, {"kind": "mixed-evidence"}],
    "contrasts": [{}, {"by": "context"}, {"concept": "mf"}, {"concept": "mb"}],
    "evidence": [{}],
    "hubs": [{}, {"max_length": "2"}],
}


def test_any_context_params_cover_every_query():
    assert sorted(ANY_CONTEXT_PARAMS) == sorted(NAMES)


@pytest.mark.parametrize("name", sorted(ANY_CONTEXT_PARAMS))
def test_same_rows_on_the_any_context_fixture(store, fixtures_stored, name):
    theory, G = fixtures_stored["any-context"]
    query = QUERIES[name]
    for raw in ANY_CONTEXT_PARAMS[name]:
        rows = assert_same(store, name, theory, G, query.parse(raw))
        assert rows, f"{name} {raw} on the any-context fixture should find something"
        assert assert_same(store, name, theory, G, query.parse({**raw, "limit": "2"})) == rows[:2]


#: Every query on the fixture of sources and confidence (issue 15), which uses every new field.
SOURCES_PARAMS = {
    "chains": [{}, {"from": "K1"}],
    "paths": [{"from": "c1", "to": "o2"}],
    "upstream": [{"concept": "o2"}],
    "downstream": [{"concept": "c1"}],
    "bridges": [{}],
    "conflicts": [{}],
    "contrasts": [{}, {"by": "context"}],
    "evidence": [{}, {"detail": "true"}, {"flagged": "true"}, {"by": "region"},
                 {"by": "id", "detail": "true"}],
    "hubs": [{}],
}


def test_sources_params_cover_every_query():
    assert sorted(SOURCES_PARAMS) == sorted(NAMES)


@pytest.mark.parametrize("name", sorted(SOURCES_PARAMS))
def test_same_rows_on_the_sources_fixture(store, fixtures_stored, name):
    theory, G = fixtures_stored["sources"]
    query = QUERIES[name]
    for raw in SOURCES_PARAMS[name]:
        rows = assert_same(store, name, theory, G, query.parse(raw))
        assert rows, f"{name} {raw} on the sources fixture should find something"
        assert assert_same(store, name, theory, G, query.parse({**raw, "limit": "2"})) == rows[:2]


def test_sources_fixture_reads_back_as_the_embedded_graph(store, fixtures_stored):
    theory, G = fixtures_stored["sources"]
    assert store.read_dump(theory.id) == dump_graph(G)


#: Every query on the mechanism-parts fixture and on the second worked example (issue 15:
#: resource and reasoning, intervention and actor), each asked what it should find there.
PARTS_PARAMS = {
    "mechanism-parts": {
        "chains": [{}],
        "paths": [{"from": "c1", "to": "o3"}, {"from": "r1", "to": "o3"}],
        "upstream": [{"concept": "o3"}, {"concept": "o2"}],
        "downstream": [{"concept": "c1"}, {"concept": "r1"}],
        "bridges": [{}, {"cmoc": "P7"}],
        "conflicts": [{}, {"kind": "refuted-in-pathway"}, {"kind": "mixed-evidence"}],
        "contrasts": [{"by": "resource"}, {"by": "intervention"}, {"by": "context"}],
        "evidence": [{}, {"detail": "true"}],
        "hubs": [{}],
    },
    "example": {
        "chains": [{}, {"from": "EG1"}],
        "paths": [{"from": "attends-review", "to": "agrees-to-deprescribe"}],
        "upstream": [{"concept": "agrees-to-deprescribe"}],
        "downstream": [{"concept": "attends-review"}],
        "bridges": [{}],
        "conflicts": [],  # none: the example's configurations are deliberate alternatives
        "contrasts": [{}, {"by": "resource"}, {"by": "intervention"}, {"by": "context"}],
        "evidence": [{}, {"detail": "true"}, {"flagged": "true"}],
        "hubs": [{}],
    },
}


@pytest.mark.parametrize("fixture", sorted(PARTS_PARAMS))
def test_parts_params_cover_every_query(fixture):
    assert sorted(PARTS_PARAMS[fixture]) == sorted(NAMES)


@pytest.mark.parametrize("fixture, name", [(f, n) for f in sorted(PARTS_PARAMS) for n in NAMES])
def test_same_rows_on_mechanism_parts(store, fixtures_stored, fixture, name):
    theory, G = fixtures_stored[fixture]
    query = QUERIES[name]
    for raw in PARTS_PARAMS[fixture][name] or [{}]:
        rows = assert_same(store, name, theory, G, query.parse(raw))
        assert rows or not PARTS_PARAMS[fixture][name], f"{name} {raw} on {fixture} should find something"
        assert assert_same(store, name, theory, G, query.parse({**raw, "limit": "2"})) == rows[:2]


@pytest.mark.parametrize("fixture", sorted(PARTS_PARAMS))
def test_mechanism_parts_read_back_as_the_embedded_graph(store, fixtures_stored, fixture):
    theory, G = fixtures_stored[fixture]
    assert store.read_dump(theory.id) == dump_graph(G)


@st.composite
def rich_theories(draw) -> Theory:
    """A generated theory (tests/test_queries_props.py) with sites of attributes of every
    type, and evidence with participants, waves and sites."""
    theory = draw(theories())
    values = {"deprivation": st.sampled_from(["High", "Low"]), "urban": st.booleans(),
              "months": st.integers(0, 30),
              "tags": st.lists(st.sampled_from(["coastal", "rural", "urban"]), min_size=1,
                               max_size=2, unique=True),
              "mixed": st.sampled_from(["x", "y", True, False, 3, 12])}  # types differ by site
    sites = {f"s{i}": Site(f"s{i}", f"Site {i}", draw(st.fixed_dictionaries({}, optional=values)))
             for i in range(draw(st.integers(0, 3)))}
    # sources: (issue 15) with their own participant, site and wave, which evidence
    # without its own takes; evidence points at one, or has free text, or nothing
    sources = {f"src{i}": Source(
        f"src{i}", draw(st.sampled_from(SOURCE_TYPES)), f"Citation {i}",
        doi=draw(st.none() | st.just(f"10.1000/{i}")), year=draw(st.none() | st.integers(1990, 2030)),
        site=draw(st.none() | st.sampled_from(sorted(sites))) if sites else None,
        participant=draw(st.none() | st.sampled_from(["P1", "P4"])),
        wave=draw(st.none() | st.sampled_from(["interview", "observation"])))
        for i in range(draw(st.integers(0, 3)))}
    evidence = {e.id: dataclasses.replace(
        e, participant=draw(st.none() | st.sampled_from(["P1", "P2", "P3"])),
        wave=draw(st.none() | st.sampled_from(["interview", "follow-up"])),
        site=draw(st.none() | st.sampled_from(sorted(sites))) if sites else None,
        source_ref=draw(st.none() | st.sampled_from(["p. 4", *sorted(sources)])))
        for e in theory.evidence.values()}
    # mechanism parts (issue 15): a resource none of the CMOC's other causal parts
    # (rule E207), an intervention and an actor, each perhaps
    concepts = sorted(theory.concepts)

    def parts(m) -> dict[str, tuple[str, ...]]:
        free = [c for c in concepts if c not in {*m.context, *m.mechanism, *m.outcome}]
        some = st.lists(st.sampled_from(concepts), max_size=2, unique=True).map(tuple)
        return {"resource": draw(st.lists(st.sampled_from(free), max_size=2, unique=True)
                                 .map(tuple)) if free else (),
                "intervention": draw(some), "actor": draw(some)}

    cmocs = {m.id: dataclasses.replace(m, confidence=draw(st.none() | st.builds(
        Confidence, st.sampled_from(CONFIDENCE_LEVELS), st.none() | st.just("Why."),
        st.lists(st.sampled_from(CONFIDENCE_COMPONENTS), unique=True).map(
            lambda names: tuple((n, "Fine.") for n in names)))), **parts(m))
        for m in theory.cmocs.values()}
    return dataclasses.replace(theory, sites=sites, evidence=evidence, sources=sources,
                               cmocs=cmocs)


def draw_params(data, name: str, theory: Theory, G) -> dict[str, Any]:
    """Parameters of ``name`` the embedded engine accepts on ``theory``, drawn."""
    concepts, cmocs = sorted(theory.concepts), sorted(theory.cmocs)
    draw = data.draw
    params = {k: p.default for k, p in QUERIES[name].params.items()}
    if name == "chains":
        params.update({"from": draw(st.none() | st.sampled_from(cmocs + concepts)),
                       "to": draw(st.none() | st.sampled_from(cmocs + concepts)),
                       "max_length": draw(st.integers(2, 6))})
    elif name == "paths":
        source, target = draw(st.permutations(concepts).map(lambda p: p[:2]))
        params.update({"from": source, "to": target, "max_length": draw(st.integers(1, 6))})
    elif name in ("upstream", "downstream"):
        params.update({"concept": draw(st.sampled_from(concepts)),
                       "max_length": draw(st.integers(1, 10))})
    elif name == "bridges":
        params.update({"cmoc": draw(st.none() | st.sampled_from(cmocs)),
                       "concept": draw(st.none() | st.sampled_from(concepts))})
    elif name == "conflicts":
        params["kind"] = draw(st.none() | st.sampled_from(sorted(CONFLICT_KINDS)))
    elif name == "contrasts":
        params.update({"by": draw(st.sampled_from(["mechanism", "context", "resource",
                                                   "intervention"])),
                       "concept": draw(st.none() | st.sampled_from(concepts))})
    elif name == "evidence":
        keys = sorted({k for _, d in G.nodes(data=True) if d["labels"][0] == "Site" for k in d}
                      - {"theory", "labels"})
        params["by"] = draw(st.none() | st.sampled_from(keys)) if keys else None
        params["flagged"] = draw(st.booleans())
        params["detail"] = draw(st.booleans())
    elif name == "hubs":
        params["max_length"] = draw(st.integers(2, 6))
    return params


@pytest.mark.parametrize("name", NAMES)
def test_same_rows_on_generated_theories(store, schema, name):
    @GENERATED
    @given(rich_theories(), st.data())
    def check(theory, data):
        with stored(store, theory) as theory:
            G = build_graph(theory)
            params = draw_params(data, name, theory, G)
            rows = assert_same(store, name, theory, G, params)
            limit = data.draw(st.integers(1, 4), label="limit")
            assert assert_same(store, name, theory, G, {**params, "limit": limit}) == rows[:limit]

    check()


def test_deliberate_alternatives_have_no_conflicts_on_either_engine(store, fixtures_stored):
    theory, G = fixtures_stored["alternatives"]
    assert assert_same(store, "conflicts", theory, G, QUERIES["conflicts"].parse({})) == []
    for raw in ({}, {"by": "context"}):
        assert assert_same(store, "contrasts", theory, G, QUERIES["contrasts"].parse(raw))


@GENERATED
@given(theories(), st.data())
def test_same_refuted_in_pathway_rows_on_many_long_pathways(store, schema, theory, data):
    """The twin finds these from the pathway steps: several pathways, declared out of id order,
    each of up to 7 steps (repeats, CMOCs among them) that a refuted CMOC may rely on."""
    steps = st.lists(st.sampled_from(sorted(theory.concepts) + sorted(theory.cmocs)),
                     min_size=1, max_size=7).map(tuple)
    pathways = [Pathway(f"p{i}", f"P{i}", data.draw(steps))
                for i in data.draw(st.permutations(range(5)))]
    theory = dataclasses.replace(theory, pathways={p.id: p for p in pathways})
    with stored(store, theory) as theory:
        assert_same(store, "conflicts", theory, build_graph(theory),
                    {"kind": "refuted-in-pathway", "limit": None})


@GENERATED
@given(theory=rich_theories())
def test_generated_theory_reads_back_as_the_embedded_graph(store, schema, theory):
    with stored(store, theory) as theory:
        assert store.read_dump(theory.id) == dump_graph(build_graph(theory))


def test_buyin_reads_back_as_the_embedded_graph(store, buyin_stored):
    theory, G = buyin_stored
    assert store.read_dump(theory.id) == dump_graph(G)


# --- empty answers explain themselves, alike on both engines ---------------------------------

def assert_same_notes(store, name: str, theory: Theory, G, parsed: dict[str, Any]) -> list[str]:
    query = QUERIES[name]
    want = query.run(G, parsed, explain=True)
    got = run_twin(store, query, parsed, theory.id, explain=True)
    assert got == want and got.notes == want.notes, f"{name} {parsed} on {theory.id}"
    if name in ("chains", "paths", "bridges"):
        assert bool(want.notes) == (not want)
    return want.notes


def test_empty_answers_say_why_on_both_engines(store, buyin_stored, fixtures_stored):
    theory, G = buyin_stored
    notes = [assert_same_notes(store, name, theory, G, QUERIES[name].parse(raw)) for name, raw in (
        ("paths", {"from": "connect-to-external-support", "to": "able-to-cope"}),
        ("paths", {"from": "able-to-cope", "to": "gp-referral"}),
        ("paths", {"from": "take-up-referral", "to": "less-stressed", "max_length": "1"}),
        ("chains", {"from": "better-relationships"}),
        ("bridges", {"cmoc": "EN4"}),
        ("upstream", {"concept": "gp-referral"}),
        ("downstream", {"concept": "self-confidence"}))]
    assert [n[0].split(":")[0] for n in notes] == ["paths", "paths", "paths", "chains", "bridges",
                                                   "upstream", "downstream"]
    assert "`ptgraph query bridges` lists such joins" in notes[0][0]
    assert "more than max_length 1" in notes[2][0]
    chains_theory, chains_G = fixtures_stored["chains"]
    assert assert_same_notes(store, "chains", chains_theory, chains_G,
                             QUERIES["chains"].parse({"from": "G"}))


def test_shortest_path_passing_a_concept_twice_on_both_engines(store, schema):
    from test_queries import revisiting_theory
    with stored(store, revisiting_theory()) as theory:
        G = build_graph(theory)
        for name, raw in (("downstream", {"concept": "a"}), ("upstream", {"concept": "w"}),
                          ("upstream", {"concept": "w", "max_length": "3"}),
                          ("chains", {}), ("bridges", {})):
            assert assert_same(store, name, theory, G, QUERIES[name].parse(raw))
        for raw in ({"from": "a", "to": "w"}, {"from": "a", "to": "w", "max_length": "3"}):
            notes = assert_same_notes(store, "paths", theory, G, QUERIES["paths"].parse(raw))
            assert len(notes) == 1


def test_bridge_reasons_and_notes_with_hostile_labels_on_both_engines(store, schema):
    # The reason sentence and the notes quote labels as written: the twin builds the
    # sentence in Cypher, the notes are worded from the stored theory read back.
    from support.hostile import HOSTILE
    from test_queries import revisiting_theory
    base = revisiting_theory()
    labels = dict(zip(base.concepts, HOSTILE[:4]))
    theory = dataclasses.replace(base, concepts={c: dataclasses.replace(k, label=labels[c])
                                                 for c, k in base.concepts.items()})
    with stored(store, theory) as theory:
        G = build_graph(theory)
        rows = assert_same(store, "bridges", theory, G, QUERIES["bridges"].parse({}))
        assert len(rows) == 2 and all(f"'{labels['v']}', as " in r["reason"] for r in rows)
        for name, raw in (("paths", {"from": "a", "to": "w"}), ("paths", {"from": "w", "to": "a"}),
                          ("bridges", {"concept": "a"}), ("chains", {"from": "w"})):
            assert assert_same_notes(store, name, theory, G, QUERIES[name].parse(raw))


@GENERATED
@given(theories(), st.data())
def test_empty_answers_say_why_alike_on_generated_theories(store, schema, theory, data):
    name = data.draw(st.sampled_from(["chains", "paths", "bridges"]), label="query")
    with stored(store, theory) as theory:
        G = build_graph(theory)
        assert_same_notes(store, name, theory, G, draw_params(data, name, theory, G))


def test_empty_contrasts_and_conflicts_say_why_on_both_engines(store, buyin_stored, fixtures_stored):
    theory, G = buyin_stored
    for name, raw in (("conflicts", {}), ("conflicts", {"kind": "mixed-evidence"}),
                      ("contrasts", {"concept": "take-up-referral"}),
                      ("contrasts", {"by": "context", "concept": "gp-referral"}),
                      ("contrasts", {"concept": "feel-less-alone"})):
        notes = assert_same_notes(store, name, theory, G, QUERIES[name].parse(raw))
        assert len(notes) == (name != "contrasts" or raw["concept"] != "feel-less-alone")
        assert all(n.startswith(f"{name}: ") for n in notes)
    theory, G = fixtures_stored["alternatives"]
    assert assert_same_notes(store, "conflicts", theory, G, QUERIES["conflicts"].parse({})) == [
        "conflicts: none: no two CMOCs share a configuration (the same contexts and mechanisms), "
        "no CMOC is marked refuted and no evidence refutes a CMOC; CMOCs that differ in context or "
        "mechanism do not contradict each other: `contrasts` compares them"]


def test_contrasts_quote_any_label_as_written_on_both_engines(store, schema):
    # The contrasts fixture with every concept labelled by a hostile string: both
    # engines word the reasons with the labels as written, whatever they hold.
    from support.hostile import HOSTILE
    theory = load_theory(FIXTURES / "contrasts")
    labels = {c: HOSTILE[i % len(HOSTILE)] for i, c in enumerate(theory.concepts)}
    theory = dataclasses.replace(theory, concepts={
        c: dataclasses.replace(concept, label=labels[c]) for c, concept in theory.concepts.items()})
    with stored(store, theory) as theory:
        G = build_graph(theory)
        for raw in ({}, {"by": "context"}):
            rows = assert_same(store, "contrasts", theory, G, QUERIES["contrasts"].parse(raw))
            assert f"'{labels[rows[0]['concept']]}'" in rows[0]["reason"]


@GENERATED
@given(theories(), st.data())
def test_empty_contrasts_and_conflicts_say_why_alike_on_generated_theories(store, schema, theory,
                                                                           data):
    name = data.draw(st.sampled_from(["contrasts", "conflicts"]), label="query")
    with stored(store, theory) as theory:
        G = build_graph(theory)
        parsed = draw_params(data, name, theory, G)
        notes = assert_same_notes(store, name, theory, G, parsed)
        assert len(notes) == (not QUERIES[name].run(G, parsed))  # one line, for an empty answer


# --- the command line ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_cli_prints_the_same_with_neo4j(ptgraph, neo4j_env, buyin_stored, name):
    theory, _ = buyin_stored
    raw = BUYIN_PARAMS[name][-1]
    args = [f"--param={k}={v}" for k, v in raw.items()]
    for fmt in ("json", "table", "csv"):
        embedded = ptgraph("query", name, ROOT / "theory", *args, "--format", fmt)
        neo4j = ptgraph("query", name, "--neo4j", f"--param=theory={theory.id}", *args,
                        "--format", fmt, env=neo4j_env)
        assert embedded.code == neo4j.code == 0, (embedded, neo4j)
        assert neo4j.out == embedded.out
        if name in ("chains", "paths", "bridges"):  # empty answers explained alike
            assert neo4j.err == embedded.err


def test_cli_names_the_theory_by_its_path(ptgraph, neo4j_env, buyin_stored, tmp_path):
    theory, _ = buyin_stored
    copy = tmp_path / "theory"
    shutil.copytree(ROOT / "theory", copy)
    manifest = copy / "theory.yaml"
    manifest.write_text(manifest.read_text().replace("  id: buy-in\n", f"  id: {theory.id}\n", 1))
    run = ptgraph("query", "evidence", copy, "--neo4j", "--format", "json", env=neo4j_env)
    embedded = ptgraph("query", "evidence", ROOT / "theory", "--format", "json")
    assert run.code == 0, run
    assert run.out == embedded.out


@pytest.mark.parametrize("args, message", [
    (["paths", "-p", "from=take-up-referal", "-p", "to=less-stressed"],
     "from: no concept 'take-up-referal' in theory '{id}' (did you mean 'take-up-referral'?)"),
    (["evidence", "-p", "by=deprivaton"], "by: no site attribute 'deprivaton' in theory '{id}'"),
    (["chains", "-p", "max_length=11"], "max_length must be a whole number from 2 to 10, not 11"),
    (["conflicts", "-p", "kind=mixed"], "kind: no conflict kind 'mixed'"),
    (["conflicts", "-p", "kind=alternative-mechanisms"], "kind: no conflict kind 'alternative-"),
    (["contrasts", "-p", "by=mechansim"], "by: contrasts group by mechanism, context, resource or intervention, not "
                                          "'mechansim' (did you mean 'mechanism'?)"),
    (["contrasts", "-p", "concept=feel-less-alon"],
     "concept: no concept 'feel-less-alon' in theory '{id}' (did you mean 'feel-less-alone'?)"),
    (["hubs", "-p", "theory=no-such-theory"], "no theory 'no-such-theory' in Neo4j at "),
])
def test_cli_refuses_what_the_embedded_engine_refuses(ptgraph, neo4j_env, buyin_stored, args,
                                                      message):
    theory, _ = buyin_stored
    given = [] if any(a.startswith("theory=") for a in args) else ["-p", f"theory={theory.id}"]
    run = ptgraph("query", *args, *given, "--neo4j", env=neo4j_env)
    assert run.code == 2 and not run.out, run
    assert message.format(id=theory.id) in run.err
