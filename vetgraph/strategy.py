"""The strategy itself in a workbook: ``vetgraph strategy template`` and ``vetgraph strategy import``.

The development department writes the strategy's levels (vision, riktningar, delstrategier; or
vision, målområden) and the lists it builds on (the environment scan's challenges) in a workbook,
not in Turtle. The workbook has a sheet per ``vtl:Strateginiva`` of the profile, in its order; its
columns are what the reference-data shapes (``shapes/referensdata.ttl``) ask of that level's class:
a name and a text per language (``skos:prefLabel``, ``skos:definition`` with ``sh:languageIn``) and a
column per link (``sh:class``: a delstrategi's riktning, perspective and challenges, Bilaga 3's
links), required ones marked *. A link to another level lists that sheet's names; a link to anything
else (Agenda 2030's goals, the environment scan) lists the reference data's.

Importing turns each row into a concept: ``{base}id/{vtl:iriDel}/{Id, or the name as an IRI
segment}``, of the level's class, in the level's concept scheme (the shapes' ``sh:hasValue`` for
``skos:inScheme``, else the level's ``skos:inScheme``, else the strategy's), with its names, texts and
links; a link to a concept of another of the strategy's levels is also a ``skos:broader`` (not to a list in
a scheme of its own, such as the challenges), and a concept with no such link is a top concept of its
scheme. The result is checked against the reference-data shapes together with the
project's data, and every finding is named by sheet, row and column; with any, nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from vetgraph import escaping
from vetgraph.errors import VetgraphError
from vetgraph.labels import display_name
from vetgraph.namespaces import CODES, VTL
from vetgraph.profile import StrategyLevel
from vetgraph.project import Project
from vetgraph.rdf import graphs
from vetgraph.rdf.classes import instances, shape_classes
from vetgraph.rdf.output import write_new_file
from vetgraph.submissions.convert import slug
from vetgraph.submissions.fields import REPEATS, choices_of
from vetgraph.submissions.rows import Row
from vetgraph.submissions.spreadsheet import (
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    Column,
    SheetSpec,
    read_named_sheets,
    write_workbook,
)

ID_COLUMN = "Id"
LANGUAGE_NAMES = {"sv": "svenska", "en": "engelska"}
# Statements a level's concepts get from the import itself, never from a column.
_WRITTEN_BY_IMPORT = (RDF.type, SKOS.inScheme, SKOS.topConceptOf, SKOS.broader, VTL.dataStatus)


@dataclass(frozen=True)
class LevelColumn:
    """What a level's concepts say in one column group: a text in one language, or links to other concepts."""

    path: URIRef
    header: str
    required: bool
    language: str | None = None  # a text column
    classes: tuple[URIRef, ...] = ()  # a link column
    single: bool = True

    @property
    def columns(self) -> list[str]:
        return [self.header] if self.single else [f"{self.header} {n}" for n in range(1, REPEATS + 1)]


@dataclass
class Level:
    """A sheet of the workbook: the profile's level and its columns, from the shapes."""

    level: StrategyLevel
    columns: list[LevelColumn]
    fixed: list[tuple[URIRef, Node]] = field(default_factory=list)  # sh:hasValue: what every concept says

    @property
    def sheet(self) -> str:
        return self.level.name["sv"]


