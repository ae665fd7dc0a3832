"""The ``ptgraph`` command line. Each command parses options and calls the library.

Exit codes, for every command (also in the README):

0  done (warnings allowed)
1  problems found in the input (``check``; ``diff --exit-code`` when there are changes)
2  the command could not do its job: a usage error, a theory that fails to check
   given to ``query``, ``render``, ``diff`` or ``load`` (its problems are shown),
   or an unreachable or refusing Neo4j server
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .check import check_theory, load_theory, stats
from .errors import PtgraphError, TheoryError
from .problems import FORMATTERS, format_text
from .rules import BY_CODE, RULES
from .schema import json_schema

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
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
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
def check(paths, fmt, strict, select, max_file_size, quiet):
    """Check theory directories for problems (default: theory/).

    Prints one line per problem as PATH:LINE:COL: CODE message. Exit 0 when
    clean (warnings allowed unless --strict), 1 when problems are found.
    """
    codes = [c.strip() for c in select.split(",") if c.strip()] if select else None
    unknown = [c for c in codes or () if c not in BY_CODE]
    if unknown:
        raise click.BadParameter(f"unknown rule code(s) {', '.join(unknown)}; see `ptgraph rules`",
                                 param_hint="--select")
    targets = list(paths) or [Path(DEFAULT_THEORY)]
    if not paths and not targets[0].exists():
        raise click.UsageError("no theory/ folder here: name the theory directory to check")
    problems, summaries = [], []
    for target in targets:
        checked = check_theory(target, max_bytes=int(max_file_size * 2**20), select=codes)
        problems.extend(checked.problems)
        s = stats(checked.theory)
        summaries.append(f"{checked.files.root}: {len(checked.files.files)} files, "
                         f"{s['cmocs']} CMOCs, {s['concepts']} concepts, {s['evidence']} evidence")
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
    """Count CMOCs, concepts (and their roles), areas, sites, evidence and pathways."""
    counts = stats(load_theory(path))
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
        return EXIT_OK
    width = 10
    for key, value in counts.items():
        if key == "roles":
            for role, n in value.items():
                click.echo(f"  {role:<{width - 2}} {n}")
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
def schema_command():
    """Print the JSON Schema of theory files (what editors validate against)."""
    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
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
    except BrokenPipeError:  # `ptgraph ... | head`
        sys.stderr.close()
        code = EXIT_OK
    sys.exit(code if isinstance(code, int) else EXIT_OK)
