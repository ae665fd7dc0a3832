"""The check rules: one module per rule, each with a stable code.

A rule module has ``CODE``, ``NAME``, ``LEVEL``, a docstring whose first line
is its summary and which shows a passing and a failing example, and a
``check(ctx)`` generator yielding ``((path, line, col), message)`` pairs.
The registry below is explicit, so the order and the set of rules are obvious.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Callable, Iterable, Iterator

from ..loader import Document, FileIssue, LoadedFiles
from ..model import Theory
from ..problems import Problem
from . import (
    bad_id, bad_value, contradictory_evidence, duplicate_configuration, duplicate_id,
    duplicate_key, encoding, file_size, incomplete_cmoc, line_separator, manifest, missing_key,
    refines_cycle, resource_overlap, self_opposition, source_as_text, unknown_key, unknown_reference,
    unstorable_value, undrawable_text, unsupported_confidence, unused_concept, wrong_type,
    yaml_limits, yaml_syntax,
)

Where = tuple[str, int, int]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    level: str
    summary: str
    doc: str
    check: Callable[["Context"], Iterable[tuple[Where, str]]]


def _rule(module: ModuleType) -> Rule:
    doc = (module.__doc__ or "").strip()
    summary = " ".join(doc.split("\n\n")[0].split())
    return Rule(module.CODE, module.NAME, module.LEVEL, summary, doc, module.check)


#: Rules that say a file could not be read at all (syntax, encoding, size, refused YAML):
#: always run, so that ``--select`` never passes a theory with a file missing from it.
ALWAYS = frozenset(("E001", "E002", "E003", "E005"))

RULES: tuple[Rule, ...] = tuple(_rule(m) for m in (
    yaml_syntax, encoding, file_size, duplicate_key, yaml_limits, line_separator,
    manifest, unknown_key, missing_key, wrong_type, bad_id, duplicate_id, bad_value,
    unstorable_value, undrawable_text,
    unknown_reference, incomplete_cmoc, duplicate_configuration, self_opposition,
    contradictory_evidence, refines_cycle, resource_overlap, unused_concept, source_as_text,
    unsupported_confidence,
))
BY_CODE = {r.code: r for r in RULES}


class Context:
    """What a rule may look at: the parsed files, their issues and the built theory."""

    def __init__(self, files: LoadedFiles, theory: Theory) -> None:
        self.files = files
        self.theory = theory
        self.documents: list[Document] = files.documents

    def issues(self, *kinds: str) -> Iterator[FileIssue]:
        return (i for i in self.files.issues if i.kind in kinds)


def run(files: LoadedFiles, theory: Theory, select: Iterable[str] | None = None) -> list[Problem]:
    """Run the rules (all, or the codes in ``select`` and :data:`ALWAYS`); sorted problems."""
    ctx = Context(files, theory)
    wanted = set(select) | ALWAYS if select else None
    problems = set()
    for rule in RULES:
        if wanted is not None and rule.code not in wanted:
            continue
        for (path, line, col), message in rule.check(ctx):
            problems.add(Problem(path, line, col, rule.code, message, rule.level, rule.name))
    return sorted(problems)
