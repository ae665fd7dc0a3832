"""The exceptions ptgraph raises. The CLI turns each into a message and an exit code."""

from __future__ import annotations


class PtgraphError(Exception):
    """Base of every error ptgraph raises on purpose; never shown as a traceback."""

    exit_code = 2


class UsageError(PtgraphError):
    """The command was asked for something that does not exist (a query, a view, an id)."""


class TheoryError(PtgraphError):
    """A theory failed ``check``; carries the problems so the caller can show them."""

    def __init__(self, message: str, problems: list) -> None:
        super().__init__(message)
        self.problems = problems


class GraphvizError(PtgraphError):
    """The Graphviz ``dot`` program is missing or failed."""


class StoreError(PtgraphError):
    """Neo4j could not be reached, refused the credentials, or failed a transaction."""


class InputError(PtgraphError):
    """An input file cannot be read as what it claims to be (corrupt, encrypted, not of its
    format): a problem found in the input, so exit code 1."""

    exit_code = 1
