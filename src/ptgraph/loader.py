"""Reading theory files: bytes -> text -> YAML nodes -> plain data with positions.

The loader is deliberately dumb about the theory format: it reports what it
finds (syntax errors, duplicate keys, bad encodings, oversized files) as
:class:`FileIssue` facts and returns every file's data with the line and column
of each value. The rules in :mod:`ptgraph.rules` turn the facts into coded
problems; :mod:`ptgraph.model` turns the data into a theory.

It is built on ``yaml.compose`` with libyaml's ``CSafeLoader``: the C parser
does the heavy lifting and keeps a mark on every node, and only safe, standard
tags are accepted.

Text as written. PyYAML resolves plain scalars by YAML 1.1, which turns
``NO`` into false, ``0123`` into 83 and ``9:30`` into 570. Here a plain scalar
becomes a boolean only when written ``true`` or ``false`` and a number only
when written in plain decimal (:data:`PLAIN_NUMBER`); every other plain
scalar stays the text the researcher wrote, as dates already do. Positions
are those ``grep -n`` and editors show: U+2028, U+2029 and U+0085, which YAML
counts as line breaks, do not start a line here (and are reported, since
YAML changes the text around them).
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from .chars import char_name
from .errors import UsageError

try:  # libyaml is what makes check fast; fall back so ptgraph still works without it.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 32
MANIFEST = "theory.yaml"
#: The manifest of a shared vocabulary directory, read by the same code.
VOCABULARY_MANIFEST = "vocabulary.yaml"
MANIFESTS = (MANIFEST, VOCABULARY_MANIFEST)
#: What a theory file's name ends with: both spellings, as editors and pre-commit accept.
EXTENSIONS = (".yaml", ".yml")
_TOO_DEEP = f"nesting is deeper than {MAX_DEPTH} levels; a theory file needs a handful"

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _TAG + "str", _TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null", _TAG + "timestamp"
)
_MAP, _SEQ, _MERGE = _TAG + "map", _TAG + "seq", _TAG + "merge"
_KEY_TAGS = frozenset((_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP))
#: Characters YAML refuses (the set PyYAML's reader checks), to place a reader error.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALARS = {
    _INT: _CONSTRUCTOR.construct_yaml_int,
    _FLOAT: _CONSTRUCTOR.construct_yaml_float,
    _BOOL: _CONSTRUCTOR.construct_yaml_bool,
}
#: The plain scalars that are numbers: decimal integers without a leading zero, sign ``+``
#: or ``_``, and decimals with a point (and an optional exponent). YAML 1.1 also reads
#: ``0123`` (octal), ``9:30`` (base 60), ``0x1F``, ``1_000`` and ``+5`` as numbers; here
#: they stay text, as written.
PLAIN_NUMBER = {
    _INT: re.compile(r"(?:0|-?[1-9][0-9]*)\Z"),
    _FLOAT: re.compile(r"-?(?:0|[1-9][0-9]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?\Z"),
}
#: The plain scalars that are booleans (YAML 1.1 adds yes/no/on/off in any case).
PLAIN_BOOLEANS = {"true": True, "false": False}
#: Characters YAML counts as line breaks that editors, ``grep -n`` and GitHub do not.
_SEPARATOR_CHARS = ("\u2028", "\u2029", "\x85")
LINE_SEPARATORS = re.compile("[" + "".join(_SEPARATOR_CHARS) + "]")

#: Characters that look like a space but that YAML reads as text: U+00A0 NO-BREAK SPACE
#: (what Word and web pages paste), the other Unicode spaces, and the ideographic space.
_SPACE_LOOKALIKES = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
#: One where YAML needs a plain space: in a line's indentation, or after a key's ':' or a
#: list item's '-'.
_LOOKALIKE_SPACE = re.compile(rf"(?m)^ *([{_SPACE_LOOKALIKES}])|(?<=[:-])([{_SPACE_LOOKALIKES}])")
_LEADING_LOOKALIKE = re.compile(rf" *[{_SPACE_LOOKALIKES}]")

#: A position in a file: 1-based line and column.
Mark = tuple[int, int]


@dataclass(frozen=True, slots=True)
class FileIssue:
    """Something wrong with a file before the theory format is even considered.

    ``kind`` is one of ``syntax``, ``encoding``, ``size``, ``duplicate-key``,
    ``limits`` and ``read``; each kind has a rule that reports it.
    """

    kind: str
    path: str
    line: int
    col: int
    message: str


@dataclass(slots=True)
class Document:
    """One parsed file: its data and the position of every key and list item.

    ``marks`` maps a key path such as ``("cmocs", "EN1", "context", 0)`` to
    the position of that key (or list item) in the file.
    """

    path: str
    data: Any
    marks: dict[tuple, Mark] = field(default_factory=dict)
    #: Position of the value of each key whose value is neither text nor a mapping.
    values: dict[tuple, Mark] = field(default_factory=dict)
    #: The text as written of every plain scalar read as a boolean or a number, so that a
    #: field that takes text (a label, an id) can take ``2024`` or ``true`` as written.
    texts: dict[tuple, str] = field(default_factory=dict)

    def mark(self, *keys: Any) -> Mark:
        """Position of the deepest known prefix of ``keys`` (the file start if none)."""
        marks = self.marks
        while keys:
            found = marks.get(keys)
            if found is not None:
                return found
            keys = keys[:-1]
        return (1, 1)

    def value_mark(self, *keys: Any) -> Mark:
        """Position of the value at ``keys`` (a list item's own position; else as :meth:`mark`)."""
        return self.values.get(keys) or self.mark(*keys)


class _Limit(Exception):
    """Stops conversion: ``node`` is where, ``kind`` the :class:`FileIssue` kind."""

    def __init__(self, node: yaml.Node, message: str, kind: str = "limits",
                 where: Mark | None = None) -> None:
        super().__init__(message)
        self.node = node
        self.kind = kind
        self.where = where


def _shown(tag: str) -> str:
    """A tag as written in YAML: ``!!python/object`` rather than its full URI."""
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _unsupported(node: yaml.Node) -> _Limit:
    return _Limit(node, f"the tag {_shown(node.tag)} is not supported; ptgraph reads plain YAML only")


def _pos(node: yaml.Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Lines:
    """Positions counted as editors count them, for text that holds :data:`LINE_SEPARATORS`.

    libyaml's marks count those characters as line breaks; its ``index`` (in
    characters) does not depend on them, so positions are worked out from it.
    """

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, index: int) -> Mark:
        line = bisect.bisect_right(self.starts, index)
        return (line, index - self.starts[line - 1] + 1)

    def pos(self, node: yaml.Node) -> Mark:
        return self.at(node.start_mark.index)


class _Converter:
    """Node tree -> plain Python data, recording marks and duplicate keys.

    ``budget`` bounds the number of nodes produced, so that an alias bomb
    (a few lines whose aliases expand to billions of nodes) is refused
    instead of exhausting memory.
    """

    def __init__(self, path: str, text: str, budget: int, pos=_pos) -> None:
        self.path = path
        self.text = text
        self.budget = budget
        self.pos = pos
        self.marks: dict[tuple, Mark] = {}
        self.values: dict[tuple, Mark] = {}
        self.texts: dict[tuple, str] = {}
        self.issues: list[FileIssue] = []

    def convert(self, node: yaml.Node, keys: tuple, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _Limit(node, "aliases expand to far more data than the file holds "
                               "(an alias bomb?); write the values out", where=self.key_mark(keys))
        if depth > MAX_DEPTH:
            raise _Limit(node, _TOO_DEEP)
        if isinstance(node, ScalarNode):
            value = self.scalar(node)
            if value is not None and not isinstance(value, str):
                self.texts[keys] = node.value
            return value
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise _unsupported(node)
            out = []
            for index, item in enumerate(node.value):
                path = keys + (index,)
                self.marks[path] = self.pos(item)
                out.append(self.convert(item, path, depth + 1))
            return out
        if node.tag != _MAP:
            raise _unsupported(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Limit(key_node, "a mapping key must be plain text, not a list or mapping")
            if key_node.tag == _MERGE:
                raise _Limit(key_node, "merge keys (<<) are not supported; write the keys out")
            if key_node.tag not in _KEY_TAGS:
                raise _unsupported(key_node)
            key = key_node.value
            if not key_node.style and _LEADING_LOOKALIKE.match(key):
                # "\u00a0 d:" at the start of a line is the key "\u00a0 d", not "d" indented
                raise _Limit(key_node, f"{char_name(key.lstrip(' ')[0])} in the indentation: it "
                             "looks like a space but YAML reads it as text, so this key is "
                             f"not '{key.strip(' ' + _SPACE_LOOKALIKES)}' where it looks to be; replace "
                             "it with a plain space", kind="syntax")
            path = keys + (key,)
            if key in out:
                first = self.marks[path]
                line, col = self.pos(key_node)
                self.issues.append(FileIssue(
                    "duplicate-key", self.path, line, col,
                    f"key '{key}' appears twice in this mapping (first at line {first[0]}, "
                    f"column {first[1]}); YAML would silently keep only the last one",
                ))
                continue
            self.marks[path] = self.pos(key_node)
            value = out[key] = self.convert(value_node, path, depth + 1)
            if value.__class__ is not str and value.__class__ is not dict:
                # where a number, a list or an empty value's own problems point (text needs none)
                self.values[path] = self.pos(value_node)
        return out

    def key_mark(self, keys: tuple) -> Mark | None:
        """Position of the innermost mapping key on ``keys``: where an alias was used."""
        for end in range(len(keys), 0, -1):
            if isinstance(keys[end - 1], str):
                return self.marks.get(keys[:end])
        return None

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR or tag == _TIMESTAMP:  # dates stay as written
            return node.value
        if tag == _NULL:
            return None
        build = _SCALARS.get(tag)
        if build is None:
            raise _unsupported(node)
        # A plain scalar is of another type only when written as one; a tag (`!!int 0o17`)
        # says what the researcher meant, and the node starts at it.
        if not node.style and not self.text.startswith("!", node.start_mark.index):
            text = node.value
            if tag == _BOOL:
                return PLAIN_BOOLEANS.get(text, text)
            if not PLAIN_NUMBER[tag].match(text):
                return text
        try:
            return build(node)
        except (ValueError, KeyError):  # `0x_`, `!!int abc`, `!!bool maybe`
            raise _Limit(node, f"'{node.value}' is not a valid {_shown(tag)}; "
                               "put it in quotes if it is text",
                         kind="syntax") from None


def _line_col(text: str, index: int) -> Mark:
    """Line and column of character ``index`` of ``text``."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _place(raw: bytes, offset: int) -> Mark:
    """Line and column (in characters) of byte ``offset``, all bytes before it being UTF-8."""
    before = raw[:offset].decode("utf-8", "replace")
    return _line_col(before, len(before))


def _decode(raw: bytes, path: str) -> tuple[str | None, FileIssue | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if raw.startswith(bom):
            return None, FileIssue("encoding", path, 1, 1,
                                   f"the file is encoded as {name}; save it as UTF-8")
    nul = raw.find(b"\0")
    if nul >= 0:  # UTF-16/32 without a byte-order mark: ASCII text interleaved with NULs
        line, col = _place(raw, nul)
        return None, FileIssue("encoding", path, line, col,
                               "the file holds NUL bytes: it looks like UTF-16 or UTF-32 "
                               "(or is not text); save it as UTF-8")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line, col = _place(raw, exc.start)
        return None, FileIssue(
            "encoding", path, line, col,
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )


def _syntax_message(exc: yaml.MarkedYAMLError, text: str, where) -> str:
    problem = (exc.problem or "invalid YAML").strip()
    mark = exc.problem_mark
    if "'\\t'" in problem or (mark is not None and text[mark.index:mark.index + 1] == "\t"):
        return "a tab character cannot indent YAML; indent with spaces"
    if isinstance(exc, yaml.composer.ComposerError) and "another document" in problem:
        return ("a second YAML document starts here ('---'); "
                "a theory file holds one document: split it into two files")
    if exc.context and exc.context.strip() not in problem:
        context, start = exc.context.strip(), exc.context_mark
        if start is not None and mark is not None and where(start)[0] != where(mark)[0]:
            context += " that starts at line {}, column {}".format(*where(start))
        problem = f"{problem} ({context})"
    return problem


def _separator_message(char: str) -> str:
    return (f"{char_name(char)}: YAML reads this character as a line break, so the text "
            "around it would not stay as written; replace it with a space or a newline "
            f"(inside double quotes, \\u{ord(char):04x} keeps it)")


def _separator_issues(text: str, path: str, lines: _Lines) -> list[FileIssue]:
    return [FileIssue("line-separator", path, *lines.at(m.start()), _separator_message(m.group()))
            for m in LINE_SEPARATORS.finditer(text)]


def _lookalike_before(text: str, index: int) -> re.Match | None:
    """The last space look-alike where YAML needs a space, up to the end of the line of
    ``index`` (an error is often found on the line after the cause)."""
    end = text.find("\n", index)
    found = None
    for found in _LOOKALIKE_SPACE.finditer(text, 0, len(text) if end < 0 else end):
        pass
    return found


def parse_text(text: str, path: str) -> tuple[Document | None, list[FileIssue]]:
    """Parse one file's text; return its document (None when unreadable) and issues."""
    # Three substring tests are much faster than one regex search on a large file.
    lines = _Lines(text) if any(c in text for c in _SEPARATOR_CHARS) else None

    def where(mark) -> Mark:
        return lines.at(mark.index) if lines else (mark.line + 1, mark.column + 1)

    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = where(mark) if mark else (1, 1)
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit (1000 levels)
            return None, [FileIssue("limits", path, line, col, _TOO_DEEP)]
        message = _syntax_message(exc, text, where)
        others: list[FileIssue] = []
        if lines:  # the likely cause is the last line separator before the error: name it there
            index = mark.index if mark else len(text)
            before = list(LINE_SEPARATORS.finditer(text, 0, index + 1))
            named = lines.at(before[-1].start()) if before else None
            # and every other one too, as E006 does in a file that parses
            others = [i for i in _separator_issues(text, path, lines) if (i.line, i.col) != named]
            if before:
                line, col = named
                found = (exc.problem or "invalid YAML").strip()
                message = (f"{char_name(before[-1].group())}: YAML reads this character as a line "
                           f"break, and the file no longer parses ({found} at line "
                           f"{where(mark)[0] if mark else 1}); replace it with a space, "
                           "or remove it")
        elif (space := _lookalike_before(text, mark.index if mark else len(text))) is not None:
            found = (exc.problem or "invalid YAML").strip()
            at = space.start(space.lastindex)
            place = f"after '{text[at - 1]}'" if space.group(2) else "in the indentation"
            message = (f"{char_name(space.group(space.lastindex))} {place}: it looks like a space "
                       "but YAML reads it as text, and the file no longer parses "
                       f"({found} at line {where(mark)[0] if mark else 1}); replace it with a "
                       "plain space")
            line, col = lines.at(at) if lines else _line_col(text, at)
        return None, [FileIssue("syntax", path, line, col, message)] + others
    except yaml.YAMLError as exc:  # a reader error: a control character; it has no mark
        bad = _NON_PRINTABLE.search(text)
        line, col = _line_col(text, bad.start()) if bad else (1, 1)
        return None, [FileIssue("syntax", path, line, col, str(exc).splitlines()[0])]
    except RecursionError:  # only the pure-Python parser recurses; libyaml stops at 1000 levels
        return None, [FileIssue("limits", path, 1, 1, _TOO_DEEP)]
    if root is None:
        return Document(path, None), []
    converter = _Converter(path, text, budget=len(text) + 1000, pos=lines.pos if lines else _pos)
    try:
        data = converter.convert(root, (), 0)
    except _Limit as exc:
        line, col = exc.where or converter.pos(exc.node)
        return None, converter.issues + [FileIssue(exc.kind, path, line, col, str(exc))]
    issues = converter.issues + (_separator_issues(text, path, lines) if lines else [])
    return Document(path, data, converter.marks, converter.values, converter.texts), issues


def read_file(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[Document | None, list[FileIssue]]:
    """Read, decode and parse one file, never raising for bad content."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            return None, [FileIssue("read", display, 1, 1, "cannot read the file: not a regular file")]
        size = info.st_size
        if size > max_bytes:
            big, limit = _size(size), _size(max_bytes)
            if big == limit:
                big, limit = f"{size} bytes", f"{max_bytes} bytes"
            return None, [FileIssue("size", display, 1, 1, f"the file is {big}, over the {limit} "
                                                           "limit; split it into several files")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [FileIssue("read", display, 1, 1, f"cannot read the file: {exc.strerror}")]
    text, issue = _decode(raw, display)
    if issue:
        return None, [issue]
    return parse_text(text, display)


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:.1f} MiB"
    return f"{n / 1024:.1f} KiB" if n >= 1024 else f"{n} bytes"


def theory_files(root: Path, manifest_name: str = MANIFEST) -> list[Path]:
    """``theory.yaml`` (or ``manifest_name``) first, then every other ``*.yaml`` or
    ``*.yml`` below ``root`` in sorted order.

    Hidden files and folders (``.git``, ``.venv``) are skipped, and so is a folder
    below ``root`` holding the other kind's manifest (a vocabulary kept inside a
    theory's folder is a directory of its own, and the reverse).
    """
    other = tuple(m for m in MANIFESTS if m != manifest_name)
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not any(os.path.isfile(os.path.join(dirpath, d, m)) for m in other))
        for name in filenames:
            if name.endswith(EXTENSIONS) and not name.startswith("."):
                found.append(Path(dirpath, name))
    manifest = root / manifest_name
    rest = sorted((p for p in found if p != manifest), key=lambda p: p.relative_to(root).parts)
    return ([manifest] if manifest in found else []) + rest


def find_root(path: Path) -> Path:
    """The theory directory for ``path``: itself if a directory, else the nearest folder
    above a file that holds ``theory.yaml`` or ``vocabulary.yaml`` (the file's own folder
    when there is none).

    Raises :class:`UsageError` for a file that is not YAML (``table.csv``): its folder
    is no theory the researcher meant.
    """
    if path.is_dir():
        return path
    if path.suffix.lower() not in (".yaml", ".yml"):
        from .importers import TABLE_READERS  # only here: the readers are not needed to load

        hint = (f"; to make a draft theory of a table: ptgraph import table {path}"
                if path.suffix.lower() in TABLE_READERS else "")
        raise UsageError(f"{path} is not a theory file: give a theory's folder or one of its "
                         f".yaml files{hint}")
    for parent in path.parents:
        if any((parent / m).is_file() for m in MANIFESTS):
            return parent
    return path.parent


def is_vocabulary_dir(root: Path) -> bool:
    """Does ``root`` hold a shared vocabulary (``vocabulary.yaml``, and no ``theory.yaml``)?"""
    return (root / VOCABULARY_MANIFEST).is_file() and not (root / MANIFEST).is_file()


@dataclass(slots=True)
class LoadedFiles:
    """Everything read from one theory directory."""

    root: str
    documents: list[Document]
    issues: list[FileIssue]
    files: list[Path]


def read_theory_dir(root: Path, max_bytes: int = MAX_FILE_BYTES,
                    manifest_name: str = MANIFEST) -> LoadedFiles:
    """Read every theory file (or, with ``manifest_name="vocabulary.yaml"``, vocabulary
    file) below ``root``; problems are collected, never raised."""
    files = theory_files(root, manifest_name)
    documents, issues = [], []
    for path in files:
        display = os.path.normpath(str(path))
        doc, found = read_file(path, display, max_bytes)
        issues.extend(found)
        if doc is not None:
            documents.append(doc)
    return LoadedFiles(os.path.normpath(str(root)), documents, issues, files)
