"""The shape every store answers in: a :class:`Table` of rdflib terms, and the :class:`Store` interface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rdflib import URIRef
from rdflib.term import Node


@dataclass(frozen=True)
class Table:
    """The rows of a SELECT query (None where a variable is unbound); an ASK gives one boolean row."""

    columns: list[str]
    rows: list[list[Node | None]]


class Store(Protocol):
    def select(self, query: str) -> Table:
        """Run a checked SELECT or ASK query."""
        ...

    def contains(self, iri: URIRef) -> bool:
        """Whether ``iri`` occurs in the graph (to tell a misspelt parameter from an empty result)."""
        ...

    def close(self) -> None:
        """Release what the store holds (a query worker); it is not used afterwards."""
        ...
