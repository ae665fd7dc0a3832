"""Reading and checking a theory: the one entry point every command goes through."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

from . import rules
from .errors import TheoryError, UsageError
from .gcpause import collector_paused
from .loader import (MAX_FILE_BYTES, VOCABULARY_MANIFEST, LoadedFiles, find_root,
                     is_vocabulary_dir, read_theory_dir)
from .model import Theory, Vocabulary, build, build_vocabulary, iter_entries
from .problems import Problem
from .schema import CONFIDENCE_LEVELS, VOCABULARY_FORMAT, as_written


@dataclass
class Checked:
    """A theory (or a shared vocabulary) read from disk with the problems ``check`` found.

    ``theory`` is None when a vocabulary directory was checked; ``vocabulary`` is that
    vocabulary, or the one a theory's mappings were checked against (None when none).
    """

    theory: Theory | None
    files: LoadedFiles
    problems: list[Problem]
    vocabulary: Vocabulary | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def summary(self) -> str:
        """What was read, for ``check``'s last line: files and counts."""
        head = f"{self.files.root}: {len(self.files.files)} files, "
        if self.theory is None:
            v = self.vocabulary
            return head + f"{len(v.concepts)} terms, {len(v.theories)} middle-range theories"
        t = self.theory  # counts only: stats() also works out every concept's roles
        mapped = f", {len(t.mappings)} mapped" if t.mappings else ""
        return head + (f"{len(t.cmocs)} CMOCs, {len(t.concepts)} concepts{mapped}, "
                       f"{len(t.evidence)} evidence")


def read_vocabulary(root: Path, max_bytes: int = MAX_FILE_BYTES) -> tuple[Vocabulary, LoadedFiles]:
    """Read a vocabulary directory and build it, forgiving as the theory builder is."""
    files = read_theory_dir(root, max_bytes, VOCABULARY_MANIFEST)
    as_written(files.documents, VOCABULARY_FORMAT)
    return build_vocabulary(files), files


def check_vocabulary(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES,
                     select: list[str] | None = None) -> Checked:
    """Read the vocabulary directory holding ``path`` and run the vocabulary's rules:
    the theory's structural rules through :data:`~ptgraph.schema.VOCABULARY_FORMAT`,
    and its own (broader cycles)."""
    root = find_root(Path(path))
    vocabulary, files = read_vocabulary(root, max_bytes)
    ctx = rules.Context(files, None, VOCABULARY_FORMAT, vocabulary)
    return Checked(None, files, rules.run(files, None, select, ctx=ctx), vocabulary)


def _resolve_vocabulary(theory: Theory, files: LoadedFiles, override: Path | None,
                        max_bytes: int) -> tuple[Vocabulary | None, tuple | None]:
    """The vocabulary a theory's mappings are checked against, or None and why not
    (a ``((path, line, col), message)`` for no-vocabulary, E404; None when the theory
    neither maps nor names one)."""
    has_mappings = any(True for _ in iter_entries(files.documents, "mappings"))
    manifest = os.path.normpath(os.path.join(files.root, "theory.yaml"))
    doc = theory.documents.get(manifest)
    if override is not None:
        where, root, named = (str(override), 0, 0), Path(override), f"--vocabulary {override}"
    elif theory.vocabulary is not None:
        line, col = doc.mark("theory", "vocabulary") if doc else (0, 0)
        root = Path(files.root) / theory.vocabulary
        where, named = (manifest, line, col), f"vocabulary: {theory.vocabulary}"
    else:
        if not has_mappings:
            return None, None
        first = next(d for d, _k, _r in iter_entries(files.documents, "mappings"))
        line, col = first.mark("mappings")
        return None, ((first.path, line, col), (
            "the theory maps its concepts (mappings:) but names no vocabulary to map them to: "
            "add `vocabulary: PATH` to theory in theory.yaml, or give --vocabulary DIR"))
    if not is_vocabulary_dir(root):
        return None, (where, f"{named}: {os.path.normpath(root)} holds no {VOCABULARY_MANIFEST}; "
                             "name the folder of a shared vocabulary")
    vocabulary, _files = read_vocabulary(root, max_bytes)
    return vocabulary, None


def check_theory(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES,
                 select: list[str] | None = None, vocabulary: str | Path | None = None,
                 mappings: bool = True, timings: dict[str, float] | None = None) -> Checked:
    """Read the theory directory holding ``path`` and run the rules over it.

    Parameters
    ----------
    path
        The theory directory, or a file in it.
    max_bytes, select
        As ``ptgraph check``'s ``--max-file-size`` and ``--select``.
    vocabulary
        The shared vocabulary's directory, instead of the manifest's ``vocabulary:``.
    mappings
        Check the ``mappings:`` against the vocabulary (E401, E404). Commands that
        do not use the mappings (query, render, diff, ...) pass False, so that a theory
        copied away from its vocabulary (``diff main``) still reads.
    timings
        When given, receives the seconds spent reading (and parsing) the files as
        ``read`` and building the theory and running the rules as ``check``, for the
        benchmarks' account of a load.
    """
    return read_for_check(path, max_bytes=max_bytes, vocabulary=vocabulary, mappings=mappings,
                          timings=timings).check(select)


