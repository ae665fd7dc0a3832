"""Reading and checking a theory: the one entry point every command goes through."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

from . import rules
from .errors import TheoryError
from .gcpause import collector_paused
from .loader import MAX_FILE_BYTES, LoadedFiles, find_root, read_theory_dir
from .model import Theory, build
from .problems import Problem
from .schema import CONFIDENCE_LEVELS, as_written


@dataclass
class Checked:
    """A theory read from disk with the problems ``check`` found in it."""

    theory: Theory
    files: LoadedFiles
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def check_theory(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES,
                 select: list[str] | None = None, timings: dict[str, float] | None = None) -> Checked:
    """Read the theory directory holding ``path`` and run the rules over it.

    ``timings``, when given, receives the seconds spent reading (and parsing)
    the files as ``read`` and building the theory and running the rules as
    ``check``, for the benchmarks' account of a load.
    """
    root = find_root(Path(path))
    with collector_paused():  # reading a theory allocates millions of objects, frees few
        start = perf_counter()
        files = read_theory_dir(root, max_bytes)
        as_written(files.documents)
        read = perf_counter()
        theory = build(files)
        problems = rules.run(files, theory, select)
    if timings is not None:
        timings["read"] = read - start
        timings["check"] = perf_counter() - read
    return Checked(theory, files, problems)


def load_theory(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES,
                timings: dict[str, float] | None = None) -> Theory:
    """A theory that passes ``check``, or :class:`TheoryError` carrying its problems.

    Warnings do not stop it; errors do, since queries, figures and loads built
    on a broken theory would be wrong without saying so. ``timings`` is as for
    :func:`check_theory`.
    """
    checked = check_theory(path, max_bytes=max_bytes, timings=timings)
    if checked.errors:
        n = len(checked.errors)
        raise TheoryError(
            f"{checked.files.root}: the theory has {n} problem{'s' * (n != 1)}; "
            f"fix {'them' if n != 1 else 'it'} first (`ptgraph check {checked.files.root}`)",
            checked.problems,
        )
    return checked.theory


def stats(theory: Theory) -> dict:
    """Counts of everything in a theory; concept roles counted once per concept and role."""
    roles = theory.roles()
    return {
        "theory": theory.id,
        "cmocs": len(theory.cmocs),
        "concepts": len(theory.concepts),
        "areas": len(theory.areas),
        "sites": len(theory.sites),
        "evidence": len(theory.evidence),
        "pathways": len(theory.pathways),
        # the optional parts (issue 15) after the older keys
        "roles": {role: sum(1 for r in roles.values() if role in r)
                  for role in ("context", "mechanism", "outcome", "resource", "intervention",
                               "actor")},
        # added by issue 15, after the older keys
        "sources": len(theory.sources),
        "confidence": {level: sum(1 for m in theory.cmocs.values()
                                  if m.confidence is not None and m.confidence.level == level)
                       for level in CONFIDENCE_LEVELS},
    }
