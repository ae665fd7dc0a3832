"""`ptgraph site`: the pages of the buy-in theory, every link and figure link resolving,
quotes on the page of each CMOC they support, text as written, the same bytes on
every build, golden pages, and the command line's exit codes.

Refresh the golden pages after a deliberate change with
``PTGRAPH_UPDATE_GOLDEN=1 pytest tests/test_site.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markupsafe import escape

from ptgraph.check import load_theory
from ptgraph.site import MARKER, build_site
from ptgraph.site.facts import CMOC_PARTS
from ptgraph.site.pages import path_of

from support.hostile import DRAWABLE, HOSTILE, write_theory

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REVIEW = HERE / "fixtures" / "site" / "review"
GOLDEN = HERE / "golden" / "site"
UPDATE = os.environ.get("PTGRAPH_UPDATE_GOLDEN") == "1"

pytestmark = pytest.mark.dot
if shutil.which("dot") is None:  # pragma: no cover - make test installs Graphviz
    pytestmark = [pytest.mark.dot, pytest.mark.skip(reason="needs Graphviz dot")]


@dataclass
class Parsed:
    """One HTML page: its links (``(href, inside an svg)``), ids and text."""

    links: list[tuple[str, bool]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    duplicates: list[str] = field(default_factory=list)
    svgs: int = 0


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Parsed()
        self.depth = 0  # inside how many <svg>

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.depth += 1
            self.page.svgs += 1
        if "id" in attrs:
            if attrs["id"] in self.page.ids:
                self.page.duplicates.append(attrs["id"])
            self.page.ids.add(attrs["id"])
        for name in ("href", "xlink:href", "src"):
            if attrs.get(name) is not None:
                self.page.links.append((attrs[name], self.depth > 0))

    def handle_endtag(self, tag):
        if tag == "svg":
            self.depth -= 1


def parse(path: Path) -> Parsed:
    walker = _Walker()
    walker.feed(path.read_text(encoding="utf-8"))
    return walker.page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The buy-in site, built once."""
    out = tmp_path_factory.mktemp("site") / "site"
    built = build_site(load_theory(ROOT / "theory"), out)
    return out, built


def walk(out: Path) -> tuple[int, int, list[str]]:
    """Follow every link of every page: (links, figure links, what does not resolve)."""
    top = out.resolve()
    parsed = {p.resolve(): parse(p) for p in out.rglob("*.html")}
    broken, n_links, n_svg = [], 0, 0
    for page, info in sorted(parsed.items()):
        name = page.relative_to(top)
        assert not info.duplicates, f"{name}: ids used twice: {info.duplicates[:5]}"
        for href, in_svg in info.links:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme and not parts.netloc and not href.startswith("/"), \
                f"{name}: not a relative link: {href}"
            n_links += 1
            n_svg += in_svg
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file() or top not in target.parents:
                broken.append(f"{name} -> {href}")
            elif parts.fragment and target in parsed and parts.fragment not in parsed[target].ids:
                broken.append(f"{name} -> {href} (no such id)")
    return n_links, n_svg, broken


# --- the buy-in site --------------------------------------------------------------------

def test_the_buyin_site_has_a_page_for_everything(site, buyin):
    out, built = site
    assert len(list((out / "cmoc").glob("*.html"))) == 26 == len(buyin.cmocs)
    for kind, section in (("cmoc", buyin.cmocs), ("area", buyin.areas), ("concept", buyin.concepts),
                          ("pathway", buyin.pathways), ("site", buyin.sites)):
        for ident in section:
            assert (out / path_of(kind, ident)).is_file(), (kind, ident)
    for name in ("home", "concepts", "evidence", "contrasts", "conflicts", "chains", "report", "search"):
        assert (out / path_of(name)).is_file(), name
    assert (out / MARKER).is_file()
    assert built.files == sorted(built.files)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == built.files