def strategy_levels(project: Project, reference: Graph) -> list[Level]:
    """The workbook's sheets, from the profile's levels and the reference-data shapes."""
    shapes = graphs.read_trusted([project.reference_shapes])
    levels: list[Level] = []
    for level in project.profile.strategy_levels:
        _check_sheet_name(level.name["sv"], project)
        columns: dict[tuple[URIRef, str | None], LevelColumn] = {}
        fixed: list[tuple[URIRef, Node]] = []
        for node_shape in shapes.subjects(SH.targetClass, level.cls):
            for prop in shapes.objects(node_shape, SH.property):
                path = shapes.value(prop, SH.path)
                if not isinstance(path, URIRef) or path in (RDF.type, VTL.dataStatus):
                    continue
                value = shapes.value(prop, SH.hasValue)
                if value is not None:
                    fixed.append((path, value))
                    continue
                column = _column(shapes, reference, prop, path)
                if column is None:
                    continue
                key = (path, column.language)
                known = columns.get(key)
                if known is not None:  # two shapes on one path: required if either is, single if either is
                    column = LevelColumn(path, column.header, known.required or column.required, column.language,
                                         known.classes or column.classes, known.single and column.single)  # fmt: skip
                columns[key] = column
        levels.append(Level(level, list(columns.values()), sorted(set(fixed), key=str)))
    order = {level.level.cls: level.level.order for level in levels}

    def place(column: LevelColumn) -> tuple[object, ...]:
        """Names, then texts (Swedish first), then links up to other levels in their order, then other links."""
        if not column.classes:
            return (0, column.path != SKOS.prefLabel, str(column.path), column.language != "sv")
        up = min((order[c] for c in column.classes if c in order), default=None)
        return (1, up is None, up or 0, str(column.path))

    for sheet in levels:
        sheet.columns.sort(key=place)
    return levels


def _column(shapes: Graph, reference: Graph, prop: Node, path: URIRef) -> LevelColumn | None:
    name = display_name(reference, path, "sv")
    header = name[:1].upper() + name[1:]
    qualified = shapes.value(prop, SH.qualifiedValueShape)
    languages = shapes.value(qualified, SH.languageIn) if qualified is not None else None
    if languages is not None:
        language = str(next(iter(Collection(shapes, languages))))
        required = _integer(shapes, prop, SH.qualifiedMinCount) > 0
        return LevelColumn(path, f"{header} ({LANGUAGE_NAMES.get(language, language)})", required, language=language)
    classes = tuple(dict.fromkeys(shape_classes(shapes, prop)))
    if not classes:
        return None  # a count or a form only (sh:uniqueLang, skos:broader's number): the import makes it right
    if path == SKOS.broader and len(classes) == 1:  # "Vision", not "Överordnat begrepp"
        name = display_name(reference, classes[0], "sv")
        header = name[:1].upper() + name[1:]
    single = shapes.value(prop, SH.maxCount) == Literal(1)
    return LevelColumn(path, header, _integer(shapes, prop, SH.minCount) > 0, classes=classes, single=single)


def _integer(shapes: Graph, node: Node, predicate: URIRef) -> int:
    value = shapes.value(node, predicate)
    return int(value) if isinstance(value, Literal) and value.datatype == XSD.integer else 0


def _check_sheet_name(name: str, project: Project) -> None:
    if len(name) > 31 or any(c in name for c in "[]:*?/\\") or name in (LISTS_SHEET, INSTRUCTIONS_SHEET):
        raise VetgraphError(
            f"the strategy level '{name}' cannot be a sheet's name (at most 31 characters, none of []:*?/\\, "
            f"not {LISTS_SHEET} or {INSTRUCTIONS_SHEET}); change its skos:prefLabel@sv",
            path=project.profile_file,
        )


# ---------------------------------------------------------------- the template


def write_strategy_template(out: str | Path, project: Project) -> Path:
    """Write the strategy workbook for ``project`` (.xlsx): a sheet per level, never over an existing file."""
    reference = graphs.read_trusted(project.reference_files())
    levels = strategy_levels(project, reference)
    if not levels:
        raise VetgraphError(
            "the municipality profile names no strategy levels (vtl:strateginiva); add them first",
            path=project.profile_file,
        )
    by_class = {level.level.cls: level for level in levels}
    sheets = []
    for level in levels:
        columns = [Column(ID_COLUMN)]
        for column in level.columns:
            target = next((by_class[c] for c in column.classes if c in by_class), None)
            choices = list(choices_of(reference, column.classes)) if column.classes and target is None else None
            for number, header in enumerate(column.columns):
                required = column.required and number == 0
                if target is not None:  # a link up to another level: the names typed on that sheet
                    names = 2 + next(
                        i for i, c in enumerate(target.columns) if (c.path, c.language) == (SKOS.prefLabel, "sv")
                    )
                    columns.append(Column(header, required, from_sheet=(target.sheet, names)))
                else:
                    columns.append(Column(header, required, choices=choices))
        sheets.append(SheetSpec(level.sheet, "", columns))
    return write_workbook(out, sheets, _instructions(project, levels))


