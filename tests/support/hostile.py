"""Hostile text, shared by the tests that follow it through check, render, load and queries.

:data:`DRAWABLE` is text ``check`` accepts in every field: the figures must
draw it, Neo4j store it and both query engines give it back exactly as
written. :data:`UNDRAWABLE` is text ``check`` refuses in the fields figures
draw (E109, naming the character), and accepts where nothing draws it.
:func:`write_theory` writes a theory with one entity of each kind per
string, and says where each drawn value sits in which file.

The empty string is left out on purpose: an entity without a label is drawn
by its id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DRAWABLE: list[str] = [
    "Carer\\Nurse visits at home",              # Graphviz: \N is the node's name
    "Feels \\\\ is heard",                       # \\ is one backslash to Graphviz
    "Less isolated\\G",                          # \G is the graph's name
    "\\E \\H \\T \\L \\l \\n \\r \\N\\G end\\",  # every escape Graphviz expands, and a last \
    "\\",
    "it's \"quoted\" `back`ticked` 'single'",
    "a < b && c > d </TD></TR></TABLE> <BR/> <B>bold</B> <!-- x --> ]]>",  # label markup
    "&amp; &lt; &#92; &#x5C; &nbsp; &bogus; & ;",  # entities written out, to stay as written
    "{braced|record} [square] <port> \\| pipes",  # record-label specials
    "  leading and trailing spaces  ",
    "runs   of    spaces",
    " ",
    "line one\nline two",
    "blank line\n\nbetween, and a last newline\n",
    "windows\r\nline end and a lone\rreturn",
    "separators\u2028line\u2029paragraph\x85next line",
    "form\x0cfeed and vertical\x0btab",
    "RTL: עברית العربية \u200f mark \u202eoverride\u202c done",
    "zero\u200bwidth\u200cnon\u200djoiner 👩\u200d🔬 family 👨\u200d👩\u200d👧",
    "combining e\u0301 \u0301 at a start n\u0303 a\u0308\u0304",
    "emoji 🧪🔬 astral 𝔘𝔫𝔦 𐍈 \U0001F600",
    "Ελληνικά 日本語 русский ქართული",
    "Pneumonoultramicroscopicsilicovolcanoconiosis-and-a-very-long-word-without-spaces",
    "100% %s %d %n {0} ${x} $theory :param",
    "'); MATCH (n) DETACH DELETE n //",
    "}) DETACH DELETE n //",
    "*/ MATCH (n) DETACH DELETE n /*",
    "` }]) RETURN 1 UNION MATCH (m) SET m.owned = true //",
    "no-break\u00a0space and\u00a0\u00a0two",
    "DEL\x7f and C1\x80\x9f controls",
    "noncharacters \ufdd0 \U0001fffe \U0010ffff, private use \ue000, BOM \ufeff",
    "X1~before~0 looks like a stand-in of a diff figure",
    "null", "true", "~", "0123", "9:30", "NO",
]

#: Text figures cannot draw -> the character ``check`` names (E109).
UNDRAWABLE: dict[str, str] = {
    "bell\x07here": "U+0007 BELL",
    "tab\tseparated": "U+0009 CHARACTER TABULATION",
    "nul\x00byte": "U+0000 NULL",
    "escape\x1b[31m red": "U+001B ESCAPE",
    "file\x1cseparator": "U+001C INFORMATION SEPARATOR FOUR",
    "noncharacter \ufffe here": "U+FFFE (a noncharacter)",
    "noncharacter \uffff here": "U+FFFF (a noncharacter)",
}

HOSTILE: list[str] = DRAWABLE + list(UNDRAWABLE)

#: Strings no query text sent to Neo4j may hold: pieces of the hostile strings.
MARKERS = ["DETACH DELETE n //", "back`ticked", "Ελληνικά", "m.owned", "&bogus;", "~before~0"]


def yaml_quoted(text: str) -> str:
    r"""``text`` as a YAML double-quoted scalar, escaping what YAML would not keep raw.

    >>> print(yaml_quoted('say "hi"\x07 \u2028 é'))
    "say \"hi\"\x07 \u2028 é"
    """
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        # not printable in YAML, or a line break YAML would fold (E006), or a BOM
        elif (code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF)
              or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)):
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@dataclass
class Written:
    """What :func:`write_theory` wrote.

    ``drawn`` maps ``(file, keys)`` to ``(line, col, value)`` for every value
    in a field the figures draw, ``keys`` as in the YAML (``("concepts",
    "ctx3")`` for a ``ctx3: label`` shorthand) and ``line, col`` the position
    of its key (each value is on its key's line). ``free`` lists every value
    in a field no figure draws, in the same way.
    """

    strings: list[str]
    title: str
    citation: str
    doi: str
    drawn: dict[tuple[str, tuple], tuple[int, int, str]] = field(default_factory=dict)
    free: dict[tuple[str, tuple], tuple[int, int, str]] = field(default_factory=dict)


class _File:
    def __init__(self, name: str, written: Written, header: str = "") -> None:
        self.name, self.written = name, written
        self.lines = [header] if header else []

    def key(self, indent: int, keys: tuple, value: str | None = None, *, drawn: bool = False,
            quote_key: bool = False) -> None:
        """A line ``key: value`` at ``indent`` levels; ``keys`` is the value's path."""
        prefix = "  " * indent + f"{yaml_quoted(keys[-1]) if quote_key else keys[-1]}:"
        if value is None:
            self.lines.append(prefix)
            return
        self._record(keys, indent, value, drawn)
        self.lines.append(f"{prefix} {yaml_quoted(value)}")

    def item(self, indent: int, keys: tuple, value: str) -> None:
        """A list item ``- value`` (of text nothing draws)."""
        self._record(keys, indent, value, False)
        self.lines.append("  " * indent + f"- {yaml_quoted(value)}")

    def _record(self, keys: tuple, indent: int, value: str, drawn: bool) -> None:
        where = self.written.drawn if drawn else self.written.free
        where[self.name, keys] = (len(self.lines) + 1, 2 * indent + 1, value)

    def raw(self, indent: int, text: str) -> None:
        self.lines.append("  " * indent + text)

    def save(self, root: Path) -> None:
        (root / self.name).write_text("\n".join(self.lines) + "\n", encoding="utf-8")


def write_theory(root: Path, theory_id: str, strings: list[str], free: list[str] | None = None,
                 *, title: str | None = None, attributes: dict[str, str] | None = None) -> Written:
    """A theory in ``root`` with, for each of ``strings`` (index ``i``), an area ``a<i>``,
    concepts ``ctx<i>``, ``mech<i>``, ``out<i>``, a CMOC ``M<i>`` of them, evidence
    ``e<i>`` and a pathway ``path<i>`` (context, CMOC, outcome), each string in the
    fields figures draw. ``free`` (default ``strings``) goes, in turn, into the text
    fields nothing draws and into the attributes of a site (with ``attributes`` too).
    The title is ``strings`` one per line, and the citation them joined by spaces (or
    ``title`` for both).
    """
    free = list(strings if free is None else free)
    if title is None:
        title, citation = "\n".join(strings), " ".join(strings)
    else:
        citation = title
    written = Written(list(strings), title, citation, strings[0])
    turn = iter(range(10**9))

    def nxt() -> str:
        return free[next(turn) % len(free)]

    root.mkdir(parents=True, exist_ok=True)
    f = _File("theory.yaml", written, "ptgraph: 1")
    f.key(0, ("theory",))
    f.raw(1, f"id: {theory_id}")
    f.key(1, ("theory", "title"), title, drawn=True)
    f.key(1, ("theory", "description"), nxt())
    f.key(1, ("theory", "source"))
    f.key(2, ("theory", "source", "citation"), citation, drawn=True)
    f.key(2, ("theory", "source", "doi"), written.doi, drawn=True)
    f.key(2, ("theory", "source", "url"), nxt())
    f.key(2, ("theory", "source", "licence"), nxt())
    f.save(root)

    sites = _File("sites.yaml", written, "sites:")
    sites.key(1, ("sites", "s1"))
    sites.key(2, ("sites", "s1", "label"), nxt())
    for j in range(len(free)):
        sites.key(2, ("sites", "s1", f"note{j}"), free[j])
    for name, value in (attributes or {}).items():
        sites.key(2, ("sites", "s1", name), value, quote_key=True)
    sites.save(root)

    files = {name: _File(f"{name}.yaml", written, f"{name}:")
             for name in ("areas", "concepts", "cmocs", "evidence", "pathways")}
    for i, s in enumerate(strings):
        a = files["areas"]
        a.key(1, ("areas", f"a{i}"))
        a.key(2, ("areas", f"a{i}", "label"), s, drawn=True)
        a.key(2, ("areas", f"a{i}", "description"), s, drawn=True)
        c = files["concepts"]
        c.key(1, ("concepts", f"ctx{i}"), s, drawn=True)  # the shorthand: id: label
        c.key(1, ("concepts", f"mech{i}"))
        c.key(2, ("concepts", f"mech{i}", "label"), s, drawn=True)
        c.key(2, ("concepts", f"mech{i}", "description"), nxt())
        c.key(2, ("concepts", f"mech{i}", "tags"))
        c.item(3, ("concepts", f"mech{i}", "tags", 0), nxt())
        c.key(1, ("concepts", f"out{i}"))
        c.key(2, ("concepts", f"out{i}", "label"), s, drawn=True)
        m = files["cmocs"]
        m.key(1, ("cmocs", f"M{i}"))
        m.raw(2, f"area: a{i}")
        m.key(2, ("cmocs", f"M{i}", "statement"), s, drawn=True)
        m.raw(2, f"context: ctx{i}")
        m.raw(2, f"mechanism: mech{i}")
        m.raw(2, f"outcome: out{i}")
        m.key(2, ("cmocs", f"M{i}", "notes"), nxt())
        e = files["evidence"]
        e.key(1, ("evidence", f"e{i}"))
        e.key(2, ("evidence", f"e{i}", "quote"), nxt())
        e.key(2, ("evidence", f"e{i}", "participant"), s, drawn=True)
        e.raw(2, "site: s1")
        e.raw(2, f"supports: [M{i}]")
        e.key(2, ("evidence", f"e{i}", "source"), nxt())
        p = files["pathways"]
        p.key(1, ("pathways", f"path{i}"))
        p.key(2, ("pathways", f"path{i}", "label"), s, drawn=True)
        p.key(2, ("pathways", f"path{i}", "description"), s, drawn=True)
        p.raw(2, f"steps: [ctx{i}, M{i}, out{i}]")
    for fl in files.values():
        fl.save(root)
    return written


#: Section -> graph node label (docs/graph-model.md).
NODE = {"theory": "Theory", "areas": "Area", "sites": "Site", "concepts": "Concept",
        "cmocs": "CMOC", "evidence": "Evidence", "pathways": "Pathway"}


def stored_at(keys: tuple, theory_id: str) -> tuple[tuple[str, str], str, int | None]:
    """Where the graph keeps the value at YAML ``keys``: ``((label, id), property, list index)``.

    >>> stored_at(("concepts", "ctx3"), "t"), stored_at(("theory", "source", "doi"), "t")
    ((('Concept', 'ctx3'), 'label', None), (('Theory', 't'), 'doi', None))
    """
    if keys[0] == "theory":
        return ("Theory", theory_id), keys[-1], None
    node = (NODE[keys[0]], keys[1])
    if len(keys) == 2:  # the shorthand `id: label`
        return node, "label", None
    return node, keys[2], keys[3] if len(keys) > 3 else None
