"""The JSON Schema of theory files agrees with the code, the committed copies and the theory.

The schema is generated from :data:`ptgraph.schema.SECTIONS`; these tests fail
when the committed copies are stale, when a model dataclass gains or loses a
field that the schema does not, and when a theory file lacks its schema line.
"""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from pathlib import Path

import pytest

from ptgraph.loader import read_file, theory_files
from ptgraph.graph import CONFIDENCE_PROPS
from ptgraph.model import CMOC, Area, Concept, Confidence, Evidence, Pathway, Site, Source, Theory
from ptgraph.schema import (CONFIDENCE_COMPONENTS, ID_PATTERN, SCHEMA_FILE, SECTIONS, json_schema,
                            schema_text)

ROOT = Path(__file__).resolve().parents[1]
REPO_SCHEMA = ROOT / "schema" / SCHEMA_FILE
REGENERATE = (f"regenerate with `ptgraph schema -o schema/{SCHEMA_FILE} "
              f"-o src/ptgraph/data/{SCHEMA_FILE}` and commit both")
SCHEMA_LINE = "# yaml-language-server: $schema="

ENTITIES = {"areas": Area, "sites": Site, "sources": Source, "concepts": Concept, "cmocs": CMOC,
            "evidence": Evidence, "pathways": Pathway}
#: Sections whose entries are not one dataclass field per key: a Mapping keeps its match
#: types as (type, term) pairs (tests/test_vocabulary.py checks it against the schema).
NOT_ENTITIES = {"mappings"}
#: Dataclass fields never written as keys: the id is the entry's key, ``source`` its file.
NOT_KEYS = {"id", "source", "context_any"}  # context_any: written as context: {any: [...]}
#: Dataclass field -> key in the file, where the two names differ.
RENAMED = {Evidence: {"source_ref": "source"}}
#: The dataclass field holding free attributes (the schema's additionalProperties).
FREE = {Site: "attributes"}
#: Theory fields that are bookkeeping, not file content.
THEORY_INTERNAL = {"root", "documents"}


def entry_schema(section: str) -> dict:
    """The object schema of one entry of a section (the string shorthand left aside)."""
    entry = json_schema()["properties"][section]["patternProperties"][f"^{ID_PATTERN}$"]
    objects = [s for s in entry.get("oneOf", [entry]) if s.get("type") == "object"]
    assert len(objects) == 1, entry
    return objects[0]


def takes_list(prop: dict) -> bool:
    return any(s.get("type") == "array" for s in prop.get("oneOf", [prop]))


# --- committed copies ------------------------------------------------------------------------

def test_repository_copy_is_current():
    assert REPO_SCHEMA.is_file(), f"schema/{SCHEMA_FILE} is missing: {REGENERATE}"
    assert REPO_SCHEMA.read_text(encoding="utf-8") == schema_text(), \
        f"schema/{SCHEMA_FILE} differs from the format in ptgraph.schema: {REGENERATE}"


def test_package_copy_is_current():
    shipped = resources.files("ptgraph").joinpath("data", SCHEMA_FILE)
    assert shipped.is_file(), f"src/ptgraph/data/{SCHEMA_FILE} is missing: {REGENERATE}"
    assert shipped.read_text(encoding="utf-8") == schema_text(), \
        f"src/ptgraph/data/{SCHEMA_FILE} differs from the format in ptgraph.schema: {REGENERATE}"


def test_schema_command_prints_and_writes_the_same_text(ptgraph, tmp_path):
    printed = ptgraph("schema")
    assert printed.code == 0 and printed.out == schema_text()
    targets = [tmp_path / "a.json", tmp_path / "b.json"]
    run = ptgraph("schema", "-o", targets[0], "--output", targets[1])
    assert (run.code, run.out) == (0, "")
    assert [t.read_text(encoding="utf-8") for t in targets] == [schema_text()] * 2


# --- model dataclasses <-> schema ------------------------------------------------------------

@pytest.mark.parametrize("section", sorted(ENTITIES))
def test_entity_fields_and_schema_properties_match(section):
    cls, entry = ENTITIES[section], entry_schema(section)
    rename = RENAMED.get(cls, {})
    fields = {rename.get(f.name, f.name): f for f in dataclasses.fields(cls)
              if f.name not in NOT_KEYS and f.name != FREE.get(cls)}
    assert set(fields) == set(entry["properties"]), (
        f"{cls.__name__} fields and the '{section}' schema properties differ: add the field "
        "to ptgraph.schema.SECTIONS (and the builder in ptgraph.model), or drop it")
    for name, f in fields.items():
        is_tuple = str(f.type).startswith("tuple")
        assert is_tuple == takes_list(entry["properties"][name]), (
            f"{cls.__name__}.{f.name} is {f.type} but the schema's '{name}' "
            f"{'does not take' if is_tuple else 'takes'} a list")
    has_free = FREE.get(cls) is not None
    assert has_free == (entry["additionalProperties"] is not False), (
        f"{cls.__name__} {'has' if has_free else 'has no'} free attributes but the schema "
        f"{'refuses' if has_free else 'allows'} unknown keys in '{section}'")


