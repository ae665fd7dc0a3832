"""``ptgraph site``: a theory as a static website for people who never open a terminal.

:func:`build_site` writes a folder of HTML pages (Jinja2 templates under
``templates/``, autoescaped: every text as the researcher wrote it), the
figures of :mod:`ptgraph.render` inlined as SVG whose concepts and CMOCs link
to their pages, a lunr search index, and the stylesheet and scripts under
``static/``. The site needs no server: every link is relative, and nothing is
fetched, so it works from ``file://`` and from GitHub Pages alike. The same
theory always gives the same bytes (no dates, no machine paths), so a site can
be committed or published from CI.

Modules: :mod:`.facts` (what pages say), :mod:`.pages` (the kinds of page),
:mod:`.figures` (linked SVG), :mod:`.search` (the index), and this one, which
renders and writes them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..errors import PtgraphError, UsageError
from ..model import Theory
from ..render import _umask, card_rows
from .facts import CMOC_PARTS, Facts, gather
from .figures import Drawing, draw
from .pages import NAV, PAGE_KINDS, Page, cmoc_parts, pages, path_of
from .search import attribute_text, index_script

#: A file at the top of every site ptgraph writes: a folder holding it may be replaced.
MARKER = ".ptgraph-site"
#: Files copied as they are, from the package's ``static/`` folder to the site's.
STATIC = ("site.css", "site.js", "vendor/lunr/lunr.min.js", "vendor/lunr/LICENSE")


@dataclass
class Built:
    """What :func:`build_site` wrote: the folder, and the site's files from its top, sorted."""

    outdir: Path
    files: list[str] = field(default_factory=list)

    @property
    def index(self) -> Path:
        """The home page."""
        return self.outdir / path_of("home")


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the site's templates: autoescaped, strict about
    undefined names, and keeping no trailing blanks, so the HTML is tidy."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("ptgraph.site", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_pages(f: Facts) -> dict[str, bytes]:
    """Every file of the site, by its path from the top: pages, static files and the index.

    Raises
    ------
    GraphvizError
        When ``dot`` is missing or fails.
    """
    env = environment()
    all_pages = pages(f)
    drawings = [(page, Drawing(key, view, page.href)) for page in all_pages
                for key, view in page.figures]
    svgs = draw(f.theory, [d for _, d in drawings])
    figures: dict[str, dict[str, dict]] = {}
    for (page, d), svg in zip(drawings, svgs):
        figures.setdefault(page.path, {})[d.key] = Markup(svg)
    out: dict[str, bytes] = {}
    for page in all_pages:
        html = env.get_template(page.template).render(
            page=page, f=f, t=f.theory, href=page.href, root=page.root, nav=NAV,
            figures=figures.get(page.path, {}), cmoc_parts=lambda m: cmoc_parts(f, m),
            card_rows=card_rows, attribute_text=attribute_text,
            **page.context)
        out[page.path] = html.encode("utf-8")
    static = resources.files("ptgraph.site") / "static"
    for name in STATIC:
        out[f"static/{name}"] = (static / name).read_bytes()
    out["static/search-index.js"] = index_script(f).encode("utf-8")
    out[MARKER] = ("A website written by ptgraph site; `ptgraph site -o` may replace this folder.\n"
                   ).encode("utf-8")
    return dict(sorted(out.items()))


def _check_outdir(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir} is a file; name a folder for the site")
    if outdir.is_dir() and any(outdir.iterdir()) and not (outdir / MARKER).exists():
        raise UsageError(f"{outdir} holds files ptgraph did not write; name an empty or new "
                         f"folder (a folder ptgraph site wrote is replaced)")


def write_site(files: dict[str, bytes], outdir: str | Path) -> Path:
    """Write ``files`` as the folder ``outdir``, replacing a site ptgraph wrote there before.

    The new site is written beside ``outdir`` and then moved into its place, so
    a failure leaves the old site whole, and files of an older build that this
    one no longer has do not linger.
    """
    outdir = Path(outdir)
    _check_outdir(outdir)
    try:
        outdir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=outdir.parent, prefix=f".{outdir.name}.", suffix=".tmp"))
        try:
            os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes the folder private; a site is not
            for name, data in files.items():
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            old = None
            if outdir.exists():
                old = outdir.with_name(f".{outdir.name}.old.{os.getpid()}")
                os.replace(outdir, old)
            os.replace(staging, outdir)
            if old is not None:
                shutil.rmtree(old)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
    except OSError as exc:
        raise PtgraphError(f"cannot write the site to {outdir}: {exc.strerror or exc}") from None
    return outdir


def build_site(theory: Theory, outdir: str | Path = "site") -> Built:
    """Write the website of a theory into ``outdir``.

    Parameters
    ----------
    theory : Theory
        A theory that passes ``check`` (:func:`ptgraph.check.load_theory`).
    outdir : str or Path
        The site's folder: new, empty, or one ``ptgraph site`` wrote before
        (it is replaced whole).

    Returns
    -------
    Built
        The folder and its files.

    Raises
    ------
    UsageError
        When ``outdir`` is a file, or a folder holding files ptgraph did not write.
    GraphvizError
        When Graphviz ``dot`` is missing or fails.
    PtgraphError
        When the folder cannot be written.
    """
    _check_outdir(Path(outdir))  # before the work, as well as before the write
    files = render_pages(gather(theory))
    out = write_site(files, outdir)
    return Built(out, list(files))


__all__ = ["Built", "CMOC_PARTS", "MARKER", "PAGE_KINDS", "Page", "build_site", "environment",
           "render_pages", "write_site"]
