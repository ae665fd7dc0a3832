"""Characters as messages name them: code point and Unicode name (or what it is)."""

from __future__ import annotations

import unicodedata

# unicodedata names no control character; these are their ISO 6429 names (Unicode aliases).
_CONTROL_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION",
    "ENQUIRY", "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED",
    "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
    "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
)


def char_name(char: str) -> str:
    """A character as messages name it.

    >>> char_name("\\x07"), char_name("\\x85"), char_name("\\ufffe"), char_name("é")
    ('U+0007 BELL', 'U+0085 NEXT LINE (NEL)', 'U+FFFE (a noncharacter)', 'U+00E9 LATIN SMALL LETTER E WITH ACUTE')
    """
    code = ord(char)
    if code < 0x20:
        name = _CONTROL_NAMES[code]
    elif code == 0x85:
        name = "NEXT LINE (NEL)"
    elif 0xD800 <= code <= 0xDFFF:
        name = "(a lone surrogate)"
    elif code in (0xFFFE, 0xFFFF):
        name = "(a noncharacter)"
    else:
        name = unicodedata.name(char, "")
    return f"U+{code:04X}" + (f" {name}" if name else "")


def xml_forbidden(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot hold, not even as a character
    reference (a C0 control other than tab and the line ends, a lone surrogate, U+FFFE,
    U+FFFF); None when XML holds it all.

    >>> xml_forbidden("form\\x0cfeed"), xml_forbidden("tab\\tand é \\U0001F600")
    ('\\x0c', None)
    """
    for char in text:
        code = ord(char)
        if (code < 0x20 and char not in "\t\n\r") or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            return char
    return None
