"""Writes the outputs of the buy-in theory that tests/test_before_issue_15.py compares.

Run from the repository root with the code of commit d9a5faf (before sources and
confidence) first on the path, e.g.
``base=$(mktemp -d) && git archive d9a5faf src | tar -x -C "$base" && PYTHONPATH="$base/src"
python tests/golden/before-issue-15/generate.py tests/golden/before-issue-15``; check.txt and
evidence-table.txt are `ptgraph check theory` and `ptgraph query evidence theory`
(no parameter, flagged=true, by=deprivation) at COLUMNS=100.
"""
import json, sys
from pathlib import Path
from ptgraph.check import check_theory, load_theory
from ptgraph.graph import build_graph, dump_graph
from ptgraph.queries import QUERIES
from ptgraph.render import figure, standard_views
from ptgraph.problems import format_text

out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
root = Path("theory")
t = load_theory(root)
G = build_graph(t)
(out / "graph.json").write_text(json.dumps(dump_graph(G), indent=1, ensure_ascii=False) + "\n")
PARAMS = {"chains": [{}], "paths": [{"from": "take-up-referral", "to": "less-stressed"}],
          "upstream": [{"concept": "less-stressed"}], "downstream": [{"concept": "open-up"}],
          "bridges": [{}], "conflicts": [{}], "contrasts": [{}, {"by": "context"}],
          "evidence": [{}, {"flagged": "true"}, {"by": "deprivation"}, {"by": "id"}],
          "hubs": [{}]}
rows = {}
for name, cases in PARAMS.items():
    for raw in cases:
        key = name + "".join(f" {k}={v}" for k, v in raw.items())
        rows[key] = list(QUERIES[name].run(G, QUERIES[name].parse(raw)))
(out / "queries.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
dot = out / "dot"; dot.mkdir(exist_ok=True)
for view in standard_views(t):
    fig = figure(t, view)
    (dot / f"{fig.name}.dot").write_text(fig.source, encoding="utf-8")
