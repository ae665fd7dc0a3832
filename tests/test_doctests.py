"""The examples in ptgraph's docstrings run and give what they show."""

import doctest
import importlib
import pkgutil

import pytest

import ptgraph

MODULES = sorted(m.name for m in pkgutil.walk_packages(ptgraph.__path__, "ptgraph."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_query_examples_exist():
    # Each named query documents itself with a runnable example.
    from ptgraph import queries
    finder = doctest.DocTestFinder()
    for name, query in queries.QUERIES.items():
        assert any(t.examples for t in finder.find(query.func)), f"query {name} has no doctest"
