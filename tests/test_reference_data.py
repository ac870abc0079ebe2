"""The reference data is faithful to the strategy document and conforms to its own shapes."""

from __future__ import annotations

import re

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, SH

from conftest import require_shared
from municipality import ID
from vetgraph.namespaces import CODES, SDG, SDGO, VTL
from vetgraph.project import Project
from vetgraph.rdf import graphs
from vetgraph.validation import validate_reference
from vetgraph.validation.findings import Finding


def ds(slug: str) -> URIRef:
    return URIRef(str(ID) + "delstrategi/" + slug)


def ut(slug: str) -> URIRef:
    return URIRef(str(ID) + "utmaning/" + slug)


# The tables in the main text and Bilaga 2: (riktning, perspektiv) -> delstrategier.
STRUCTURE = {
    ("attraktiva", "bo"): {
        "Stärka trygghet och tillit i samhället genom samverkan med civilsamhället",
        "Hållbar social utveckling för människor och företag",
    },
    ("attraktiva", "leva"): {
        "Skapa meningsfulla och inkluderande mötesplatser",
        "Utveckla destinationen för boende och besökare",
    },
    ("attraktiva", "verka"): {"Attrahera, behålla och utveckla människor och näringsliv"},
    ("hallbara", "bo"): {"Minska belastningen på miljö och klimat", "Verka för att hela kommunen lever"},
    ("hallbara", "leva"): {
        "Skapa en öppen, mångfaldsinkluderande och jämställd livsmiljö",
        "God hälsa och hög livskvalitet i hela kommunen",
    },
    ("hallbara", "verka"): {"Hållbar ekonomisk utveckling i näringsliv och samhälle"},
    ("nytankande", "bo"): {"Skapa attraktiva och hållbara bostäder genom jämlik samhällsplanering"},
    ("nytankande", "leva"): {"Attrahera, behålla och utveckla kompetenser", "Bidra till en ökad digital kompetens"},
    ("nytankande", "verka"): {
        "Samverka för näringslivsutveckling och kompetensförsörjning",
        "Förstärka innovationskraften",
    },
}

# Bilaga 3: delstrategi (as Bilaga 3 words it) -> challenges, in the table's order.
F, IN, FH, K, S = (
    "Färre ska försörja fler",
    "Inkludering",
    "Folkhälsa",
    "Ökad konkurrens om kompetens och medarbetare",
    "Ökad medvetenhet om samhällets sårbarhet",
)
OK, VR, VB = (
    "Olika krav med ökade förväntningar",
    "Välfärden slukar allt mer resurser",
    "Välfärdsbrottslighet slukar allt mer resurser",
)
BILAGA_3 = {
    "Stärka trygghet och tillit i samhället i samverkan med civilsamhället": {IN, VR, S},
    "Hållbar social utveckling för människor och näringsliv": {F, IN, FH, K, S},
    "Skapa meningsfulla och inkluderande mötesplatser": {IN, FH},
    "Utveckla destinationen för boende och besökare": {K},
    "Attrahera, behålla och utveckla människor och näringsliv": {F, IN, FH, K},
    "Minska belastningen på miljö och klimat": {F, OK, S},
    "Verka för att hela kommunen lever": {IN, OK},
    "Skapa en öppen, mångfaldsinkluderande och jämställd livsmiljö": {IN, FH, K},
    "God hälsa och hög livskvalitet i hela kommunen": {IN, FH},
    "Hållbar ekonomisk utveckling i näringsliv och samhälle": {OK, VB, S},
    "Skapa attraktiva och hållbara bostäder genom jämlik samhällsplanering": {IN, FH, OK, K, S},
    "Attrahera, behålla och utveckla kompetenser": {F, K},
    "Bidra till en ökad digital kompetens": {F, IN, OK, K, S},
    "Samverka för näringslivsutveckling och kompetensförsörjning": {F, OK, K},
    "Förstärka innovationskraften": {F, OK, K},
}


def label(graph: Graph, node: object, lang: str = "sv") -> str:
    for value in graph.objects(node, SKOS.prefLabel):  # type: ignore[arg-type]
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    raise AssertionError(f"{node} has no {lang} label")


def by_label(graph: Graph, cls: URIRef) -> dict[str, URIRef]:
    return {label(graph, node): node for node in graph.subjects(RDF.type, cls)}  # type: ignore[misc]


def test_reference_data_conforms_to_its_shapes(project: Project) -> None:
    report = validate_reference(project)
    assert report.conforms, [(str(f.focus), f.message("en")) for f in report.findings]
    assert report.findings == []


def test_reference_shapes_catch_a_delstrategi_without_riktning(reference: Graph, project: Project) -> None:
    broken = Graph()
    broken += reference
    broken.remove((ds("god-halsa"), VTL.riktning, None))
    report = validate_reference(project, broken)
    assert not report.conforms
    assert {str(f.focus) for f in report.findings} == {str(ds("god-halsa"))}


