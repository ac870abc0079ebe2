"""HTML rendering: the one module that uses Jinja2 (templates in vetgraph/templates/, autoescaped)."""

from __future__ import annotations

__all__ = ["Markup", "render"]

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup  # markup the templates show as it is: the charts' SVG, escaped where it was made

_environment = Environment(
    loader=PackageLoader("vetgraph", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    undefined=StrictUndefined,  # a misspelt variable is an error, not an empty string
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, **context: Any) -> str:
    return _environment.get_template(template).render(**context)
