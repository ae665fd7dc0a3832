"""The check rules: one module per rule, each with a stable code.

A rule module has ``CODE``, ``NAME``, ``LEVEL``, a docstring whose first line
is its summary and which shows a passing and a failing example, and a
``check(ctx)`` generator yielding ``((path, line, col), message)`` pairs.
The registry below is explicit, so the order and the set of rules are obvious.

A rule checks theory directories unless its module says otherwise with
``KINDS``: ``("theory", "vocabulary")`` for the structural rules that read a
directory through its format (:class:`ptgraph.schema.Format`), so a shared
vocabulary is checked by the same code as a theory, ``("vocabulary",)`` for a
vocabulary's own rules. ``NEEDS_VOCABULARY = True`` marks a theory rule that
checks the mappings against the vocabulary, skipped when the caller does not
use the mappings (:func:`ptgraph.check.check_theory`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Callable, Iterable, Iterator

from ..loader import Document, FileIssue, LoadedFiles
from ..model import Theory, Vocabulary
from ..problems import Problem
from . import (
    bad_id, bad_value, contradictory_evidence, duplicate_configuration, duplicate_id,
    duplicate_key, encoding, file_size, incomplete_cmoc, line_separator, manifest, missing_key,
    refines_cycle, resource_overlap, self_opposition, source_as_text, unknown_key, unknown_reference,
    unstorable_value, undrawable_text, unsupported_confidence, unused_concept, wrong_type,
    yaml_limits, yaml_syntax,
    unknown_vocabulary_reference, two_exact_matches, broader_cycle, no_vocabulary,
)
from ..schema import THEORY_FORMAT, Format

Where = tuple[str, int, int]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    level: str
    summary: str
    doc: str
    check: Callable[["Context"], Iterable[tuple[Where, str]]]
    kinds: tuple[str, ...] = ("theory",)  # the kinds of directory it checks
    needs_vocabulary: bool = False


def _rule(module: ModuleType) -> Rule:
    doc = (module.__doc__ or "").strip()
    summary = " ".join(doc.split("\n\n")[0].split())
    return Rule(module.CODE, module.NAME, module.LEVEL, summary, doc, module.check,
                getattr(module, "KINDS", ("theory",)), getattr(module, "NEEDS_VOCABULARY", False))


#: Rules that say a file could not be read at all (syntax, encoding, size, refused YAML):
#: always run, so that ``--select`` never passes a theory with a file missing from it.
ALWAYS = frozenset(("E001", "E002", "E003", "E005"))

RULES: tuple[Rule, ...] = tuple(_rule(m) for m in (
    yaml_syntax, encoding, file_size, duplicate_key, yaml_limits, line_separator,
    manifest, unknown_key, missing_key, wrong_type, bad_id, duplicate_id, bad_value,
    unstorable_value, undrawable_text,
    unknown_reference, incomplete_cmoc, duplicate_configuration, self_opposition,
    contradictory_evidence, refines_cycle, resource_overlap, unused_concept, source_as_text,
    unsupported_confidence, unknown_vocabulary_reference, two_exact_matches, broader_cycle,
    no_vocabulary,
))
BY_CODE = {r.code: r for r in RULES}


class Context:
    """What a rule may look at: the parsed files, their issues, their format and what was
    built from them.

    ``theory`` is the theory checked (None when a vocabulary is); ``vocabulary`` the
    vocabulary checked, or the one a theory's mappings were resolved to (None when there
    is none, and ``no_vocabulary`` then says why, with where to point).
    """

    def __init__(self, files: LoadedFiles, theory: Theory | None,
                 format: Format = THEORY_FORMAT, vocabulary: Vocabulary | None = None,
                 no_vocabulary: tuple[Where, str] | None = None) -> None:
        self.files = files
        self.theory = theory
        self.format = format
        self.vocabulary = vocabulary
        self.no_vocabulary = no_vocabulary
        self.documents: list[Document] = files.documents

    def issues(self, *kinds: str) -> Iterator[FileIssue]:
        return (i for i in self.files.issues if i.kind in kinds)


def run(files: LoadedFiles, theory: Theory | None, select: Iterable[str] | None = None, *,
        ctx: Context | None = None, mappings: bool = True) -> list[Problem]:
    """Run the rules (all, or the codes in ``select`` and :data:`ALWAYS`); sorted problems.

    ``ctx`` gives the format and vocabulary (default: a theory without vocabulary);
    only the rules of its kind of directory run, and with ``mappings=False`` not those
    that check the mappings against the vocabulary.
    """
    ctx = ctx or Context(files, theory)
    wanted = set(select) | ALWAYS if select else None
    problems = set()
    for rule in RULES:
        if wanted is not None and rule.code not in wanted:
            continue
        if ctx.format.kind not in rule.kinds or (rule.needs_vocabulary and not mappings):
            continue
        for (path, line, col), message in rule.check(ctx):
            problems.add(Problem(path, line, col, rule.code, message, rule.level, rule.name))
    return sorted(problems)