def test_reference_shapes_catch_a_missing_english_label(reference: Graph, project: Project) -> None:
    broken = Graph()
    broken += reference
    broken.remove((ut("folkhalsa"), SKOS.prefLabel, Literal("Public health", lang="en")))
    report = validate_reference(project, broken)
    assert [str(f.focus) for f in report.findings] == [str(ut("folkhalsa"))]


def test_the_evaluator_checks_the_reference_data_as_pyshacl_does(reference: Graph, project: Project) -> None:
    """build checks the reference data with vetgraph's evaluator (issue 11): the same findings as pySHACL's."""
    from vetgraph.validation import validate_against_shapes

    broken = Graph()
    broken += reference
    broken.remove((ds("god-halsa"), VTL.riktning, None))
    broken.remove((ut("folkhalsa"), SKOS.prefLabel, Literal("Public health", lang="en")))
    period = next(broken.subjects(RDF.type, VTL.Mandatperiod))
    start, end = broken.value(period, DCAT.startDate), broken.value(period, DCAT.endDate)
    broken.set((period, DCAT.startDate, end))  # sh:lessThan: the start must come before the end
    broken.set((period, DCAT.endDate, start))
    report = validate_reference(project, broken)
    assert report.engine == "vetgraph"
    shapes = graphs.read_trusted([project.reference_shapes])
    pyshacl = validate_against_shapes(broken, shapes, engine="pyshacl")

    def key(f: Finding) -> tuple[str, ...]:
        return (str(f.focus), str(f.path), str(f.value), str(f.constraint), f.severity)

    assert sorted(map(key, report.findings)) == sorted(map(key, pyshacl.findings))
    assert SH.LessThanConstraintComponent in {f.constraint for f in report.findings}


def test_vision_riktningar_and_perspectives(reference: Graph) -> None:
    assert label(reference, ID.vision) == "Här växer människor och företag"
    assert set(by_label(reference, VTL.Riktning)) == {
        "Den attraktiva kommunen",
        "Den hållbara kommunen",
        "Den nytänkande kommunen",
    }
    assert set(by_label(reference, VTL.Medborgarperspektiv)) == {"Bo", "Leva", "Verka"}


def test_fifteen_delstrategier_each_in_its_riktning_and_perspective(reference: Graph) -> None:
    found: dict[tuple[str, str], set[str]] = {}
    for node in reference.subjects(RDF.type, VTL.Delstrategi):
        riktning = str(reference.value(node, VTL.riktning)).rsplit("/", 1)[1]
        perspektiv = str(reference.value(node, VTL.medborgarperspektiv)).rsplit("/", 1)[1]
        found.setdefault((riktning, perspektiv), set()).add(label(reference, node))
        # The SKOS hierarchy says the same as the ontology properties.
        assert set(reference.objects(node, SKOS.broader)) == {
            reference.value(node, VTL.riktning),
            reference.value(node, VTL.medborgarperspektiv),
        }
    assert found == STRUCTURE
    assert sum(len(v) for v in found.values()) == 15


def test_bilaga_3_variants_are_alternative_labels(reference: Graph) -> None:
    alt = {
        str(v): s
        for s, v in reference.subject_objects(SKOS.altLabel)
        if s in set(reference.subjects(RDF.type, VTL.Delstrategi))
    }
    assert alt == {
        "Stärka trygghet och tillit i samhället i samverkan med civilsamhället": ds("trygghet-och-tillit"),
        "Hållbar social utveckling för människor och näringsliv": ds("hallbar-social-utveckling"),
    }


def test_challenges_exactly_as_bilaga_3(reference: Graph) -> None:
    names = {node: label(reference, node) for node in reference.subjects(RDF.type, VTL.Utmaning)}
    assert len(names) == 8
    found = {}
    for node in reference.subjects(RDF.type, VTL.Delstrategi):
        labels = [str(v) for v in reference.objects(node, SKOS.altLabel)] or [label(reference, node)]
        found[labels[0]] = {names[c] for c in reference.objects(node, VTL.utmaning)}
    assert found == BILAGA_3
    for challenge in names:
        assert reference.value(challenge, DCTERMS.source) == ID.omvarldsanalys


def test_every_delstrategi_has_bilingual_text(reference: Graph) -> None:
    for node in reference.subjects(RDF.type, VTL.Delstrategi):
        langs = {v.language for v in reference.objects(node, SKOS.definition) if isinstance(v, Literal)}
        assert langs == {"sv", "en"}, node


def test_swedish_texts_are_the_source_documents_own_words(reference: Graph) -> None:
    seed = next(require_shared("seed").glob("*.txt")).read_text(encoding="utf-8")
    seed_paragraphs = {" ".join(p.split()) for p in seed.split("\n")}
    checked = 0
    for node in [*reference.subjects(RDF.type, VTL.Delstrategi), ID.vision]:
        text = next(v for v in reference.objects(node, SKOS.definition) if v.language == "sv")  # type: ignore[attr-defined]
        for paragraph in re.split(r"\n\s*\n", str(text)):
            assert " ".join(paragraph.split()) in seed_paragraphs, paragraph
            checked += 1
    assert checked >= 30