def test_every_quote_is_on_the_page_of_each_cmoc_it_supports(site, buyin):
    out, _ = site
    checked = 0
    for e in buyin.evidence.values():
        for mid in e.supports + e.refutes:
            page = (out / path_of("cmoc", mid)).read_text(encoding="utf-8")
            assert f'id="quote-{e.id}"' in page, (e.id, mid)
            assert str(escape(e.quote)) in page, (e.id, mid)
            if e.participant:
                assert str(escape(e.participant)) in page
            checked += 1
    assert checked >= len(buyin.evidence) == 38


def test_every_link_and_every_figure_link_resolves(site):
    out, _ = site
    n_links, n_svg, broken = walk(out)
    assert not broken, f"{len(broken)} links do not resolve, e.g. {broken[:10]}"
    assert n_links > 3000 and n_svg > 500, (n_links, n_svg)


def test_the_overview_links_every_cmoc_and_concept(site, buyin):
    out, _ = site
    home = parse(out / "index.html")
    figure_links = {href for href, in_svg in home.links if in_svg}
    assert {f"cmoc/{m}.html" for m in buyin.cmocs} <= figure_links
    used = {c for m in buyin.cmocs.values() for r in ("context", "mechanism", "outcome")
            for c in m.concepts(r)}
    assert {f"concept/{c}.html" for c in used} <= figure_links
    assert {f"area/{a}.html" for a in buyin.areas} <= figure_links
    assert home.svgs == 2  # the overview and the pathways


def test_a_cmoc_page_shows_its_parts_chains_contrasts_and_card(site):
    out, _ = site
    page = (out / "cmoc" / "AP1.html").read_text(encoding="utf-8")
    for field, heading in CMOC_PARTS:  # the buy-in paper has no resources, interventions, actors
        assert (f"<dt>{heading}</dt>" in page) == (field in ("context", "mechanism", "outcome"))
    assert "Reliable, trusted link worker" in page
    assert '<a href="../cmoc/AP4.html">AP4</a>' in page  # the chain EN2 -> AP4 -> AP1
    assert "context-dependent" in page  # feel-less-alone across AP1, IS3, RD5
    assert 'aria-label="Figure: CMOC AP1 as a card' in page
    assert "<title>" in page and page.count("<title>") == 1  # Graphviz's node titles are gone


def test_every_figure_has_alt_text_and_named_links(site):
    out, _ = site
    for path in out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for svg in re.findall(r"<svg\b[^>]*>", text):
            assert 'aria-label="Figure: ' in svg, path
        for a in re.findall(r"<a\b[^>]*xlink:href[^>]*>", text):
            assert "aria-label=" in a, (path, a)


