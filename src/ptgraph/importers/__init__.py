"""Importers: what a team already has, read into the theory format, one module each.

:data:`IMPORTERS` maps the name ``ptgraph import NAME`` takes to the module that reads
that format.
"""

from __future__ import annotations

from types import ModuleType

from . import qdpx

IMPORTERS: dict[str, ModuleType] = {
    "qdpx": qdpx,
}