def test_rus_vision_and_six_strategy_areas(reference: Graph) -> None:
    areas = sorted(
        (str(reference.value(a, SKOS.notation)), label(reference, a))
        for a in reference.subjects(RDF.type, VTL.RUSStrategiomrade)
    )
    assert areas == [
        ("1", "En hållbar region"),
        ("2", "En attraktiv region"),
        ("3", "En tillgänglig region"),
        ("4", "En smart region"),
        ("5", "En kompetent region"),
        ("6", "En global region"),
    ]
    vision = str(reference.value(ID.rus, SKOS.definition))
    assert "Sveriges mest hållbara, attraktiva och tillgängliga region" in vision


def test_agenda_2030_goals_and_targets_with_un_iris(reference: Graph) -> None:
    goals = set(reference.subjects(RDF.type, SDGO.Goal))
    targets = set(reference.subjects(RDF.type, SDGO.Target))
    assert goals == {SDG[str(n)] for n in range(1, 18)}
    assert len(targets) == 169
    for target in targets:
        goal = reference.value(target, SKOS.broader)
        assert goal in goals
        assert str(target).startswith(str(goal) + ".")
    assert label(reference, SDG["5"]) == "Jämställdhet"
    assert str(reference.value(SDG["13"], VTL.farg)) == "#3F7E44"


def test_agenda_2030_english_labels_are_the_uns(reference: Graph) -> None:
    un = Graph().parse(require_shared("reference", "sdg") / "sdg-kos-goals-targets-indicators.ttl")
    for concept in [*reference.subjects(RDF.type, SDGO.Goal), *reference.subjects(RDF.type, SDGO.Target)]:
        ours = label(reference, concept, "en")
        theirs = label(un, concept, "en")
        assert ours == " ".join(theirs.split())


def test_sdg_proposal_is_marked_as_a_proposal(project: Project) -> None:
    proposal = graphs.read_trusted([project.data_dir / "agenda2030-forslag.ttl"])
    links = list(proposal.subject_objects(VTL.foreslagetAgenda2030Mal))
    assert {s for s, _ in links} == {
        ds(slug)
        for slug in [
            "trygghet-och-tillit",
            "hallbar-social-utveckling",
            "motesplatser",
            "destinationen",
            "attrahera-manniskor-och-naringsliv",
            "miljo-och-klimat",
            "hela-kommunen-lever",
            "oppen-livsmiljo",
            "god-halsa",
            "hallbar-ekonomisk-utveckling",
            "hallbara-bostader",
            "kompetenser",
            "digital-kompetens",
            "naringslivsutveckling-och-kompetensforsorjning",
            "innovationskraften",
        ]
    }
    dataset = ID["agenda2030-forslag"]
    assert proposal.value(dataset, VTL.dataStatus) == CODES["datastatus/forslag"]
    assert proposal.value(dataset, PROV.wasAttributedTo) == ID.vetgraph
    # Nothing in the source-document data uses the municipality's own property for it.
    assert not list(proposal.triples((None, VTL.agenda2030, None)))


def test_skos_scheme_is_browsable(reference: Graph) -> None:
    tops = set(reference.objects(ID.utvecklingsstrategi, SKOS.hasTopConcept))
    assert ID.vision in tops
    for riktning in reference.subjects(RDF.type, VTL.Riktning):
        assert (ID.vision, SKOS.narrower, riktning) in reference
        assert len(set(reference.objects(riktning, SKOS.narrower))) == 5


def test_samples_are_marked_and_cover_what_later_features_need(reference: Graph, samples: Graph) -> None:
    committees = set(reference.subjects(RDF.type, VTL.Namnd))
    goals = set(samples.subjects(RDF.type, VTL.Namndmal))
    assert len(committees) >= 6
    assert len(goals) >= 25
    for resource in [*committees, *goals, *reference.subjects(RDF.type, VTL.KFMal)]:
        graph = samples if resource in goals else reference
        assert graph.value(resource, VTL.dataStatus) == CODES["datastatus/exempel"], resource
    assert {samples.value(g, VTL.ansvarigNamnd) for g in goals} == committees
    used = set(samples.objects(None, VTL.delstrategi))
    riktningar = {reference.value(d, VTL.riktning) for d in used}
    assert riktningar == set(reference.subjects(RDF.type, VTL.Riktning))
    assert set(samples.objects(None, VTL.medborgarperspektiv)) == set(
        reference.subjects(RDF.type, VTL.Medborgarperspektiv)
    )
    uncovered = set(reference.subjects(RDF.type, VTL.Delstrategi)) - used
    assert uncovered == {ds("oppen-livsmiljo"), ds("hallbar-ekonomisk-utveckling"), ds("innovationskraften")}