@dataclass(frozen=True)
class ReadTheory:
    """A theory read and built but not yet checked: what :func:`check_theory` has
    before it runs the rules. Its ``theory`` may hold anything the files say;
    only :meth:`check` tells whether it may be used."""

    files: LoadedFiles
    theory: Theory
    vocabulary: Vocabulary | None
    no_vocabulary: tuple | None
    mappings: bool
    #: Where :meth:`check` and :meth:`passed` add the seconds they take to ``check``.
    timings: dict[str, float] | None = None

    def check(self, select: list[str] | None = None) -> Checked:
        """Run the rules: the problems ``ptgraph check`` reports."""
        with self._timed():
            return self._check(select)

    def passed(self, max_bytes: int = MAX_FILE_BYTES) -> Checked:
        """:meth:`check`, then the vocabulary the mappings name; :class:`TheoryError`
        when either has errors (what :func:`load_mapped_theory` lets through)."""
        with self._timed():
            checked = _passed(self._check(), "theory")
            if checked.vocabulary is not None:
                load_vocabulary(checked.vocabulary.root, max_bytes=max_bytes)
        return checked

    def _check(self, select: list[str] | None = None) -> Checked:
        with collector_paused():
            ctx = rules.Context(self.files, self.theory, vocabulary=self.vocabulary,
                                no_vocabulary=self.no_vocabulary)
            problems = rules.run(self.files, self.theory, select, ctx=ctx, mappings=self.mappings)
        return Checked(self.theory, self.files, problems, self.vocabulary)

    @contextmanager
    def _timed(self) -> Iterator[None]:
        start = perf_counter()
        try:
            yield
        finally:
            if self.timings is not None:
                self.timings["check"] = self.timings.get("check", 0.0) + perf_counter() - start


def read_for_check(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES,
                vocabulary: str | Path | None = None, mappings: bool = True,
                timings: dict[str, float] | None = None) -> ReadTheory:
    """Read the theory directory holding ``path``, build it and find its vocabulary,
    without running the rules (:meth:`ReadTheory.check`). Parameters and ``timings``
    as for :func:`check_theory`; ``check`` here is the building."""
    root = find_root(Path(path))
    with collector_paused():  # reading a theory allocates millions of objects, frees few
        start = perf_counter()
        files = read_theory_dir(root, max_bytes)
        as_written(files.documents)
        read = perf_counter()
        theory = build(files)
        vocab, missing = (_resolve_vocabulary(theory, files, Path(vocabulary) if vocabulary
                                              else None, max_bytes)
                          if mappings else (None, None))
    if timings is not None:
        timings["read"] = read - start
        timings["check"] = perf_counter() - read
    return ReadTheory(files, theory, vocab, missing, mappings, timings)


def check_path(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES,
               select: list[str] | None = None, vocabulary: str | Path | None = None) -> Checked:
    """``ptgraph check`` of one path: a vocabulary directory (it holds ``vocabulary.yaml``)
    or a theory (checked with its mappings)."""
    if is_vocabulary_dir(find_root(Path(path))):
        return check_vocabulary(path, max_bytes=max_bytes, select=select)
    return check_theory(path, max_bytes=max_bytes, select=select, vocabulary=vocabulary)


def _passed(checked: Checked, what: str) -> Checked:
    if checked.errors:
        n = len(checked.errors)
        raise TheoryError(
            f"{checked.files.root}: the {what} has {n} problem{'s' * (n != 1)}; "
            f"fix {'them' if n != 1 else 'it'} first (`ptgraph check {checked.files.root}`)",
            checked.problems,
        )
    return checked


def load_theory(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> Theory:
    """A theory that passes ``check``, or :class:`TheoryError` carrying its problems.

    Warnings do not stop it; errors do, since queries, figures and loads built
    on a broken theory would be wrong without saying so. Its mappings are not
    checked against the vocabulary (see :func:`load_mapped_theory`).
    """
    if is_vocabulary_dir(find_root(Path(path))):
        raise UsageError(f"{find_root(Path(path))} is a shared vocabulary, not a theory")
    return _passed(check_theory(path, max_bytes=max_bytes, mappings=False), "theory").theory


def load_mapped_theory(path: str | Path, *, vocabulary: str | Path | None = None,
                       max_bytes: int = MAX_FILE_BYTES, timings: dict[str, float] | None = None
                       ) -> tuple[Theory, Vocabulary | None]:
    """A theory that passes ``check`` with its mappings, and the vocabulary they map to
    (``timings`` as for :func:`check_theory`).

    Returns
    -------
    (Theory, Vocabulary or None)
        The vocabulary is None when the theory neither maps nor names one.

    Raises
    ------
    TheoryError
        The theory, or its mappings (E401-E404), fail ``check``; or the vocabulary does.
    """
    if is_vocabulary_dir(find_root(Path(path))):
        raise UsageError(f"{find_root(Path(path))} is a shared vocabulary, not a theory")
    checked = read_for_check(path, max_bytes=max_bytes, vocabulary=vocabulary,
                             timings=timings).passed(max_bytes)
    return checked.theory, checked.vocabulary


def load_vocabulary(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> Vocabulary:
    """A vocabulary that passes ``check``, or :class:`TheoryError` carrying its problems."""
    if not is_vocabulary_dir(find_root(Path(path))):
        raise UsageError(f"{find_root(Path(path))} holds no {VOCABULARY_MANIFEST}: it is not a "
                         "shared vocabulary")
    checked = _passed(check_vocabulary(path, max_bytes=max_bytes), "vocabulary")
    assert checked.vocabulary is not None
    return checked.vocabulary


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
