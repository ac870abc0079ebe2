"""vetgraph: Vetlanda kommuns utvecklingsstrategi as linked open data.

The library does the work; :mod:`vetgraph.cli` is a thin command-line layer.

* :mod:`vetgraph.namespaces` - the IRIs vetgraph mints and the prefixes it uses
* :mod:`vetgraph.graphs` - reading, parsing and writing RDF (the one place)
* :mod:`vetgraph.validation` - checking submissions and reference data (pySHACL)
* :mod:`vetgraph.reports` - validation reports as text, JSON and Turtle
* :mod:`vetgraph.build` - merging everything into one graph
* :mod:`vetgraph.errors` - the one error type and the exit codes
"""

__version__ = "0.1.0"
