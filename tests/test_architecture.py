"""The package's architecture as the README describes it: no import cycles, each outside dependency behind one
module, no module much over 400 lines, and the README's module map matching the tree (issue 8)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "vetgraph"
# Each outside dependency and the one module that may import it.
BEHIND_ONE_MODULE = {
    "pyshacl": "vetgraph.validation.pyshacl_runner",
    "SPARQLWrapper": "vetgraph.store.endpoint",
    "jinja2": "vetgraph.html",
    "markupsafe": "vetgraph.html",
    "owlrl": "vetgraph.rdf.inference",
    "openpyxl": "vetgraph.submissions.spreadsheet",
    "pyparsing": "vetgraph.followup.queries",
    "starlette": "vetgraph.publishing.web",
    "uvicorn": "vetgraph.publishing.serve",
    "h11": "vetgraph.publishing.serve",
}
# Declared because another dependency needs it for what vetgraph uses, never imported by vetgraph itself:
# the distribution's name and the module it would be imported as.
USED_THROUGH = {"python-multipart": "python_multipart"}  # Starlette's request.form()
# The RDF foundation, as the README says: rdflib's terms and graphs are the library's common language
# (any module); Oxigraph, the parser and SPARQL engine, is used by the RDF and store layers and by the
# two places that run SPARQL on it directly. click is the command line's.
FOUNDATION = {
    "rdflib": lambda name: True,
    "pyoxigraph": lambda name: (
        name.startswith(("vetgraph.rdf.", "vetgraph.store."))
        or name in ("vetgraph.followup.queries", "vetgraph.validation.sparql_constraints")
    ),
    "click": lambda name: name == "vetgraph.cli" or name.startswith("vetgraph.cli."),
}
MAX_LINES = 450


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def all_imports(path: Path) -> set[str]:
    """Every module imported anywhere in the file (functions included), by its top-level package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of ``graph`` (module -> modules it imports), each as a path back to its start."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return cycles


def every_import(path: Path) -> list[str]:
    """What a module imports at load time or in any function (not in TYPE_CHECKING blocks), as module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.append(candidate if candidate in MODULES else node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def with_packages(name: str, importer: str) -> set[str]:
    """Importing ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` first: those are imported too, unless they
    are the importer's own packages (being imported already when the importer runs)."""
    parts, own = name.split("."), importer.split(".")
    packages = {".".join(parts[:i]) for i in range(2, len(parts) + 1)} & set(MODULES)
    return packages - {".".join(own[:i]) for i in range(1, len(own))}


def test_no_import_cycles() -> None:
    """Issue 17: imports inside functions count too (validation and submissions imported each other through
    them), and so do the packages an import runs first."""
    graph = {
        name: {p for m in every_import(path) if m in MODULES for p in with_packages(m, name)} - {name}
        for name, path in MODULES.items()
    }
    assert len(graph) > 40 and sum(map(len, graph.values())) > 100  # the graph was read
    assert "vetgraph.submissions.workflow" in graph["vetgraph.validation.validator"]  # an import in a function
    assert find_cycles(graph) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    # store and endpoint used to import each other (Table)
    graph = {
        "vetgraph.store": {"vetgraph.endpoint"},
        "vetgraph.endpoint": {"vetgraph.store"},
        "vetgraph.cli": {"vetgraph.store"},
    }
    assert find_cycles(graph) == [["vetgraph.store", "vetgraph.endpoint", "vetgraph.store"]]


def test_each_outside_dependency_sits_behind_one_module() -> None:
    users: dict[str, list[str]] = {dependency: [] for dependency in BEHIND_ONE_MODULE}
    for name, path in MODULES.items():
        for dependency in all_imports(path) & set(BEHIND_ONE_MODULE):
            users[dependency].append(name)
    assert users == {dependency: [module] for dependency, module in BEHIND_ONE_MODULE.items()}


def declared_dependencies() -> set[str]:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[<>=!~\[ ]", spec, maxsplit=1)[0] for spec in project["dependencies"]}


def test_every_declared_dependency_has_its_place_and_nothing_undeclared_is_imported() -> None:
    """Issue 17: the test checked 5 chosen dependencies; now every one in pyproject.toml, imports in functions too."""
    import sys

    assert declared_dependencies() == set(BEHIND_ONE_MODULE) | set(FOUNDATION) | set(USED_THROUGH)
    misplaced, undeclared = [], []
    for name, path in MODULES.items():
        for imported in all_imports(path) - set(sys.stdlib_module_names) - {"vetgraph", "__future__"}:
            if imported in BEHIND_ONE_MODULE:
                if BEHIND_ONE_MODULE[imported] != name:
                    misplaced.append(f"{name} imports {imported}")
            elif imported in FOUNDATION:
                if not FOUNDATION[imported](name):
                    misplaced.append(f"{name} imports {imported}")
            elif imported in USED_THROUGH.values():
                misplaced.append(f"{name} imports {imported}, which only another dependency uses")
            else:
                undeclared.append(f"{name} imports {imported}")
    assert misplaced == [] and undeclared == []


def test_click_is_only_in_the_command_line_layer() -> None:
    outside = [
        name for name, path in MODULES.items() if "click" in all_imports(path) and not name.startswith("vetgraph.cli")
    ]
    assert outside == []


def test_no_module_is_much_over_400_lines() -> None:
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_readme_module_map_matches_the_tree() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The package") : readme.index("## The model in brief")]
    mapped = set(re.findall(r"^\| `(vetgraph/[\w/]+\.py)` \|", section, flags=re.MULTILINE))
    files = {str(p.relative_to(REPO)) for p in PACKAGE.rglob("*.py") if p.name != "__main__.py"}
    files -= {f"vetgraph/{folder}/__init__.py" for folder in ("rdf", "store", "validation", "followup", "publishing")}
    assert sorted(files - mapped) == [], "modules the README does not describe"
    assert sorted(mapped - files) == [], "the README describes modules that do not exist"


# The only places the code may name Vetlanda (issue 18): the shared vocabulary's home, named once, and the
# ontology's file name, which the client fixed. Everything else about a municipality is its profile's.
MUNICIPALITY_IN_CODE = re.compile(r"vetlanda|0685", re.IGNORECASE)
ALLOWED_MENTIONS = {
    ("vetgraph/namespaces.py", 'ONTOLOGY_IRI = "https://data.vetlanda.se/def/"'),
    ("vetgraph/project.py", 'ONTOLOGY_FILE = "ontology/vetlanda.ttl"'),
}


def test_no_municipality_is_written_into_the_code_or_templates() -> None:
    found = set()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".js"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if MUNICIPALITY_IN_CODE.search(line):
                    found.add((str(path.relative_to(REPO)), line.strip()))
    assert found == ALLOWED_MENTIONS


def test_the_municipality_check_finds_a_mention() -> None:
    assert MUNICIPALITY_IN_CODE.search('title="Uppföljning av Vetlanda kommuns utvecklingsstrategi"')
    assert MUNICIPALITY_IN_CODE.search("observation = ID[f'utfall/{kpi}/0685/{year}']")
