"""The ``ptgraph`` command line. Each command parses options and calls the library.

Exit codes, for every command (also in the README):

0  done (warnings allowed)
1  problems found in the input (``check``; ``diff --exit-code`` when there are
   changes; ``render --check`` when figures are stale; ``site`` given a theory
   that fails to check; ``sources import``, ``import table``, ``import qdpx``
   when they left entries, rows or coded segments out; an input file that is
   not what it claims, such as an empty, damaged or password-protected table,
   ``.docx``, ``.xlsx`` or ``.qdpx``)
2  the command could not do its job: a usage error, a theory (or vocabulary) that
   fails to check given to ``query``, ``render``, ``diff``, ``load``, ``align`` or
   ``export`` (its problems are shown), a mapped theory whose vocabulary is not
   loaded (or a vocabulary load that would remove a mapped term), or an
   unreachable or refusing Neo4j server
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .check import check_path, load_theory, stats
from .errors import PtgraphError, TheoryError
from .problems import FORMATTERS, format_text
from .rules import BY_CODE, RULES
from .schema import schema_text

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILED = 0, 1, 2
DEFAULT_THEORY = "theory"


class PtgraphGroup(click.Group):
    """Turns ptgraph's own errors into a message and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            code = super().invoke(ctx)
        except TheoryError as exc:
            click.echo(format_text(exc.problems), err=True, nl=False)
            click.echo(f"ptgraph: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except PtgraphError as exc:
            click.echo(f"ptgraph: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit,
                BrokenPipeError):  # `ptgraph stats | head`: main() ends quietly
            raise
        except KeyboardInterrupt:
            click.echo("ptgraph: interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # a bug: say so in one line, keep the traceback for debugging
            if os.environ.get("PTGRAPH_DEBUG"):
                raise
            click.echo(f"ptgraph: internal error: {type(exc).__name__}: {exc} "
                       "(run with PTGRAPH_DEBUG=1 for the traceback, and please report it)",
                       err=True)
            ctx.exit(EXIT_FAILED)
        # Commands return their exit code; exit here so CliRunner sees it too.
        if isinstance(code, int) and code:
            ctx.exit(code)
        return code


@click.group(cls=PtgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ptgraph")
def cli() -> None:
    """Programme theories for realist evaluation: check, query and draw CMOCs kept as YAML.

    Exit codes: 0 done (warnings allowed); 1 problems found in the input
    (check, diff --exit-code); 2 the command could not do its job (usage
    error, a theory that fails to check, an unreachable Neo4j server).
    """


def _default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


theory_path = click.argument(
    "path", required=False, default=DEFAULT_THEORY,
    type=click.Path(exists=True, file_okay=True, dir_okay=True, path_type=Path),
)


@cli.command()
@click.argument("paths", nargs=-1,
                type=click.Path(exists=True, file_okay=True, dir_okay=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default=_default_format,
              show_default="text; github when GITHUB_ACTIONS=true", help="How to report problems.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--select", metavar="CODES", help="Only these rule codes, comma-separated (E201,W301).")
@click.option("--max-file-size", type=click.FloatRange(min=0.001), default=10.0, show_default=True,
              metavar="MIB", help="Refuse theory files larger than this many MiB.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
@click.option("--vocabulary", type=click.Path(exists=True, file_okay=False, path_type=Path),
              metavar="DIR", help="The shared vocabulary a theory's mappings map to "
              "[default: the manifest's vocabulary:].")
def check(paths, fmt, strict, select, max_file_size, quiet, vocabulary):
    """Check theory directories, or shared vocabularies, for problems (default: theory/).

    A directory holding vocabulary.yaml is checked as a vocabulary; a theory's
    mappings are checked against its vocabulary. Prints one line per problem as
    PATH:LINE:COL: CODE message. Exit 0 when clean (warnings allowed unless
    --strict), 1 when problems are found.
    """
    codes = [c.strip().upper() for c in select.split(",") if c.strip()] if select else None
    unknown = [c for c in codes or () if c not in BY_CODE]
    if unknown:
        raise click.BadParameter(f"unknown rule code(s) {', '.join(unknown)}; see `ptgraph rules`",
                                 param_hint="--select")
    targets = list(paths) or [Path(DEFAULT_THEORY)]
    if not paths and not targets[0].exists():
        raise click.UsageError("no theory/ folder here: name the theory directory to check")
    problems, summaries = [], []
    for target in targets:
        checked = check_path(target, max_bytes=int(max_file_size * 2**20), select=codes,
                             vocabulary=vocabulary)
        problems.extend(checked.problems)
        summaries.append(checked.summary())
    problems = sorted(set(problems))
    click.echo(FORMATTERS[fmt](problems), nl=False)
    failing = [p for p in problems if p.is_error or (strict and p.level == "warning")]
    if not quiet and fmt != "json":
        errors = sum(p.is_error for p in problems)
        warnings = sum(p.level == "warning" for p in problems)
        verdict = "failed" if failing else "ok"
        click.echo(f"{verdict}: {errors} error{'s' * (errors != 1)}, "
                   f"{warnings} warning{'s' * (warnings != 1)} — " + "; ".join(summaries), err=True)
    return EXIT_PROBLEMS if failing else EXIT_OK


@cli.command("stats")
@theory_path
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats_command(path, fmt):
    """Count CMOCs, concepts (and their roles), areas, sites, evidence, pathways, sources and
    CMOCs per confidence level."""
    counts = stats(load_theory(path))
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
        return EXIT_OK
    width = 15  # "  intervention" and a space
    #: A breakdown under a heading of its own, so that it reads as no count's parts.
    headings = {"roles": "concepts by role", "confidence": "CMOCs by confidence"}
    for key, value in counts.items():
        if key in headings:
            click.echo(headings[key])
            for part, n in value.items():
                click.echo(f"  {part:<{width - 2}} {n}")
        else:
            click.echo(f"{key:<{width}} {value}")
    return EXIT_OK


@cli.command("rules")
@click.argument("code", required=False)
def rules_command(code):
    """List the check rules, or show one rule's documentation with its examples."""
    if code:
        rule = BY_CODE.get(code.upper()) or next((r for r in RULES if r.name == code), None)
        if rule is None:
            raise click.BadParameter(f"no rule '{code}'; `ptgraph rules` lists them", param_hint="CODE")
        click.echo(f"{rule.code} {rule.name} ({rule.level})\n\n{rule.doc}")
        return EXIT_OK
    for rule in RULES:
        click.echo(f"{rule.code}  {rule.name:<24} {rule.level:<8} {rule.summary}")
    return EXIT_OK


@cli.command("schema")
@click.option("-o", "--output", "outputs", multiple=True, metavar="FILE",
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the schema to FILE instead of printing it; repeat for more files.")
@click.option("--kind", type=click.Choice(["theory", "vocabulary"]), default="theory",
              show_default=True, help="The schema of theory files or of vocabulary files.")
def schema_command(outputs, kind):
    """Print the JSON Schema of theory (or vocabulary) files, what editors validate against.

    Regenerate the copies kept in the repository after changing the format:
    ptgraph schema -o schema/ptgraph-theory-v1.json -o src/ptgraph/data/ptgraph-theory-v1.json
    ptgraph schema --kind vocabulary -o schema/ptgraph-vocabulary-v1.json
    -o src/ptgraph/data/ptgraph-vocabulary-v1.json
    """
    from .render import write_atomic

    text = schema_text(kind)
    for output in outputs:
        write_atomic(output, text.encode("utf-8"))
    if not outputs:
        click.echo(text, nl=False)
    return EXIT_OK


def _refuse_to_replace(output: Path | None, force: bool) -> None:
    """A draft never replaces a file the researcher may have edited, unless --force."""
    from .errors import UsageError

    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} exists; choose another file, or add --force to replace it")


def _write_draft(text: str | None, output: Path | None, done: str, left_out: str | None) -> int:
    """Print a draft, or write it to ``output`` whole (never half a file); say what was
    done and what was ``left_out`` (reported above), and return the exit code. With
    ``text`` None there is nothing new to write: nothing is printed and no file written."""
    from .render import write_atomic

    if text is None:
        wrote = "; wrote no file" if output is not None else ""
    elif output is None:
        click.echo(text, nl=False)
        wrote = ""
    else:
        write_atomic(output, text.encode("utf-8"))
        wrote = f"; wrote {output}"
    click.echo(done + (f"; {left_out} (above)" if left_out else "") + wrote, err=True)
    return EXIT_PROBLEMS if left_out else EXIT_OK


@cli.group("sources", cls=PtgraphGroup)
def sources_group():
    """The sources evidence comes from: import a bibliography."""


@sources_group.command("import")
@click.argument("bibliography", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the draft to FILE (a new file; see --force) instead of printing it.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def sources_import_command(bibliography, output, force):
    """Turn a BibTeX (.bib) or CSL-JSON (.json) bibliography into a draft sources: file.

    Entries it cannot read are reported with their line (exit code 1); the rest
    are written. Move the file into the theory directory once checked.
    """
    from .sources import read_bibliography, sources_yaml

    _refuse_to_replace(output, force)
    found = read_bibliography(bibliography)
    for line, col, message in found.notes:
        click.echo(f"{bibliography}:{line}:{col}: note: {message}", err=True)
    for line, col, message in found.problems:
        click.echo(f"{bibliography}:{line}:{col}: error: {message}", err=True)
    n, bad = len(found.sources), len(found.problems)
    return _write_draft(sources_yaml(found, bibliography.name), output,
                        f"read {n} source{'s' * (n != 1)} from {bibliography}",
                        bad and f"{bad} entr{'ies' if bad != 1 else 'y'} left out")


@cli.group("import", cls=PtgraphGroup)
def import_group():
    """Read what a team already has into the theory format: a CMOC table, coded evidence."""


@import_group.command("qdpx")
@click.argument("project", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@theory_path
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="FILE", help="YAML: code name or GUID -> CMOC id(s), for codes not named "
                                   "by CMOC ids.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the evidence to FILE (a new file; see --force) instead of printing it.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def import_qdpx_command(project, path, mapping, output, force):
    """Turn the coded segments of a REFI-QDA project (.qdpx) into evidence for PATH's CMOCs.

    Codes match CMOCs by name (EN4), by the GUIDs of `ptgraph export codebook`, or
    through --mapping. Each quote is the coded text exactly. Coded segments that
    cannot be imported are reported (exit code 1); codes that name no CMOC are listed.
    Quotes already in the theory (from an earlier import) are skipped and counted;
    with nothing new, no file is written.
    """
    from .importers.qdpx import evidence_yaml, import_evidence, open_project, read_mapping

    _refuse_to_replace(output, force)
    theory = load_theory(path)
    opened = open_project(project)
    found = import_evidence(opened, theory, read_mapping(mapping, theory) if mapping else None,
                            output)
    qde = opened.where
    for line, message in found.notes:
        click.echo(f"{qde}:{line}: note: {message}", err=True)
    for line, message in found.changed:
        click.echo(f"{qde}:{line}: warning: {message}", err=True)
    for line, message in found.problems:
        click.echo(f"{qde}:{line}: error: {message}", err=True)
    for name, n in found.unmatched.items():
        click.echo(f"{project}: note: code {name!r} names no CMOC of theory '{theory.id}' "
                   f"({n} coded segment{'s' * (n != 1)} not read as evidence); name it by a "
                   "CMOC id, or map it with --mapping", err=True)
    bad = len(found.problems)
    return _write_draft(evidence_yaml(found, project.name) if found.evidence else None, output,
                        _imported(found, project),
                        bad and f"{bad} coded segment{'s' * (bad != 1)} could not be imported")


def _imported(found, project: Path) -> str:
    """What ``import qdpx`` did: quotes written, quotes the theory has, quotes changed since."""
    n, m, k = len(found.evidence), len(found.cmocs), len(found.cited)
    done = (f"imported {n} quote{'s' * (n != 1)} on {m} CMOC{'s' * (m != 1)} from {k} "
            f"source{'s' * (k != 1)} of {project}" if n else f"no new quote in {project}")
    a, c = found.already, len(found.changed)
    if a:
        done += f"; {a} quote{'s' * (a != 1)} already in the theory, skipped"
    if c:
        done += (f"; {c} quote{'s' * (c != 1)} changed in the project since imported, not "
                 "written (above)")
    return done


@cli.group("export", cls=PtgraphGroup)
def export_group():
    """Write the theory for the paper and for other programs: tables, a QDA codebook, GraphML, Mermaid."""


def _emit(data: bytes, output: Path | None) -> int:
    """Print ``data`` (text), or write it to ``output`` atomically and say so."""
    from .render import write_atomic

    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_atomic(output, data)
        click.echo(f"wrote {output}", err=True)
    return EXIT_OK


@export_group.command("codebook")
@theory_path
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the codebook to FILE (.qdc) instead of printing it.")
def export_codebook_command(path, output):
    """Write the CMOCs as a REFI-QDA codebook (.qdc) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

    One code per CMOC (named by its id, described by its statement) under one
    code per area; the GUIDs are derived from the ids, so exporting again gives
    the same file and `ptgraph import qdpx` maps the codes back.
    """
    from .exporters import EXPORTERS

    return _emit(EXPORTERS["codebook"](load_theory(path)), output)


@export_group.command("graphml")
@theory_path
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the graph to FILE (.graphml) instead of printing it.")
def export_graphml_command(path, output):
    """Write the theory's graph as GraphML for Gephi, yEd or Cytoscape.

    The nodes and relationships of the graph model, typed: each node's kind,
    a concept's roles, every property; lists as JSON text. `label` is what
    the programs show.
    """
    from .exporters import EXPORTERS

    return _emit(EXPORTERS["graphml"](load_theory(path)), output)


@export_group.command("mermaid")
@theory_path
@click.option("--area", metavar="ID", help="Only this area's CMOCs.")
@click.option("--cmoc", "cmocs", metavar="ID", multiple=True, help="Only this CMOC (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the flowchart to FILE (.mmd) instead of printing it.")
def export_mermaid_command(path, area, cmocs, output):
    """Write the theory (or an area, or some CMOCs) as a Mermaid flowchart.

    Concepts in their roles' shapes and colours, arrows labelled by CMOC; put
    it in a ```mermaid block and GitHub draws it.
    """
    from .exporters import EXPORTERS

    return _emit(EXPORTERS["mermaid"](load_theory(path), area=area, cmocs=cmocs), output)


@export_group.command("jsonld")
@click.argument("path", required=False, default=DEFAULT_THEORY,
                type=click.Path(exists=True, path_type=Path))
@click.option("--vocabulary", type=click.Path(exists=True, file_okay=False, path_type=Path),
              metavar="DIR", help="A theory's vocabulary [default: the manifest's vocabulary:].")
@click.option("--base", default="urn:ptgraph:", show_default=True, metavar="IRI",
              help="What every IRI starts with: IRI + vocabulary or theory id + '/' + id.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the JSON-LD to FILE (.jsonld) instead of printing it.")
def export_jsonld_command(path, vocabulary, base, output):
    """Write a shared vocabulary, or a theory's concepts and mappings, as JSON-LD with SKOS.

    A vocabulary directory (vocabulary.yaml) becomes a skos:ConceptScheme of its
    terms with their labels, definitions, broader and related terms; a theory, a
    scheme of its concepts with skos:exactMatch, closeMatch, ... to its vocabulary.
    """
    from .check import load_mapped_theory, load_vocabulary
    from .exporters import EXPORTERS
    from .loader import find_root, is_vocabulary_dir

    if is_vocabulary_dir(find_root(path)):
        return _emit(EXPORTERS["jsonld"](load_vocabulary(path), base=base), output)
    theory, vocab = load_mapped_theory(path, vocabulary=vocabulary)
    return _emit(EXPORTERS["jsonld"](theory, vocab, base=base), output)


@import_group.command("table")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", help="Folder for the draft theory [default: FILE's name without "
                                  "its suffix, in the current folder].")
@click.option("--force", is_flag=True, help="Replace the theory files of a folder that is not empty.")
@click.option("--id", "theory_id", metavar="ID", help="The draft theory's id [default: from FILE's name].")
def import_table_command(file, outdir, force, theory_id):
    """Turn a CMOC table (.md, .csv, .xlsx, .docx) into a draft theory directory.

    Statements with (C), (M), (O) markers, or separate context, mechanism and
    outcome columns; areas from an area column or section rows. Each marked
    span becomes a concept; near-duplicates are named, not merged. Rows that
    cannot be read are listed (exit 1); the rest is written.
    """
    from .importers.table import import_table, twin_report, write_draft

    draft = import_table(file)
    outdir = outdir if outdir is not None else Path(file.stem)
    removed: list[Path] = []
    written = write_draft(draft, outdir, force=force, theory_id=theory_id, removed=removed)
    made = {p.resolve() for p in written}
    gone = [p for p in removed if p.resolve() not in made]  # not written again: the researcher's
    if gone:
        click.echo(f"{outdir}: --force removed {len(gone)} theory file{'s' * (len(gone) != 1)} "
                   f"the draft does not have: {', '.join(str(p) for p in gone)}", err=True)
    for note in draft.notes:
        click.echo(f"{draft.where(note.place)}: note: {note.message}", err=True)
    for line in twin_report(draft):
        click.echo(line, err=True)
    for problem in draft.problems:
        click.echo(f"{draft.where(problem.place)}: error: {problem.message}", err=True)
    n, c = len(draft.cmocs), len(draft.concepts)
    likely = sum(t.sure == "likely" for t in draft.twins)
    click.echo(f"imported {n} CMOC{'s' * (n != 1)} in {len(draft.areas)} area"
               f"{'s' * (len(draft.areas) != 1)} with {c} concept{'s' * (c != 1)} "
               f"({len(draft.twins)} near-duplicate pair{'s' * (len(draft.twins) != 1)} to review: "
               f"{likely} likely, {len(draft.twins) - likely} possible) "
               f"from {file}"
               + (f"; {len(draft.problems)} row{'s' * (len(draft.problems) != 1)} not imported "
                  "(above)" if draft.problems else "")
               + f"; wrote {len(written)} files to {outdir}", err=True)
    return EXIT_PROBLEMS if draft.problems else EXIT_OK


@export_group.command("table")
@theory_path
@click.option("--table", "table", type=click.Choice(["cmocs", "evidence", "sites"]),
              default="cmocs", show_default=True,
              help="cmocs: as the paper's CMOC table; evidence: quotes per CMOC and site "
                   "(or source); sites: the sites side by side.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "csv", "docx", "xlsx", "latex"]),
              help="[default: from FILE's suffix, else markdown]; docx and xlsx need -o.")
@click.option("--by", type=click.Choice(["site", "source"]),
              help="Evidence: the matrix's columns [default: site].")
@click.option("--detail", is_flag=True, help="Evidence: list every quote with participant, "
                                             "site and wave instead of counting.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write to FILE instead of printing.")
def export_table_command(path, table, fmt, by, detail, output):
    """Write a table of a theory (default: theory/) as markdown, CSV, Word, Excel or LaTeX.

    Exit 2 for a theory that fails to check, docx/xlsx without -o, or --by or
    --detail with a table other than evidence (or both together).
    """
    from .errors import UsageError
    from .exporters import BINARY, EXPORTERS, SUFFIXES

    fmt = fmt or (SUFFIXES.get(output.suffix.lower(), "markdown") if output else "markdown")
    if fmt in BINARY and output is None:
        raise UsageError(f"--format {fmt} writes a file: add -o FILE")
    theory = load_theory(path)
    empty = {"sites": (theory.sites, "no sites, so the sites table is empty"),
             "evidence": (theory.evidence, "no evidence, so every count is 0")}.get(table)
    if empty is not None and not empty[0]:  # a table with nothing in it is said, not just written
        click.echo(f"ptgraph: warning: theory '{theory.id}' has {empty[1]}", err=True)
    return _emit(EXPORTERS["table"](theory, table, fmt, by=by, detail=detail), output)


@cli.command("diff")
@click.argument("old")
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="markdown is ready to post as a pull-request comment.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes (as git diff does).")
@click.option("--no-queries", is_flag=True, help="Skip comparing the chains and conflicts queries.")
def diff_command(old, new, fmt, exit_code, no_queries):
    """What changed between two versions of a theory, in CMOCs and concepts, not lines.

    OLD and NEW are theory directories or git revisions (main, HEAD~1,
    origin/main:theory); NEW defaults to the working tree's theory/. Reports
    CMOCs, concepts (merges, splits, relabels), evidence, pathways and status
    moves, and chains and conflicts that appear or disappear. Exit 0, or with
    --exit-code 1 when there are changes; 2 when a side is unknown or fails
    to check.
    """
    from .diff import diff_theories
    from .diff_report import FORMATTERS as DIFF_FORMATTERS
    from .revision import load_pair

    (old_side, new_side), before, after = load_pair(old, new)
    if before.id != after.id:
        click.echo(f"ptgraph: warning: {old_side.label} is theory '{before.id}' and "
                   f"{new_side.label} theory '{after.id}': two theories, not two versions of "
                   "one, so most of what follows is what differs between them", err=True)
    result = diff_theories(before, after, old_label=old_side.label, new_label=new_side.label,
                           with_queries=not no_queries)
    click.echo(DIFF_FORMATTERS[fmt](result), nl=False)
    return EXIT_PROBLEMS if exit_code and result.changed else EXIT_OK


def neo4j_options(command):
    """--uri, --user, --database and --password, shared by the commands that use Neo4j."""
    for option in reversed((
        click.option("--uri", metavar="URI", help="bolt://, neo4j:// or neo4j+s:// address "
                     "[default: NEO4J_URI, else neo4j://localhost:7687]"),
        click.option("--user", metavar="NAME", help="[default: NEO4J_USERNAME, else neo4j]"),
        click.option("--database", metavar="NAME",
                     help="[default: NEO4J_DATABASE, else the server's default database]"),
        click.option("--password", "ask_password", is_flag=True,
                     help="Ask for the password (hidden) instead of reading NEO4J_PASSWORD."),
    )):
        command = option(command)
    return command


def open_store(uri, user, database, ask_password, ping=True):
    """Connect to Neo4j; the password comes from NEO4J_PASSWORD or a hidden prompt.

    ``ping=False``: the command's first statement is a plain read, which says when
    the database does not exist (:func:`ptgraph.store.connect`)."""
    from .errors import StoreError
    from .store import connect  # the driver loads only for the commands that need it

    password = None
    if ask_password or "NEO4J_PASSWORD" not in os.environ:
        if not ask_password and not sys.stdin.isatty():
            raise StoreError("no Neo4j password: set NEO4J_PASSWORD, or use --password to be asked")
        password = click.prompt("Neo4j password", hide_input=True, err=True)
    return connect(uri, user, password, database, ping=ping)


@cli.command("align")
@click.argument("theory_a", type=click.Path(exists=True, path_type=Path))
@click.argument("theory_b", type=click.Path(exists=True, path_type=Path))
@click.option("--vocabulary", type=click.Path(exists=True, file_okay=False, path_type=Path),
              metavar="DIR", help="Propose B's mappings onto this shared vocabulary's terms "
              "(directly, and through A's mappings) instead of onto A's concepts.")
@click.option("--threshold", type=click.FloatRange(0, 100), default=None, metavar="SCORE",
              help="The lowest score proposed, 0-100 [default: 70].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the draft to FILE (e.g. THEORY_B/mappings.yaml) instead of printing it.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def align_command(theory_a, theory_b, vocabulary, threshold, output, force):
    """Propose mappings of THEORY_B's concepts onto THEORY_A's (or a vocabulary's terms).

    Each concept of B gets the best-scoring concept of A (or term) when its score,
    0-100 from labels, descriptions and roles, reaches the threshold. The result
    is a draft mappings: file, each proposal commented with its score and why, for
    a researcher to review: nothing is applied. See the README on what the score
    means and how precise it was on two real pairs.
    """
    from .align import DEFAULT_THRESHOLD, align, draft_text
    from .check import load_mapped_theory, load_vocabulary

    _refuse_to_replace(output, force)
    if vocabulary is not None:
        a, _ = load_mapped_theory(theory_a, vocabulary=vocabulary)
        vocab = load_vocabulary(vocabulary)
    else:
        a, vocab = load_theory(theory_a), None
    b = load_theory(theory_b)
    result = align(a, b, vocab, threshold=DEFAULT_THRESHOLD if threshold is None else threshold)
    n = len(result.proposals)
    return _write_draft(draft_text(result, b), output,
                        f"proposed {n} mapping{'s' * (n != 1)} for {len(b.concepts)} concepts "
                        f"of {b.id}", None)


@cli.command("load")
@theory_path
@neo4j_options
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--batch-size", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Rows per UNWIND statement.")
@click.option("--force", is_flag=True,
              help="Compare and rewrite even when the files are unchanged since the last load.")
def load_command(path, uri, user, database, ask_password, dry_run, batch_size, force):
    """Load a theory into Neo4j (default: theory/), replacing what an earlier load wrote.

    One transaction per theory: on any failure the database is left as it
    was. An unchanged theory (same files, same graph model) is not touched.
    Theories are scoped by their id, so several share one database.
    """
    from .load import load

    def progress(total):
        return click.progressbar(length=total, label="loading", file=sys.stderr)

    # load's first statement reads the stored theories (or, with --force, constraints)
    with open_store(uri, user, database, ask_password, ping=False) as store:
        result = load(store, path, batch_size=batch_size, dry_run=dry_run, force=force,
                      progress=progress if sys.stderr.isatty() else None)
    click.echo(result.message())
    return EXIT_OK


@cli.command("unload")
@click.argument("theory_id")
@neo4j_options
def unload_command(theory_id, uri, user, database, ask_password):
    """Remove one theory (its nodes and relationships) from Neo4j, and nothing else."""
    from .load import unload

    with open_store(uri, user, database, ask_password) as store:
        result = unload(store, theory_id)
    click.echo(result.message())
    return EXIT_OK


def query_options(command):
    """The options every query command takes: --param, --format, --list."""
    for option in reversed((
            click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
                         help="A query parameter; repeat for more (see --list)."),
            click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]),
                         default="table", show_default=True,
                         help="table for people; json and csv for machines."),
            click.option("--list", "list_queries", is_flag=True,
                         help="List the queries and their parameters."))):
        command = option(command)
    return command


@cli.command("query")
@click.argument("name", required=False)
@click.argument("path", required=False, default=DEFAULT_THEORY,
                type=click.Path(file_okay=True, dir_okay=True, path_type=Path))
@query_options
@click.option("--neo4j", "on_neo4j", is_flag=True,
              help="Ask Neo4j instead, with queries/NAME.cypher: the same rows. The theory is "
                   "the stored one with the id of the theory at PATH, or --param theory=ID.")
@neo4j_options
def query_command(name, path, params, fmt, list_queries, on_neo4j, uri, user, database,
                  ask_password):
    """Run the query NAME over a theory (default: theory/): chains, paths,
    upstream, downstream, bridges, conflicts, contrasts, evidence, hubs (`--list`).

    JSON output is {"query": NAME, "params": {...}, "rows": [...]}. Notes (a
    search stopped at its work budget, why an answer is empty) go to stderr.
    Exit 2 for an unknown query, parameter or id, or a theory that fails to check.
    """
    from .graph import build_graph
    from .queries import format_query_list, format_rows, get_query

    if list_queries:
        click.echo(format_query_list("json" if fmt == "json" else "table"), nl=False)
        return EXIT_OK
    if not name:
        raise click.UsageError("name a query; `ptgraph query --list` shows them")
    query = get_query(name)
    raw = _key_values(params)
    theory_id = raw.pop("theory", None) if on_neo4j else None
    parsed = query.parse(raw)
    if theory_id is None and not path.exists():
        raise click.BadParameter(f"no theory at '{path}'", param_hint="PATH")
    if on_neo4j:
        from .twins import run_twin

        theory_id = load_theory(path).id if theory_id is None else theory_id
        with open_store(uri, user, database, ask_password) as store:
            rows = run_twin(store, query, parsed, theory_id, explain=True)
    else:
        rows = query.run(build_graph(load_theory(path)), parsed, explain=True)
    for note in rows.notes:
        click.echo(f"ptgraph: {note}", err=True)
    click.echo(format_rows(name, parsed, rows, fmt, query.columns, quiet=query.quiet), nl=False)
    return EXIT_OK


def _key_values(params) -> dict[str, str]:
    """``--param KEY=VALUE`` options as a dict; a BadParameter for a malformed or repeated one."""
    raw: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or key.strip() in raw:
            problem = "is given twice" if sep and key.strip() in raw else "is not KEY=VALUE"
            raise click.BadParameter(f"'{item}' {problem}", param_hint="--param")
        raw[key.strip()] = value
    return raw


@cli.command("across")
@click.argument("name", required=False)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--vocabulary", type=click.Path(exists=True, file_okay=False, path_type=Path),
              metavar="DIR", help="The shared vocabulary [default: the theories' manifests'].")
@query_options
@click.option("--neo4j", "on_neo4j", is_flag=True,
              help="Ask Neo4j instead, with queries/across/NAME.cypher: the same rows, from the "
                   "stored theories with the ids of those at PATHS and their stored vocabulary.")
@neo4j_options
def across_command(name, paths, vocabulary, params, fmt, list_queries, on_neo4j, uri, user,
                   database, ask_password):
    """Run the query NAME across the theories at PATHS (two or more), which meet through
    their shared vocabulary: recurring, cross-contrasts, cross-chains (`--list`).

    Every row names each CMOC with its theory (theory:CMOC). Exit 2 for an unknown query,
    parameter or term, theories that fail to check or map to different vocabularies.
    """
    from .across import ACROSS
    from .queries import format_query_list, format_rows

    if list_queries:
        click.echo(format_query_list("json" if fmt == "json" else "table", ACROSS), nl=False)
        return EXIT_OK
    if not name:
        raise click.UsageError("name a query; `ptgraph across --list` shows them")
    if name not in ACROSS:
        raise click.UsageError(f"no query '{name}' across theories; one of {', '.join(ACROSS)}")
    if len(paths) < 2:
        raise click.UsageError("give two or more theory directories to query across")
    from .graph import build_shared_graph

    query = ACROSS[name]
    parsed = query.parse(_key_values(params))
    theories, vocab = load_shared(paths, vocabulary)
    G = build_shared_graph(theories, vocab)  # with --neo4j too: it words an empty answer
    if on_neo4j:
        from .twins import run_across_twin

        with open_store(uri, user, database, ask_password) as store:
            rows = run_across_twin(store, query, parsed, vocab.id, sorted(t.id for t in theories))
        query.why_empty(G, parsed, rows)
    else:
        rows = query.run(G, parsed, explain=True)
    for note in rows.notes:
        click.echo(f"ptgraph: {note}", err=True)
    click.echo(format_rows(name, parsed, rows, fmt, query.columns), nl=False)
    return EXIT_OK


def load_shared(paths, vocabulary):
    """The theories at ``paths`` (each passing check) and the one vocabulary they map to."""
    from .check import load_mapped_theory, load_vocabulary
    from .errors import UsageError

    shared = load_vocabulary(vocabulary) if vocabulary is not None else None
    theories = []
    for path in paths:
        theory, vocab = load_mapped_theory(path, vocabulary=vocabulary)
        if vocab is None:
            raise UsageError(f"{path}: the theory names no shared vocabulary (vocabulary: in "
                             "theory.yaml, or --vocabulary DIR)")
        if shared is None:
            shared = vocab
        elif vocab.id != shared.id:
            raise UsageError(f"{path}: maps to vocabulary '{vocab.id}', not '{shared.id}'; "
                             "queries across theories need one vocabulary")
        if theory.id in {t.id for t in theories}:
            raise UsageError(f"{path}: theory '{theory.id}' is given twice")
        theories.append(theory)
    return theories, shared


from .render import DEFAULT_FORMATS as RENDER_DEFAULT_FORMATS, FORMATS as RENDER_FORMATS  # noqa: E402


@cli.command("render")
@theory_path
@click.option("--view", "views", multiple=True, metavar="VIEW",
              help="overview, area:ID, cmoc:ID, pathway:ID, pathways, chains, conflicts or "
                   "contrasts; "
                   "repeat for more [default: overview, every area, CMOC and pathway, and pathways]")
@click.option("-o", "--output", "outdir", default=None,
              type=click.Path(file_okay=False, dir_okay=True, path_type=Path),
              help="Folder to write the figures to (made if missing) [default: diagrams/ beside "
                   "a folder named theory/, else inside the theory's folder].")
@click.option("--format", "formats", multiple=True, type=click.Choice(RENDER_FORMATS),
              help=f"Repeat for more [default: {', '.join(RENDER_DEFAULT_FORMATS)}]; "
                   "dot needs no Graphviz.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the chains, conflicts or contrasts query (see `ptgraph query "
                   "--list`).")
@click.option("--diff", "diff_old", metavar="OLD",
              help="Mark what changed since OLD (a theory directory or git revision) and write "
                   "NAME-diff.FORMAT [default views: the overview and what changed].")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 when the DOT files in OUTPUT differ from the theory.")
def render_command(path, views, outdir, formats, params, diff_old, check):
    """Draw a theory (default: theory/) as Graphviz figures and print each file written.

    Files are OUTPUT/NAME.FORMAT: overview, area-ID, cmoc-ID, pathway-ID,
    pathways, chains, conflicts, contrasts. The same theory always gives the same DOT.
    Exit 2 for an unknown view or id, a theory that fails to check, or no
    Graphviz for svg/png/pdf.
    """
    from .loader import find_root
    from .render import render

    raw = _key_values(params)
    if outdir is None:  # beside the theory drawn, never another theory's figures in the cwd
        root = find_root(path)
        outdir = root.parent / "diagrams" if root.resolve().name == "theory" else root / "diagrams"
    if check:
        from .render_check import stale_figures

        stale = stale_figures(load_theory(path), list(views) or None, outdir, raw)
        for file, why in stale:
            click.echo(f"{file}: {why}")
        if stale:
            click.echo("ptgraph: figures are stale: run `ptgraph render` and commit them", err=True)
        return EXIT_PROBLEMS if stale else EXIT_OK
    if diff_old:
        from .render_diff import render_diff
        from .revision import load_pair

        (old_side, new_side), before, after = load_pair(diff_old, str(path))
        done = render_diff(before, after, list(views) or None, outdir,
                           list(dict.fromkeys(formats)) or RENDER_DEFAULT_FORMATS,
                           old_label=old_side.label, new_label=new_side.label)
    else:
        done = render(load_theory(path), list(views) or None, outdir,
                      list(dict.fromkeys(formats)) or RENDER_DEFAULT_FORMATS, raw)
    for note in done.notes:
        click.echo(f"ptgraph: {note}", err=True)
    for file in done.files:
        click.echo(str(file))
    return EXIT_OK


@cli.command("site")
@theory_path
@click.option("-o", "--output", "outdir", default="site", show_default=True,
              type=click.Path(file_okay=False, dir_okay=True, path_type=Path),
              help="Folder for the site: new, empty, or one ptgraph site wrote (it is replaced).")
def site_command(path, outdir):
    """Write a theory (default: theory/) as a static website for people who never open a terminal.

    A page for the theory, each area, CMOC, concept, pathway, site and source,
    the evidence, contrasts, conflicts and chains; figures whose concepts and
    CMOCs link to their pages; an offline search. No server is needed: open
    OUTPUT/index.html, or publish the folder (GitHub Pages). The same theory
    always gives the same files. The theory is checked first: exit 1 when
    check finds errors (they are shown), 2 when the site cannot be written
    (no Graphviz, a folder holding other files, a folder not writable).
    """
    from .site import build_site

    try:
        theory = load_theory(path)
    except TheoryError as exc:
        exc.exit_code = EXIT_PROBLEMS  # a site is refused for its input alone, as check refuses it
        raise
    built = build_site(theory, outdir)
    click.echo(f"wrote {len(built.files)} files to {built.outdir}; open {built.index.resolve().as_uri()}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the CLI and exit with its code."""
    try:
        code = cli.main(args=argv, prog_name="ptgraph", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = EXIT_FAILED
    except click.Abort:
        click.echo("ptgraph: aborted", err=True)
        code = EXIT_FAILED
    except BrokenPipeError:  # `ptgraph ... | head`: the reader has what it wanted
        _drop_stdout()
        code = EXIT_OK
    try:
        sys.stdout.flush()  # here, where a closed pipe can be caught, not at exit
    except BrokenPipeError:
        _drop_stdout()
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _drop_stdout() -> None:
    """Point stdout at /dev/null: Python flushes it again at exit, which must not fail."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