def test_search_index_covers_quotes_statements_and_labels(site, buyin):
    out, _ = site
    script = (out / "static" / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("// The search index") and "window.PTGRAPH_SEARCH = {" in script
    import json
    data = json.loads(script.split("window.PTGRAPH_SEARCH = ", 1)[1].rstrip(";\n"))
    docs = data["docs"]
    assert {f"quote:{e}" for e in buyin.evidence} <= set(docs)
    assert {f"cmoc:{m}" for m in buyin.cmocs} <= set(docs)
    assert docs["quote:q-en-01"]["links"][0] == {"text": "EN2", "url": "cmoc/EN2.html#quote-q-en-01"}
    assert data["index"]["version"] == "2.3.9"
    assert (out / "static" / "vendor" / "lunr" / "LICENSE").is_file()



def _index(out: Path) -> dict:
    import json
    script = (out / "static" / "search-index.js").read_text(encoding="utf-8")
    return json.loads(script.split("window.PTGRAPH_SEARCH = ", 1)[1].rstrip(";\n"))


def test_a_search_result_shows_each_field_apart_as_its_page_does(site, buyin):
    # what the search page shows of a result (site.js: doc.text), never words run together
    out, _ = site
    data = _index(out)
    docs = data["docs"]
    shown = docs["concept:less-stressed"]["text"]
    assert "less-stressed Patients" not in shown
    assert shown == ("Id: less-stressed · Roles: mechanism, outcome\n"
                     "Patients' stress and anxiety are eased (IS3 mechanism; KS4, AP1, RD3 outcome).")
    assert docs["cmoc:AP1"]["text"] == (
        buyin.cmocs["AP1"].statement + "\nContext: Reliable, trusted link worker"
        "\nMechanism: Feel less alone\nOutcome: Less stressed or anxious")
    for cid, c in buyin.concepts.items():
        lines = docs[f"concept:{cid}"]["text"].split("\n")
        assert lines[0].startswith(f"Id: {cid} · "), cid  # never an id glued to a label
        assert lines[1:] == ([c.description] if c.description else []), cid
    for mid, m in buyin.cmocs.items():
        lines = docs[f"cmoc:{mid}"]["text"].split("\n")
        assert lines[0] == m.statement and m.notes in (None, lines[-1].removeprefix("Notes: "))
        for line in lines[1:]:
            heading, _, labels = line.partition(": ")
            assert heading in {"Context", "Context (any one of)", "Mechanism", "Outcome", "Notes"}
            assert labels and not labels.startswith(" "), (mid, line)
    for sid, s in buyin.sites.items():
        assert docs[f"site:{sid}"]["text"].split("\n") == [
            f"{key.replace('_', ' ')}: {value}" for key, value in s.attributes.items()]
    assert all("body" not in d for d in docs.values())  # the words searched stay in the index
    # ids are still searched: the index finds a concept by its id, and the words of every part
    from lunr.index import Index
    index = Index.load(data["index"])
    assert "concept:less-stressed" in [hit["ref"] for hit in index.search("less-stressed")]


def test_an_example_search_result_names_every_part_and_site_value_as_its_page(example):
    docs = _index(example)["docs"]
    assert docs["cmoc:EG3"]["text"].split("\n")[1:] == [
        "Intervention: Invitation to a medication review",
        "Context: Unaware pharmacists work in practice",
        "Mechanism (resource): Pharmacist's introductory call",
        "Actor: Older patient; Practice pharmacist",
        "Mechanism (reasoning): Reassured about purpose",
        "Outcome: Attends the review"]


def test_review_site_search_shows_site_values_as_the_site_page(review):
    docs = _index(review)["docs"]
    assert docs["site:north"]["text"] == "deprivation: High\npractices: 3\nurban: true\ntags: a, b"
    page = (review / "site" / "north.html").read_text(encoding="utf-8")
    for value in ("High", "3", "true", "a, b"):
        assert f'<td class="as-written">{value}</td>' in page
    m1 = docs["cmoc:M1"]["text"].split("\n")
    assert m1[1] == "Context (any one of): Group meeting; A home visit"
    assert docs["cmoc:M1"]["text"].endswith("\nNotes: Two   spaces\nand a new line.")  # as written


# --- the navigation bar marks the page's own entry, and only that -------------------------

def _nav_marks(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Site">(.*?)</nav>', html, flags=re.S).group(1)
    return [text for attrs, text in re.findall(r"<a ([^>]*)>([^<]*)</a>", nav)
            if "aria-current" in attrs or "here" in attrs]


@pytest.mark.parametrize("which", ["buyin", "review"])
def test_the_navigation_marks_only_the_page_own_entry(site, review, which):
    from ptgraph.site.pages import NAV
    out = site[0] if which == "buyin" else review
    kinds = set()
    for path in sorted(out.rglob("*.html")):
        name = str(path.relative_to(out))
        html = path.read_text(encoding="utf-8")
        own = [text for entry, text in NAV if path_of(entry) == name]
        assert _nav_marks(html) == own, (name, _nav_marks(html))
        if own:
            assert f'aria-current="page">{own[0]}</a>' in html, name
        kinds.add(name.split("/")[0] if "/" in name else name)
    assert {"cmoc", "area", "concept", "pathway", "site", "index.html", "evidence.html",
            "report.html"} <= kinds
    if which == "review":
        assert "source" in kinds


# --- the card's alt text names the parts the card draws --------------------------------------

def _card_label(html: str) -> str:
    from html import unescape
    return unescape(re.search(r'<figure class="diagram">\s*<div class="scroll"><svg\b[^>]*'
                              r'aria-label="([^"]*)"', html).group(1))


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The deprescribing-review example: interventions, resources and actors."""
    out = tmp_path_factory.mktemp("example") / "site"
    build_site(load_theory(ROOT / "examples" / "deprescribing-review"), out)
    return out


def test_a_card_alt_text_names_every_part_it_draws_in_order(example, site):
    eg3 = (example / "cmoc" / "EG3.html").read_text(encoding="utf-8")
    assert _card_label(eg3) == (
        "Figure: CMOC EG3 as a card, under its statement and evidence, its parts from top to "
        "bottom: Intervention: Invitation to a medication review; Context: Unaware pharmacists "
        "work in practice; Mechanism (resource): Pharmacist's introductory call; Actor: Older "
        "patient and Practice pharmacist; Mechanism (reasoning): Reassured about purpose; "
        "Outcome: Attends the review; each concept a link to its page. "
        "The text of this page says the same.")
    assert ("<figcaption>The configuration EG3 as a card: intervention, context, mechanism "
            "(resource), actor, mechanism (reasoning), outcome.</figcaption>") in eg3
    ap1 = (site[0] / "cmoc" / "AP1.html").read_text(encoding="utf-8")
    assert _card_label(ap1) == (
        "Figure: CMOC AP1 as a card, under its statement and evidence, its parts from top to "
        "bottom: Context: Reliable, trusted link worker; Mechanism: Feel less alone; Outcome: "
        "Less stressed or anxious; each concept a link to its page. "
        "The text of this page says the same.")
    assert "<figcaption>The configuration AP1 as a card: context, mechanism, outcome.</figcaption>" in ap1


@pytest.mark.parametrize("where", ["theory", "examples/deprescribing-review"])
def test_every_card_alt_text_follows_the_card_rows(where, site, example):
    from ptgraph.render import card_rows
    theory = load_theory(ROOT / where)
    out = site[0] if where == "theory" else example
    for mid, m in theory.cmocs.items():
        label = _card_label((out / path_of("cmoc", mid)).read_text(encoding="utf-8"))
        at = 0
        for role, name in card_rows(m):
            joiner = " or " if role == "context" and m.context_any else " and "
            words = f"{name}: {joiner.join(theory.concepts[c].label for c in m.concepts(role))}"
            found = label.find(words, at)
            assert found > at, (mid, words, label)
            at = found + len(words)
        assert {r for r, _ in card_rows(m)} == {r for r in ("intervention", "context", "resource",
                                                               "actor", "mechanism", "outcome")
                                                    if m.concepts(r)}


# --- the same bytes, and golden pages ------------------------------------------------------

def _build_in_process(theory: Path, out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", "from ptgraph.cli import main; main()",
                           "site", str(theory), "-o", str(out)],
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_two_builds_give_the_same_bytes(tmp_path):
    # separate processes with different hash seeds: set and dict order cannot leak in
    _build_in_process(ROOT / "theory", tmp_path / "a", "1")
    _build_in_process(ROOT / "theory", tmp_path / "b", "2")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    for name, data in a.items():
        for leak in (str(ROOT).encode(), str(tmp_path).encode()):
            assert leak not in data, f"{name} holds a path of this machine"


def _without_figures(html: str) -> str:
    """A page with its inline SVG left out: Graphviz's drawing varies with its version."""
    return re.sub(r"<svg\b.*?</svg>", "<svg><!-- figure --></svg>", html, flags=re.S)


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    out = tmp_path_factory.mktemp("review") / "site"
    build_site(load_theory(REVIEW), out)
    return out


def test_review_pages_match_golden_files(review):
    pages = sorted(p for p in review.rglob("*.html"))
    names = [str(p.relative_to(review)) for p in pages]
    if UPDATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for page, name in zip(pages, names):
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_without_figures(page.read_text(encoding="utf-8")), encoding="utf-8")
    golden = sorted(str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*.html"))
    assert names == golden, "pages differ from tests/golden/site; refresh with PTGRAPH_UPDATE_GOLDEN=1"
    for page, name in zip(pages, names):
        assert _without_figures(page.read_text(encoding="utf-8")) == \
            (GOLDEN / name).read_text(encoding="utf-8"), (
            f"{name} differs from tests/golden/site/{name}; if the change is intended, refresh "
            "with PTGRAPH_UPDATE_GOLDEN=1 and review the diff")


def test_review_site_links_resolve_and_text_is_escaped(review):
    _, _, broken = walk(review)
    assert not broken, broken
    home = (review / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in home
    assert "Line one\nline   two &lt;script&gt;alert(1)&lt;/script&gt;" in home
    assert "Review &lt;fixture&gt; &amp; &#34;friends&#34;" in home
    odd = (review / "source" / "odd.html").read_text(encoding="utf-8")
    assert 'href="javascript:' not in odd and "javascript:alert(1)" in odd
    assert "Odd &lt;b&gt;bold&lt;/b&gt; source" in odd
    m1 = (review / "cmoc" / "M1.html").read_text(encoding="utf-8")
    assert "Context (any one of)" in m1 and "Refuting quotes" in m1
    o1 = (review / "cmoc" / "O1.html").read_text(encoding="utf-8")
    assert "Confidence: moderate" in o1 and "Refined by" in o1
    assert "opposing-outcomes" in o1  # its conflict with O2
    assert (review / "conflicts.html").read_text(encoding="utf-8").count("<svg") == 1


# --- text as written, whatever it holds --------------------------------------------------

def test_hostile_text_is_on_every_page_as_written(tmp_path):
    root = tmp_path / "theory"
    write_theory(root, "hostile", DRAWABLE, HOSTILE)
    out = tmp_path / "site"
    build_site(load_theory(root), out)
    for i, s in enumerate(DRAWABLE):
        page = (out / "cmoc" / f"M{i}.html").read_bytes().decode("utf-8")  # \r as written
        assert str(escape(s)) in page, (i, s)
        assert str(escape(s)) in (out / "concept" / f"ctx{i}.html").read_bytes().decode("utf-8")
    _, _, broken = walk(out)
    assert not broken, broken[:5]


# --- the command line -------------------------------------------------------------------

def test_site_command_writes_and_prints_the_address(ptgraph, tmp_path):
    run = ptgraph("site", REVIEW, "-o", tmp_path / "out")
    assert run.code == 0, run
    assert run.out.startswith("wrote 31 files to ") and "file://" in run.out
    again = ptgraph("site", REVIEW, "-o", tmp_path / "out")  # a site ptgraph wrote is replaced
    assert again.code == 0, again


def test_site_refuses_a_theory_check_refuses(ptgraph, theory_copy, tmp_path):
    path = theory_copy / "cmocs" / "enrolment.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("context: gp-referral",
                                                             "context: gp-refferal"), encoding="utf-8")
    run = ptgraph("site", theory_copy, "-o", tmp_path / "out")
    assert run.code == 1, run
    assert "E201" in run.err and "enrolment.yaml:" in run.err
    assert not (tmp_path / "out").exists()


def test_site_refuses_a_folder_of_other_files(ptgraph, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    run = ptgraph("site", REVIEW, "-o", tmp_path / "mine")
    assert run.code == 2 and "ptgraph did not write" in run.err, run
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_site_without_graphviz_exits_2_and_writes_nothing(ptgraph, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    run = ptgraph("site", REVIEW, "-o", tmp_path / "out")
    assert run.code == 2 and "Graphviz" in run.err, run
    assert not (tmp_path / "out").exists()
