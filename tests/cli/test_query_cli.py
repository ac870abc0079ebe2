"""`vetgraph queries` and `vetgraph query` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from vetgraph.cli import main


def invoke(*args: str, stdin: str | None = None) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout_bytes, result.stderr


def test_queries_lists_every_stored_query_with_its_parameters() -> None:
    code, out, _ = invoke("queries")
    text = out.decode()
    assert code == 0
    assert text.count("\n  -p mandatperiod (iri, standard: den som gäller i dag)") == 15
    assert "  -p namnd (iri, standard: alla): Bara denna nämnd" in text
    assert "  -p kommun (iri, standard: profilens kommun)" in text  # matt-utfall: whose outcomes


def test_csv_is_for_swedish_excel() -> None:
    code, out, _ = invoke("query", "agenda2030-oversikt", "--format", "csv")
    assert code == 0
    assert out.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel then reads å, ä, ö right
    text = out.decode("utf-8-sig")
    assert text.count("\r\n") == 18
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == ["mal", "malNummer", "malNamn", "farg", "antalNamndmal", "antalNamnder"]
    assert rows[3] == ["http://metadata.un.org/sdg/3", "3", "God hälsa och välbefinnande", "#4C9F38", "4", "3"]
    assert rows[9][2] == "Hållbar industri, innovationer och infrastruktur"  # a comma inside, not a separator


def test_json_is_the_sparql_results_format() -> None:
    code, out, _ = invoke("query", "riktningar-oversikt", "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert document["head"]["vars"][:2] == ["riktning", "riktningNamn"]
    first = document["results"]["bindings"][0]
    assert first["riktning"] == {"type": "uri", "value": "https://data.vetlanda.se/id/riktning/attraktiva"}
    assert first["riktningNamn"] == {"type": "literal", "value": "Den attraktiva kommunen", "xml:lang": "sv"}
    assert first["antalNamndmal"] == {
        "type": "literal",
        "value": "12",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }


def test_a_query_on_standard_input_and_ask() -> None:
    query = "PREFIX vtl: <https://data.vetlanda.se/def/>\nASK { ?g a vtl:Namndmal }"
    code, out, _ = invoke("query", "-", "--format", "json", stdin=query)
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}


def test_a_query_file_with_a_syntax_error_is_one_line_with_its_location(tmp_path: Path) -> None:
    path = tmp_path / "min-fraga.rq"
    path.write_text("PREFIX vtl: <https://data.vetlanda.se/def/>\nSELECT ?g WHERE {\n  ?g a \n}\n", encoding="utf-8")
    code, out, err = invoke("query", str(path))
    assert (code, out) == (2, b"")
    assert err.startswith(f"vetgraph: {path}:") and "SPARQL syntax error" in err
    assert len(err.splitlines()) == 1


def test_parameter_errors_are_one_line_and_exit_2() -> None:
    for args, message in [
        (("-p", "namd", "x"), "unknown parameter 'namd' for query namnd-namndmal"),
        (("-p", "namnd", "namnd:skolan"), "namnd:skolan does not occur in the graph"),
        (("-p", "namnd", "skolan"), "neither a full IRI nor prefix:name"),
    ]:
        code, out, err = invoke("query", "namnd-namndmal", *args)
        assert (code, out) == (2, b""), err
        assert message in err and len(err.splitlines()) == 1


def test_an_unknown_stored_query() -> None:
    code, _, err = invoke("query", "tackning")
    assert code == 2 and "no stored query 'tackning'" in err


def test_service_is_refused_without_the_option() -> None:
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    code, _, err = invoke("query", "-", stdin=query)
    assert code == 2 and "SERVICE" in err and "--allow-external" in err


def test_both_engines_print_the_same_table() -> None:
    _, oxigraph, _ = invoke("query", "delstrategier-tackning")
    _, rdflib, _ = invoke("query", "delstrategier-tackning", "--engine", "rdflib")
    assert oxigraph == rdflib and oxigraph.decode().endswith("(15 rader)\n")


def test_a_built_graph_can_be_queried(tmp_path: Path) -> None:
    assert invoke("build", "--out", str(tmp_path / "graf"))[0] == 0
    code, out, _ = invoke("query", "riktningar-oversikt", "--graph", str(tmp_path / "graf" / "vetgraph.ttl"))
    assert code == 0 and b"Den attraktiva kommunen" in out