def _instructions(project: Project, levels: list[Level]) -> list[str]:
    return [
        f"{project.profile.title['sv']}: strategins nivåer",
        "",
        "Fyll i ett blad per nivå, i bladens ordning, med texterna ur kommunens eget strategidokument.",
        "En rad är ett begrepp (en riktning, en delstrategi, ett målområde …). Kolumner med * måste fyllas i.",
        f"{ID_COLUMN}: valfritt, den sista delen av begreppets IRI (annars görs den av namnet).",
        "En koppling till en annan nivå väljs bland namnen på den nivåns blad: fyll i det bladet först.",
        "Läs in arbetsboken med: vetgraph strategy import ARBETSBOK.xlsx",
        "",
        *(f"Blad {level.sheet}: {display_name(Graph(), level.level.cls)}" for level in levels),
    ]


# ---------------------------------------------------------------- the import


@dataclass
class ImportedStrategy:
    graph: Graph
    concepts: int
    problems: list[str]  # "Blad Delstrategier, rad 3, kolumn Riktning: …", in sheet and row order


def import_strategy(path: str | Path, project: Project, *, language: str = "sv") -> ImportedStrategy:
    """The strategy's concepts in the workbook ``path``, checked against the reference-data shapes."""
    from vetgraph.validation.validator import validate_reference

    reference = graphs.read_trusted(project.reference_files())
    levels = strategy_levels(project, reference)
    sheets = read_named_sheets(path, [level.sheet for level in levels])
    namespaces = project.profile.namespaces
    strategy = next(reference.subjects(RDF.type, VTL.Utvecklingsstrategi), None)
    problems: list[tuple[int, int, str]] = []
    graph = Graph()
    where: dict[URIRef, tuple[int, Row, Level]] = {}
    unresolved: set[tuple[URIRef, URIRef]] = set()  # (concept, path) of a cell already reported
    names: dict[URIRef, dict[str, URIRef]] = {}  # class -> Swedish name -> concept, from the workbook
    known: dict[tuple[URIRef, ...], dict[str, URIRef]] = {}  # classes -> name -> concept, from the reference data
    for position, level in enumerate(levels):
        names[level.level.cls] = {}
        for row in sheets.get(level.sheet, []):
            name = row.cells.get(_header(level, SKOS.prefLabel, "sv"), "")
            tail = row.cells.get(ID_COLUMN) or (slug(name) if name else f"rad-{row.number}")
            if tail != slug(tail):
                problems.append((position, row.number, f"{row.where(ID_COLUMN)}: '{tail}' kan inte stå i en IRI; "
                                 f"skriv t.ex. {slug(tail)}"))  # fmt: skip
                continue
            concept = namespaces.id[f"{level.level.segment}/{tail}" if level.level.segment else tail]
            if concept in where:
                first = where[concept][1]
                problems.append((position, row.number, f"{row.where()}: samma IRI som {first.where()} "
                                 f"({namespaces.compact(str(concept))}); ge raderna olika namn eller {ID_COLUMN}"))  # fmt: skip
                continue
            where[concept] = (position, row, level)
            if name:
                names[level.level.cls][name] = concept
    # the strategy's own levels (not a list in a scheme of its own, such as the challenges): links up to them
    # are its SKOS hierarchy too
    hierarchy = {level.level.cls for level in levels if level.level.scheme is None}
    for concept, (position, row, level) in where.items():
        graph.add((concept, RDF.type, level.level.cls))
        graph.add((concept, VTL.dataStatus, CODES["datastatus/kalldokument"]))
        for predicate, fixed_value in level.fixed:
            graph.add((concept, predicate, fixed_value))
        scheme = level.level.scheme or strategy
        if scheme is not None and not any(p == SKOS.inScheme for p, _ in level.fixed):
            graph.add((concept, SKOS.inScheme, scheme))
        broader = False
        for column in level.columns:
            for header in column.columns:
                text = row.cells.get(header)
                if not text:
                    continue
                if column.language:
                    graph.add((concept, column.path, Literal(text, lang=column.language)))
                    continue
                if column.classes not in known:
                    known[column.classes] = _known(reference, column.classes)
                linked = _resolve(text, column, names, known[column.classes])
                if linked is None:
                    unresolved.add((concept, column.path))
                    problems.append((position, row.number, f"{row.where(header)}: '{text}' är inget av det som "
                                     f"kolumnen listar; välj ur listan, eller fyll i det först på sitt blad"))  # fmt: skip
                    continue
                graph.add((concept, column.path, linked))
                if any(cls in hierarchy for cls in column.classes):  # a link up to another level of the strategy
                    graph.add((concept, SKOS.broader, linked))
                    broader = True
        if not broader and scheme is not None and not any(p == SKOS.topConceptOf for p, _ in level.fixed):
            graph.add((concept, SKOS.topConceptOf, scheme))
    if where:
        # the workbook says all there is of its concepts: what an earlier import said of them does not count
        others = Graph()
        for triple in reference:
            if triple[0] not in where:
                others.add(triple)
        for finding in validate_reference(project, others + graph).findings:
            found = where.get(finding.focus) if isinstance(finding.focus, URIRef) else None
            if found is None or finding.severity != "Violation" or (finding.focus, finding.path) in unresolved:
                continue
            if finding.path == SKOS.broader and any(concept == finding.focus for concept, _ in unresolved):
                continue  # the hierarchy lacks the link already reported
            position, row, level = found
            column_header = _finding_header(level, finding.path, finding.messages.get("sv", ""))
            problems.append((position, row.number, f"{row.where(column_header)}: {finding.message(language)}"))
    return ImportedStrategy(graph, len(where), [text for _, _, text in sorted(set(problems))])


