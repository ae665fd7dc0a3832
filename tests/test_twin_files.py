"""The Cypher twins in queries/ as files: one per named query, each in Browser's format.

No server here: ``tests/neo4j/test_twins.py`` runs them on Neo4j.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ptgraph.errors import UsageError
from ptgraph.queries import QUERIES
from ptgraph.store import QUERIES_DIR
from ptgraph.twins import check_twins, parse_twin, read_twin, split_statements, twin_names

OK = """// ok: a title
// more words
:param area => 'a;b'; // a ';' in a string is not the end
:param theory => COLLECT { MATCH (t:Theory) RETURN t.id }[0];
MATCH (m:CMOC {theory: $theory}) // a comment with a $word
WHERE m.area = $area /* and ; here */
RETURN m.id AS id;
"""


def test_every_named_query_has_a_twin_and_every_twin_a_query():
    assert check_twins() == []
    assert twin_names() == sorted(QUERIES)


def test_a_missing_or_stray_twin_is_reported(tmp_path):
    for path in QUERIES_DIR.glob("*.cypher"):
        shutil.copy(path, tmp_path)
    (tmp_path / "hubs.cypher").unlink()
    shutil.copy(QUERIES_DIR / "paths.cypher", tmp_path / "path.cypher")
    assert check_twins(tmp_path) == [
        "query hubs has no twin queries/hubs.cypher",
        "queries/path.cypher is named after no query of `ptgraph query --list`",
    ]


def test_twin_parameters_are_the_querys_own_then_theory(tmp_path):
    for path in QUERIES_DIR.glob("*.cypher"):
        shutil.copy(path, tmp_path)
    text = (tmp_path / "chains.cypher").read_text()
    (tmp_path / "chains.cypher").write_text(text.replace(":param from => null;\n:param to => null;\n",
                                                         ":param to => null;\n:param from => null;\n"))
    assert check_twins(tmp_path) == [
        "chains.cypher: its ':param' lines are ['to', 'from', 'max_length', 'limit', 'theory'], "
        "not ['from', 'to', 'max_length', 'limit', 'theory']"]


def theory_line(name: str) -> str:
    return next(line for line in (QUERIES_DIR / f"{name}.cypher").read_text().splitlines()
                if line.startswith(":param theory =>"))


def test_a_twin_that_names_one_theory_is_reported(tmp_path):
    # The fault this rule is for: a file fixed to the worked example gives a
    # researcher who loaded another theory the worked example's rows.
    for path in QUERIES_DIR.glob("*.cypher"):
        shutil.copy(path, tmp_path)
    for name, fixed in (("evidence", "'buy-in'"), ("hubs", '"buy-in"')):
        path = tmp_path / f"{name}.cypher"
        path.write_text(path.read_text().replace(theory_line(name), f":param theory => {fixed};"))
    assert check_twins(tmp_path) == [
        f"{name}.cypher: ':param theory => {fixed}' names one theory, so a researcher who loaded "
        "another would get its rows; use the 'theory' line of the other twins, which reads the database"
        for name, fixed in (("evidence", "'buy-in'"), ("hubs", '"buy-in"'))]


def test_every_twin_has_the_same_theory_line(tmp_path):
    for path in QUERIES_DIR.glob("*.cypher"):
        shutil.copy(path, tmp_path)
    path = tmp_path / "paths.cypher"
    path.write_text(path.read_text().replace(theory_line("paths"),
                                             theory_line("paths").replace("Choose one:", "Pick one:")))
    assert check_twins(tmp_path) == [
        "paths.cypher: its ':param theory' line differs from bridges.cypher's; every twin has "
        "the same one"]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_twin_is_in_browser_format(name):
    text = (QUERIES_DIR / f"{name}.cypher").read_text()
    lines = text.splitlines()
    assert lines[0].startswith(f"// {name}: "), "the title (Browser's favourite name) comes first"
    params = [line for line in lines if line.startswith(":param")]
    assert params and all(line.endswith(";") for line in params)
    assert text.rstrip().endswith(";") and not text.endswith("\n\n")
    # Nothing in a comment that a splitter unaware of comments would take for Cypher.
    comments = [line for line in lines if line.lstrip().startswith("//")]
    assert not [line for line in comments if ";" in line or "'" in line]
    twin = read_twin(name)
    assert twin.title == lines[0][3:]
    assert list(twin.params) == [*QUERIES[name].params, "theory"]
    # The theory is read from the database, never the worked example's id written in.
    theory = twin.params["theory"]
    assert "buy-in" not in theory and theory.startswith("[ids IN [COLLECT { MATCH (t:Theory)")
    assert "\n" not in theory, "a command is one line"
    # With none or several theories loaded it stops, saying what to run next.
    for words in ("no theory is loaded in this database", "ptgraph load PATH",
                  "theories are loaded in this database", "the theory parameter stays as it was",
                  ":param theory => '", "then run the query on its own"):
        assert words in theory, words


class RecordingStore:
    """Stands in for :class:`ptgraph.store.Store`: answers ``RETURN ... AS p0, ...`` with the
    expressions themselves, and keeps the text it was sent."""

    def __init__(self):
        self.sent: list[str] = []

    def run_query_text(self, text, params=None):
        self.sent.append(text)
        exprs = text.removeprefix("RETURN ").split(", ")
        return [{f"p{k}": expr.rsplit(" AS ", 1)[0] for k, expr in enumerate(exprs)}]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_defaults_leave_the_theory_expression_alone(name):
    # `ptgraph query --neo4j` always names its theory: the expression that
    # stands for the Browser user's choice (and fails with several theories
    # loaded) is never sent.
    twin = read_twin(name)
    store = RecordingStore()
    defaults = twin.defaults(store)
    assert list(defaults) == list(QUERIES[name].params)
    assert all("Theory" not in text for text in store.sent)


def test_statements_split_as_browser_splits_them():
    statements = split_statements(OK)
    assert [(s.line, s.ended) for s in statements] == [(3, True), (4, True), (5, True)]
    assert statements[0].text == ":param area => 'a;b'"
    assert "comment" not in statements[2].text and "here" not in statements[2].text
    twin = parse_twin(OK, Path("ok.cypher"))
    assert twin.params == {"area": "'a;b'", "theory": "COLLECT { MATCH (t:Theory) RETURN t.id }[0]"}
    assert twin.uses == {"theory", "area"}  # not $word, which is in a comment
    assert twin.query.startswith("MATCH") and twin.query.endswith("RETURN m.id AS id")


@pytest.mark.parametrize("text, message", [
    (OK.replace("RETURN m.id AS id;", "RETURN m.id AS id"),
     "ok.cypher:5: every statement ends with ';'"),
    (OK.replace("[0];", "[0]"), "ok.cypher:4: every statement ends with ';'"),
    (OK.replace("// ok: a title\n// more words\n", ""), "ok.cypher:1: a twin starts with comment lines"),
    (OK.replace(":param theory => COLLECT { MATCH (t:Theory) RETURN t.id }[0];\n", ""),
     "ok.cypher:3: the last parameter, right before the query, is ':param theory"),
    (OK.replace(":param area => 'a;b'; // a ';' in a string is not the end\n", "")
       .replace("[0];\n", "[0];\n:param area => 'a;b';\n"),
     "ok.cypher:4: the last parameter, right before the query, is ':param theory"),
    (OK.replace(":param area => 'a;b';", ":param area: 'x';"),
     "ok.cypher:3: before the query only ':param name => value;' lines may come"),
    (OK.replace(":param area => 'a;b';", ":param theory => 'x';"),
     "ok.cypher:4: parameter 'theory' is set twice"),
    (OK.replace("$area", "$areas"), "ok.cypher:5: the query uses $areas, which has no ':param' line"),
    (OK.replace("WHERE m.area = $area", ""), "':param area' is not used by the query"),
    (OK + ":param x => 1;\n", "ok.cypher:8: the last statement must be the query"),
])
def test_malformed_twins_are_refused_with_file_and_line(text, message):
    with pytest.raises(UsageError) as info:
        parse_twin(text, Path("ok.cypher"))
    assert message in str(info.value)


def test_a_query_without_a_twin_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="query hubs has no Cypher twin: hubs.cypher is missing"):
        read_twin("hubs", tmp_path)


def test_a_concept_default_without_the_guard_or_with_another_guard_is_reported(tmp_path):
    # The fault this rule is for: a twin whose concept defaults to the worked example's id
    # shows "no records" on any other theory, where `ptgraph query` names the concept.
    for path in QUERIES_DIR.glob("*.cypher"):
        shutil.copy(path, tmp_path)
    assert check_twins(tmp_path) == []
    guard = next(line for line in (QUERIES_DIR / "paths.cypher").read_text().splitlines()
                 if line.startswith("WHERE CASE WHEN missing IS NULL"))
    up = tmp_path / "upstream.cypher"
    up.write_text(up.read_text().replace(guard, guard.replace("missing[0]", "'concept'")))
    down = tmp_path / "downstream.cypher"
    text = down.read_text()
    start, end = text.index("WITH [p IN [['concept'"), text.index("IS NULL END\n") + len("IS NULL END\n")
    down.write_text(text[:start] + text[end:])
    assert check_twins(tmp_path) == [
        "downstream.cypher: ':param concept' names a concept of one theory, and the file has no "
        "guard for a concept the theory queried lacks, so Browser shows 'no records' there; use "
        "upstream.cypher's",
        "upstream.cypher: its concept guard differs from paths.cypher's; every twin that has one "
        "has the same"]
