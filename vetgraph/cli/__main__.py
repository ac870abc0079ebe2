"""``python -m vetgraph.cli``: the same as the ``vetgraph`` command."""

from vetgraph.cli import main

main()
