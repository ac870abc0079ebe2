"""A printable PDF of the follow-up report, printed by headless Chromium: the one module that runs a browser.

Chromium lays out the same HTML and CSS the report's readers see (its print
styles included), so the PDF needs no second layout engine. It runs with no
network (the report needs none: its charts are inline SVG), a fresh profile and a
deadline, and its own output is read only as the PDF file it writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from vetgraph.errors import VetgraphError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 120
# No network, no first-run or background work, and no sandbox when run as root (containers, CI).
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--no-pdf-header-footer",
)


def find_browser() -> str:
    """Chromium's path: ``$VETGRAPH_CHROMIUM``, else the first of BROWSERS on PATH."""
    configured = os.environ.get("VETGRAPH_CHROMIUM")
    if configured:
        return configured
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise VetgraphError(
        "a PDF needs Chromium, which is not installed; install it (Debian: apt install chromium) "
        "or set VETGRAPH_CHROMIUM to its path",
        sv="en PDF kräver Chromium, som inte är installerat; installera det (Debian: apt install chromium) "
        "eller ange dess sökväg i VETGRAPH_CHROMIUM",
    )


def print_to_pdf(html: Path, pdf: Path) -> None:
    """Print the page ``html`` (a local file) to ``pdf``."""
    browser = find_browser()
    with tempfile.TemporaryDirectory(prefix="vetgraph-chromium-") as profile:
        command = [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", html.resolve().as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise VetgraphError(f"Chromium did not print the report within {TIMEOUT_SECONDS} s") from None
        except OSError as error:
            raise VetgraphError(f"cannot run Chromium ({browser}): {error.strerror}") from None
    if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF-"):
        raise VetgraphError(f"Chromium ({browser}) did not write a PDF of the report")
