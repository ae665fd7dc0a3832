"""Exporters: a theory written in another program's format, one module each.

:data:`EXPORTERS` maps the name ``ptgraph export NAME`` takes to the function that
writes that format.
"""

from __future__ import annotations

from typing import Callable

from .codebook import export_codebook

EXPORTERS: dict[str, Callable[..., bytes]] = {
    "codebook": export_codebook,
}
