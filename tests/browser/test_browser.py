"""Every query file pasted into the real Neo4j Browser, in headless Chromium, against the test server.

Each file runs as a researcher runs it: parameters cleared, the whole text
pasted into the editor, Ctrl+Enter. Browser then runs it in its
multi-statement mode, which shows each statement's status but not the
query's result; so the query is then run on its own (the parameters the file
set are still there) to see the result itself, as a table or a graph, whose
rows must be the embedded engine's with the parameters Browser holds.

A file names no theory: its ``theory`` line reads the database. With one
theory loaded it picks that one; with several it stops, lists them with the
``:param theory => '...'`` lines to run, and leaves ``$theory`` as it was, so
a theory chosen by hand stays chosen. Other sessions may load theories into
the same test server, so the tests that choose a theory accept either case.
Screenshots go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import uuid
import zipfile
from pathlib import Path

import pytest

from neo4j_browser import Frame, NeoBrowser, cell, parse_grass
from ptgraph.check import load_theory
from ptgraph.graph import build_graph
from ptgraph.load import load, unload
from ptgraph.model import ROLES
from ptgraph.queries import QUERIES
from ptgraph.render import ROLE_COLOUR, ROLE_FILL

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]

ROOT = Path(__file__).resolve().parents[2]
QUERY_FILES = sorted((ROOT / "queries").glob("*.cypher"))
FIXTURES = ROOT / "tests" / "fixtures" / "browser"
BROKEN_FILES = sorted(FIXTURES.glob("broken*.cypher"))
GRASS = ROOT / "queries" / "ptgraph.grass"
README_IMAGE = ROOT / "docs" / "images" / "browser-buyin.png"

#: The part of the buy-in graph the README shows: one area's CMOCs and their concepts.
BUYIN_VIEW = ("MATCH (a:Area {theory: 'buy-in', id: 'anchor-point'})<-[:IN_AREA]-(m:CMOC)"
              "-[r:HAS_CONTEXT|HAS_MECHANISM|HAS_OUTCOME]->(c:Concept) RETURN m, r, c")
#: A second theory to load beside buy-in: small, and with rows of its own for every
#: query file that needs no id of the buy-in theory.
SECOND = ROOT / "tests" / "fixtures" / "queries" / "chains"
SECOND_QUERIES = ["chains", "conflicts", "evidence", "hubs"]
#: What a file's theory line says when several theories are loaded.
SEVERAL = re.compile(r"ptgraph: (\d+) theories are loaded in this database, so this file cannot "
                     r"tell which one to query, and the theory parameter stays as it was\. "
                     r"Choose one:")


def run_clean(browser: NeoBrowser, path: Path, artifacts: Path) -> Frame:
    """Run a query file; assert Browser shows no error, then its result. The result frame."""
    frame = browser.run_file(path.read_text())
    browser.screenshot(artifacts / f"{path.stem}.png")
    assert not frame.problems, f"{path.name} failed in Neo4j Browser:\n{frame.text}"
    if frame.multi:
        assert all(status == "success" for _, status in frame.statements), frame.statements
        query = frame.statements[-1][0]
        frame = browser.run(query)
        browser.screenshot(artifacts / f"{path.stem}-result.png")
        assert not frame.problems, f"the query of {path.name}, run alone, failed:\n{frame.text}"
    # A result may be empty ("no records"): conflicts finds none in the buy-in theory.
    assert frame.loaded and frame.records is not None, \
        f"Browser shows no result for {path.name}:\n{frame.text}"
    return frame


def run_query_file(browser: NeoBrowser, path: Path, artifacts: Path, label: str = "",
                   **chosen: str) -> tuple[Frame, dict, str]:
    """Run a query file of ``queries/`` as a researcher does: whole, then its query alone.

    ``chosen`` parameters are set by hand first (``theory=...``); ``label``
    names the screenshots (``NAME-LABEL.png``, ``NAME-LABEL-result.png``). Every
    statement must succeed but the theory line, which may stop with the
    several-theories message (the query is then skipped). Returns the query's
    result frame, the parameters Browser then holds, and the theory line's status.
    """
    shot = f"{path.stem}-{label}" if label else path.stem
    frame = browser.run_file(path.read_text(), **chosen)
    browser.screenshot(artifacts / f"{shot}.png")
    assert frame.multi, f"{path.name} did not run as several statements:\n{frame.text}"
    *params, theory, query = frame.statements
    assert theory[0].startswith(":param theory =>"), frame.statements
    assert all(status == "success" for _, status in params), frame.statements
    if theory[1] == "error":
        assert SEVERAL.search(frame.text), f"the theory line of {path.name} failed:\n{frame.text}"
        assert query[1] == "skipped", frame.statements
    else:
        assert (theory[1], query[1]) == ("success", "success"), frame.statements
    held = browser.params()
    result = browser.run(query[0])
    browser.screenshot(artifacts / f"{shot}-result.png")
    assert not result.problems, f"the query of {path.name}, run alone, failed:\n{result.text}"
    assert result.loaded and result.records is not None, \
        f"Browser shows no result for {path.name}:\n{result.text}"
    return result, held, theory[1]


def assert_embedded_rows(browser: NeoBrowser, result: Frame, name: str, G, held: dict) -> list:
    """The result Browser shows is, cell for cell, the embedded engine's on ``G``
    with the parameters Browser holds. The rows."""
    want = QUERIES[name].run(G, {k: v for k, v in held.items() if k != "theory"})
    if not want:
        assert result.records == 0, result.text
        return want
    columns, rows = browser.table()
    assert columns == list(want[0])
    assert rows == [[cell(value) for value in row.values()] for row in want]
    return want


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_query_file_runs_in_browser(neo4j_browser, artifacts, buyin_loaded, buyin_graph, path):
    # buy-in chosen by hand, as with several theories loaded; alone, it needs no choosing
    # (test_the_only_theory_loaded_is_queried_unasked).
    result, held, _ = run_query_file(neo4j_browser, path, artifacts, "buy-in",
                                      theory=buyin_loaded)
    assert held["theory"] == buyin_loaded
    assert_embedded_rows(neo4j_browser, result, path.stem, buyin_graph, held)


# --- which theory a file queries ---------------------------------------------------------------

@pytest.fixture
def second_theory(neo4j_server, buyin_loaded, tmp_path):
    """A small theory loaded beside buy-in under a fresh id, unloaded afterwards: (id, graph)."""
    theory_id = f"browser-{uuid.uuid4().hex[:10]}"
    target = tmp_path / theory_id
    shutil.copytree(SECOND, target)
    manifest = target / "theory.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "\n  id: chains\n" in text
    manifest.write_text(text.replace("\n  id: chains\n", f"\n  id: {theory_id}\n"), encoding="utf-8")
    with neo4j_server.connect() as store:
        load(store, target)
    try:
        yield theory_id, build_graph(load_theory(target))
    finally:
        with neo4j_server.connect() as store:
            unload(store, theory_id)


def test_the_only_theory_loaded_is_queried_unasked(neo4j_browser, neo4j_server, artifacts,
                                                   buyin_loaded, buyin_graph):
    with neo4j_server.connect() as store:
        loaded = store.theories()
    if loaded != [buyin_loaded]:
        pytest.skip(f"the test server holds other theories besides {buyin_loaded} "
                    f"({', '.join(t for t in loaded if t != buyin_loaded)}), loaded by another "
                    "session or left by an interrupted one: the one-theory case cannot be shown")
    result, held, theory = run_query_file(neo4j_browser, ROOT / "queries" / "evidence.cypher",
                                          artifacts)
    assert theory == "success", "with one theory loaded the file runs clean"
    assert held["theory"] == buyin_loaded
    assert assert_embedded_rows(neo4j_browser, result, "evidence", buyin_graph, held)


@pytest.mark.parametrize("name", SECOND_QUERIES)
def test_a_file_queries_the_theory_chosen_among_several(neo4j_browser, artifacts, buyin_loaded,
                                                        buyin_graph, second_theory, name):
    # A researcher who loaded their theory beside buy-in chooses it once with
    # :param theory, and runs the file as it is.
    theory_id, G = second_theory
    path = ROOT / "queries" / f"{name}.cypher"
    result, held, theory = run_query_file(neo4j_browser, path, artifacts, "second",
                                            theory=theory_id)
    assert theory == "error", "with several theories loaded the theory line says so"
    assert held["theory"] == theory_id, "and leaves the theory chosen by hand as it was"
    rows = assert_embedded_rows(neo4j_browser, result, name, G, held)
    assert rows, f"{name} shows nothing on the second theory: nothing tells its rows from buy-in's"
    assert rows != QUERIES[name].run(buyin_graph, {k: v for k, v in held.items() if k != "theory"})


def test_a_file_whose_default_concept_the_chosen_theory_lacks_says_how_to_choose_one(
        neo4j_browser, artifacts, second_theory):
    # upstream.cypher defaults its concept to one of buy-in's: on a researcher's own
    # theory it stops with the command line's words and what to run, not "no records".
    theory_id, _ = second_theory
    frame = neo4j_browser.run_file((ROOT / "queries" / "upstream.cypher").read_text(),
                                   theory=theory_id)
    neo4j_browser.screenshot(artifacts / "upstream-concept-missing.png")
    *params, theory, query = frame.statements
    assert all(status == "success" for _, status in params), frame.statements
    alone = neo4j_browser.run(query[0])
    neo4j_browser.screenshot(artifacts / "upstream-concept-missing-alone.png")
    assert alone.error, alone.text
    assert f"ptgraph: concept: no concept 'less-stressed' in theory '{theory_id}'" in alone.text
    assert ":param concept => 'ID'" in alone.text, alone.text


def test_with_several_theories_and_none_chosen_a_file_says_what_to_run(neo4j_browser, artifacts,
                                                                      buyin_loaded, second_theory):
    theory_id, _ = second_theory
    path = ROOT / "queries" / "evidence.cypher"
    frame = neo4j_browser.run_file(path.read_text())
    neo4j_browser.screenshot(artifacts / "evidence-none-chosen.png")
    *params, theory, query = frame.statements
    assert all(status == "success" for _, status in params), frame.statements
    assert (theory[1], query[1]) == ("error", "skipped"), frame.statements
    # The message lists every theory with the line that chooses it, and what to do next.
    found = SEVERAL.search(frame.text)
    assert found and int(found.group(1)) >= 2, frame.text
    for loaded in (buyin_loaded, theory_id):
        assert f":param theory => '{loaded}'" in frame.text, frame.text
    assert "then run the query on its own, without the :param lines." in frame.text
    # Nothing was chosen for the researcher: the query alone asks for $theory.
    assert "theory" not in neo4j_browser.params()
    alone = neo4j_browser.run(query[0])
    assert alone.error and "Expected parameter(s): theory" in alone.text, alone.text


def test_sample_file_runs_clean(neo4j_browser, artifacts):
    frame = run_clean(neo4j_browser, FIXTURES / "ok.cypher", artifacts)
    assert frame.records == 6  # AP1..AP6
    assert not frame.graph  # ids and statements: a table


@pytest.mark.parametrize("path", BROKEN_FILES, ids=[p.stem for p in BROKEN_FILES])
def test_broken_file_is_caught(neo4j_browser, artifacts, path):
    frame = neo4j_browser.run_file(path.read_text())
    neo4j_browser.screenshot(artifacts / f"{path.stem}.png")
    assert frame.error and frame.problems, f"{path.name} ran without an error frame:\n{frame.text}"


def test_query_folder_drops_in_as_favourites(neo4j_browser):
    # The README's way to keep every query at hand: zip queries/*.cypher, drop the zip.
    files = QUERY_FILES or [FIXTURES / "ok.cypher"]
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for path in files:
            archive.write(path, f"queries/{path.name}")
    neo4j_browser.drop_file("queries.zip", packed.getvalue())
    titles = neo4j_browser.favourites("queries")
    assert sorted(titles) == sorted(p.read_text().splitlines()[0].lstrip("/ ").strip() for p in files)


def test_style_sheet_applies_when_dropped(neo4j_browser, artifacts, buyin):
    # Dropped on Browser, as a researcher drags it in: Browser applies it and
    # shows the style sheet it now uses, which must be ours, rule for rule.
    frame = neo4j_browser.drop_file(GRASS.name, GRASS.read_text())
    assert not frame.problems, frame.text
    shown = parse_grass(frame.text)
    for selector, props in parse_grass(GRASS.read_text()).items():
        assert shown.get(selector) == props, selector

    frame = neo4j_browser.run(BUYIN_VIEW)
    assert frame.graph and not frame.problems, frame.text
    drawn = neo4j_browser.drawn_nodes()
    assert {f"AP{i}" for i in range(1, 7)} <= set(drawn), "CMOCs are captioned with their ids"
    roles = buyin.roles()
    checked = 0
    for concept in buyin.concepts.values():
        if concept.label in drawn:  # long labels are cut short in the circle
            ordered = [r for r in ROLES if r in roles[concept.id]]
            ring = ordered[1] if len(ordered) > 1 else ordered[0]
            assert drawn[concept.label] == (ROLE_FILL[ordered[0]], ROLE_COLOUR[ring]), concept.id
            checked += 1
    assert checked >= 10, f"only {checked} concepts were drawn with their labels as captions"

    picture = neo4j_browser.screenshot_graph(artifacts / "buyin-styled.png")
    if os.environ.get("PTGRAPH_UPDATE_DOCS_IMAGES"):
        README_IMAGE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(picture, README_IMAGE)



# --- queries across theories -------------------------------------------------------------------

ACROSS_FILES = sorted((ROOT / "queries" / "across").glob("*.cypher"))


@pytest.fixture
def example_loaded(neo4j_server, buyin_loaded, repo_root):
    """The second example theory beside buy-in (both map to examples/vocabulary)."""
    with neo4j_server.connect() as store:
        result = load(store, repo_root / "examples" / "deprescribing-review")
    yield result.theory
    if result.status == "loaded":
        with neo4j_server.connect() as store:
            unload(store, result.theory)


@pytest.mark.parametrize("path", ACROSS_FILES, ids=[p.stem for p in ACROSS_FILES])
def test_query_across_file_runs_in_browser(neo4j_browser, artifacts, buyin_loaded, example_loaded,
                                           repo_root, path):
    from ptgraph.across import ACROSS
    from ptgraph.check import load_mapped_theory
    from ptgraph.graph import build_shared_graph

    # the only vocabulary loaded is queried unasked; every theory mapped to it takes part
    frame = neo4j_browser.run_file(path.read_text())
    neo4j_browser.screenshot(artifacts / f"across-{path.stem}.png")
    assert frame.multi and all(status == "success" for _, status in frame.statements), \
        frame.statements
    held = neo4j_browser.params()  # before the query: :params shows a frame of its own
    result = neo4j_browser.run(frame.statements[-1][0])
    neo4j_browser.screenshot(artifacts / f"across-{path.stem}-result.png")
    assert not result.problems and result.loaded, result.text
    assert held["vocabulary"] == "realist-core" and held["theories"] is None
    loaded = [load_mapped_theory(repo_root / p) for p in ("theory", "examples/deprescribing-review")]
    G = build_shared_graph([t for t, _ in loaded], loaded[0][1])
    query = ACROSS[path.stem]
    want = query.run(G, {k: v for k, v in held.items() if k not in ("vocabulary", "theories")})
    assert want, f"{path.stem} finds nothing on the examples: the comparison would show nothing"
    columns, rows = neo4j_browser.table()
    assert columns == list(want[0])
    assert rows == [[cell(value) for value in row.values()] for row in want]
