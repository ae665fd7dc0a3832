"""The files a researcher opens in Neo4j Browser: one Cypher twin per named query, and the style sheet.

These checks need no browser; ``test_browser.py`` runs the same files in the real one.
"""

from __future__ import annotations

from pathlib import Path

from neo4j_browser import parse_grass
from ptgraph.graph import NODE_LABELS, ROLE_LABELS
from ptgraph.model import ROLES
from ptgraph.queries import QUERIES
from ptgraph.render import ROLE_COLOUR, ROLE_FILL

QUERIES_DIR = Path(__file__).resolve().parents[2] / "queries"
GRASS = QUERIES_DIR / "ptgraph.grass"


def test_every_named_query_has_a_browser_twin():
    twins = {path.stem for path in QUERIES_DIR.glob("*.cypher")}
    assert twins, "queries/ holds no .cypher file: the Browser tests would check nothing"
    missing = sorted(set(QUERIES) - twins)
    assert not missing, f"named queries without a queries/<name>.cypher twin: {missing}"


def test_style_sheet_has_no_comments():
    # Browser's grass parser knows no comments: one would corrupt the selector after it.
    text = GRASS.read_text()
    assert "/*" not in text and "//" not in text


def test_style_sheet_colours_roles_as_the_figures_do():
    rules = parse_grass(GRASS.read_text())
    for role, label in ROLE_LABELS.items():
        assert rules[f"node.{label}"]["color"] == ROLE_FILL[role]
        assert rules[f"node.{label}"]["border-color"] == ROLE_COLOUR[role]
        assert rules[f"relationship.HAS_{label.upper()}"]["color"] == ROLE_COLOUR[role]
    # A concept with two roles: the first role's fill, ringed in the second role's colour.
    for i, first in enumerate(ROLES):
        for second in ROLES[i + 1:]:
            rule = rules[f"node.{ROLE_LABELS[first]}.{ROLE_LABELS[second]}"]
            assert (rule["color"], rule["border-color"]) == (ROLE_FILL[first], ROLE_COLOUR[second])


def test_style_sheet_styles_and_captions_every_label():
    rules = parse_grass(GRASS.read_text())
    for label in NODE_LABELS:
        assert "color" in rules[f"node.{label}"], label
    captions = {label: rules[f"node.{label}"].get("caption") for label in NODE_LABELS}
    assert captions == {"Theory": "{id}", "Area": "{label}", "Site": "{label}",
                        "Concept": "{label}", "CMOC": "{id}", "Evidence": "{id}",
                        "Pathway": "{label}", "Source": "{id}", "Vocabulary": "{id}",
                        "Term": "{label}", "MiddleRangeTheory": "{label}"}
    # A theory's concept maps to a vocabulary term with SKOS's match type.
    assert rules["relationship.MAPS_TO"]["caption"] == "{match}"
    # Arrows between concepts carry the ids of the CMOCs that draw them, as in the figures.
    assert rules["relationship.TRIGGERS"]["caption"] == "{cmoc}"
    assert rules["relationship.PRODUCES"]["caption"] == "{cmoc}"
