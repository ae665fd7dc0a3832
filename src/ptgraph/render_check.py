"""Are the committed figures up to date? (``ptgraph render --check``, the pre-commit hook)

The DOT that :mod:`ptgraph.render` writes is deterministic, so a figure is up
to date exactly when its committed ``.dot`` file equals what the theory draws
now. SVG and PNG files are not compared: their bytes depend on the Graphviz
version; they are redrawn from the DOT by ``ptgraph render``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from .model import Theory
from .render import figure, standard_views


def stale_figures(theory: Theory, views: Sequence[str] | None = None,
                  outdir: str | Path = "diagrams", params: Mapping[str, str] | None = None
                  ) -> list[tuple[Path, str]]:
    """Committed figures that differ from what ``theory`` draws: ``(path, why)``.

    ``why`` is ``missing``, ``out of date``, or (with the default views)
    ``no longer drawn`` for a ``.dot`` file no standard view writes any more
    (a removed CMOC's card, say); ``*-diff.dot`` files from ``render --diff``
    are left alone. ``params`` go to the chains and conflicts views, as for
    :func:`ptgraph.render.figure`. Nothing is written.
    """
    out = Path(outdir)
    found: list[tuple[Path, str]] = []
    names = set()
    for view in dict.fromkeys(views or standard_views(theory)):
        fig = figure(theory, view, params)
        names.add(fig.name)
        path = out / f"{fig.name}.dot"
        if not path.is_file():
            found.append((path, "missing"))
        elif path.read_text(encoding="utf-8").replace("\r\n", "\n") != fig.source:  # git autocrlf
            found.append((path, "out of date"))
    if views is None and out.is_dir():
        found += [(p, "no longer drawn") for p in sorted(out.glob("*.dot"))
                  if p.stem not in names and not p.stem.endswith("-diff")]
    return found
