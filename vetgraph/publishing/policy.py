"""What every web answer carries, and how long clients may take: one place for ``vetgraph serve`` and for the
nginx and Apache configurations ``vetgraph publish`` writes, so that the site behaves the same behind either."""

from __future__ import annotations

from vetgraph.rdf.graphs import MAX_INPUT_BYTES

# No inline script, nothing loaded from elsewhere, never framed, types not sniffed. Inline style attributes
# stay (the coloured chips of the goals); the pages' own scripts are files.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# Seconds a client may take to send a request's head, and a query's body, before it gets 408.
CLIENT_TIMEOUT = 10.0
# Seconds an upload's body may take to arrive (10 MB on a slow line).
UPLOAD_SECONDS = 120.0
# Largest request body read for a query (a query, or a form holding one).
MAX_BODY_BYTES = 1_000_000
# The largest upload: a submission's own limit, plus room for the form around it.
MAX_UPLOAD_BYTES = MAX_INPUT_BYTES + 64 * 1024
# Seconds a proxy in front waits for vetgraph's answer: past any query's or check's time limit.
ANSWER_SECONDS = 120