def test_confidence_fields_and_schema_properties_match():
    confidence = entry_schema("cmocs")["properties"]["confidence"]
    assert {f.name for f in dataclasses.fields(Confidence)} == set(confidence["properties"]), (
        "Confidence fields and the schema's cmocs.confidence properties differ: add the field "
        "to ptgraph.schema.SECTIONS (and ptgraph.model._confidence), or drop it")
    components = confidence["properties"]["components"]["properties"]
    assert list(components) == list(CONFIDENCE_COMPONENTS) == list(CONFIDENCE_PROPS), (
        "the confidence components of the schema, ptgraph.schema.CONFIDENCE_COMPONENTS and the "
        "graph's CONFIDENCE_PROPS differ")
    assert confidence["required"] == ["level"]


def test_theory_fields_match_the_manifest_and_sections():
    schema = json_schema()["properties"]
    names = {f.name for f in dataclasses.fields(Theory)} - THEORY_INTERNAL
    sections = set(schema) - {"ptgraph", "theory"}
    assert sections == set(SECTIONS) == set(ENTITIES) | NOT_ENTITIES
    assert names & sections == sections, "a section has no Theory field"
    assert names - sections == set(schema["theory"]["properties"]), (
        "Theory fields and the schema's theory: properties differ")


# --- theory files --------------------------------------------------------------------------------

THEORY_FILES = theory_files(ROOT / "theory")


@pytest.mark.parametrize("path", THEORY_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_theory_file_names_the_repository_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(SCHEMA_LINE), f"{path.name} should start with '{SCHEMA_LINE}...'"
    target = first[len(SCHEMA_LINE):].strip()
    assert not Path(target).is_absolute() and "://" not in target, target
    assert (path.parent / target).resolve() == REPO_SCHEMA.resolve(), target
    assert (path.parent / target).is_file()


# --- validation with jsonschema (optional) ---------------------------------------------------------

FIXTURES = ROOT / "tests" / "fixtures" / "rules"
#: Rules whose failing fixtures the schema refuses too: the structural ones.
STRUCTURAL = ("E102", "E103", "E104", "E105", "E107", "E202")


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    cls = jsonschema.Draft202012Validator
    cls.check_schema(json_schema())
    return cls(json_schema())


def errors(validator, path: Path) -> list[str]:
    doc, issues = read_file(path, str(path))
    assert doc is not None and not issues, issues
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc.data)]


@pytest.mark.parametrize("path", THEORY_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_theory_file_validates(validator, path):
    assert errors(validator, path) == []


@pytest.mark.parametrize("case", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_passing_fixtures_validate(validator, case):
    if not (FIXTURES / case / "pass" / "theory.yaml").is_file():
        pytest.skip("a vocabulary fixture: tests/test_vocabulary.py validates it")
    for path in theory_files(FIXTURES / case / "pass"):
        assert errors(validator, path) == [], path


@pytest.mark.parametrize("code", STRUCTURAL)
def test_schema_refuses_what_structural_rules_refuse(validator, code):
    (folder,) = FIXTURES.glob(f"{code}-*")
    expected = (folder / "fail" / "expected.txt").read_text(encoding="utf-8").splitlines()
    flagged = {line.split(":")[0] for line in expected if f": {code} " in line}
    assert flagged
    for name in flagged:
        assert errors(validator, folder / "fail" / name), f"the schema accepts {folder.name}/fail/{name}"


def test_schema_takes_a_context_of_alternatives_and_refuses_every_other_mapping(validator):
    def cmoc(context):
        return {"cmocs": {"X": {"area": "a", "statement": "s", "context": context,
                                "mechanism": "m", "outcome": "o"}}}

    for good in ("c", ["c"], ["c", "d"], {"any": ["c", "d"]}):
        assert not list(validator.iter_errors(cmoc(good))), good
    # each CMOC of the E104 fixture of context shapes, alone
    doc, _ = read_file(FIXTURES / "E104-wrong-type" / "fail" / "any.yaml", "any.yaml")
    for key, entry in doc.data["cmocs"].items():
        assert list(validator.iter_errors({"cmocs": {key: entry}})), key


def test_schema_refuses_reserved_site_attributes(validator):
    entry = {"label": "Site 1", "region": "South"}
    assert not list(validator.iter_errors({"sites": {"s1": entry}}))
    assert list(validator.iter_errors({"sites": {"s1": {**entry, "id": 1}}}))


def test_schema_file_is_json_with_the_expected_id():
    data = json.loads(REPO_SCHEMA.read_text(encoding="utf-8"))
    assert data["$id"].endswith("/" + SCHEMA_FILE)
