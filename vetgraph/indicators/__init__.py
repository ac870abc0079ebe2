"""Indicators and their outcomes: the measuring side of follow-up (issue 10).

* :mod:`vetgraph.indicators.kolada` - Kolada's API v3 (the one module that talks to Kolada): key
  figures and their outcomes for a municipality, as RDF Data Cube observations.
"""
