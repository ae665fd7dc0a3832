"""Every query file pasted into the real Neo4j Browser, in headless Chromium, against the test server.

Each file runs as a researcher runs it: parameters cleared, the whole text
pasted into the editor, Ctrl+Enter. Browser then runs it in its
multi-statement mode, which shows each statement's status but not the
query's result; so the query is then run on its own (the parameters the file
set are still there) to see the result itself, as a table or a graph.
Screenshots go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from neo4j_browser import Frame, NeoBrowser, parse_grass
from ptgraph.model import ROLES
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


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_query_file_runs_in_browser(neo4j_browser, artifacts, path):
    run_clean(neo4j_browser, path, artifacts)


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