def _header(level: Level, path: URIRef, language: str | None = None) -> str:
    return next((c.header for c in level.columns if c.path == path and c.language == language), "")


def _finding_header(level: Level, path: Node | None, message: str) -> str | None:
    """The column a finding is about: its path's, in the message's language (svenska/engelska) if it has two."""
    matching = [c for c in level.columns if c.path == path]
    if len(matching) > 1:
        for column in matching:
            if column.language and (f"@{column.language}" in message or f"på {LANGUAGE_NAMES.get(column.language)}"
                                    in message):  # fmt: skip
                return column.columns[0]
    return matching[0].columns[0] if matching else None


def _resolve(
    text: str, column: LevelColumn, names: dict[URIRef, dict[str, URIRef]], known: dict[str, URIRef]
) -> URIRef | None:
    """The concept a link cell names: one of the workbook's own, else one the reference data has (``known``)."""
    for cls in column.classes:
        if text in names.get(cls, {}):
            return names[cls][text]
    return known.get(text)


def _known(reference: Graph, classes: tuple[URIRef, ...]) -> dict[str, URIRef]:
    """The reference data's members of ``classes`` by the names the lists show, and by their Swedish names (an
    existing concept of another level: the workbook lists only its own sheet's)."""
    known = {display_name(reference, member, "sv"): member for member in instances(reference, classes)}
    return known | choices_of(reference, classes)


def write_strategy(imported: ImportedStrategy, out: str | Path, project: Project, source: str | Path) -> Path:
    """Write the imported concepts as Turtle at ``out``, a new file (never over one)."""
    header = (
        # the workbook's name, from the user, on one comment line: a line break in it would be Turtle
        f"# Strategins nivåer, inlästa med vetgraph strategy import ur {escaping.controls(Path(source).name, keep_lines=False)}.\n"
        "# Texterna är kommunens egna, ur dess strategidokument (status:kalldokument).\n"
        "# The strategy's levels, imported from a workbook; the texts are the municipality's own.\n\n"
    )
    data = graphs.serialize(project.profile.namespaces.bind(imported.graph), "turtle")
    return write_new_file(out, header.encode("utf-8") + data)
