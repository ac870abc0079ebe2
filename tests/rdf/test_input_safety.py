"""Bad input gets one clear error with a location, quickly; nothing is fetched or read because an input said so."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from pytest_socket import SocketConnectBlockedError
from rdflib import Graph

from conftest import MALFORMED, W3C_TURTLE, W3C_TURTLE_BASE, w3c_turtle_files
from vetgraph.errors import VetgraphError
from vetgraph.rdf import graphs, safety

NEGATIVE = w3c_turtle_files("TestTurtleNegativeSyntax", "action")
POSITIVE = w3c_turtle_files("TestTurtlePositiveSyntax", "action")


def test_the_suite_is_complete() -> None:
    assert (len(NEGATIVE), len(POSITIVE)) == (94, 74)


@pytest.mark.parametrize("name", NEGATIVE)
def test_w3c_negative_syntax_is_refused_with_a_location(name: str) -> None:
    with pytest.raises(VetgraphError) as caught:
        graphs.read_rdf(W3C_TURTLE / name, base_iri=W3C_TURTLE_BASE + name)
    error = caught.value
    assert error.path is not None and error.path.endswith(name)
    assert "\n" not in str(error)


@pytest.mark.parametrize("name", POSITIVE)
def test_w3c_positive_syntax_loads(name: str) -> None:
    # A few positive tests hold no triples at all; they are valid Turtle all the same.
    graph = graphs.read_rdf(W3C_TURTLE / name, base_iri=W3C_TURTLE_BASE + name, require_triples=False)
    assert isinstance(graph, Graph)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def error_for(path: Path, **kwargs: object) -> VetgraphError:
    with pytest.raises(VetgraphError) as caught:
        graphs.read_rdf(path, **kwargs)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_files_give_file_line_and_column(tmp_path: Path, name: str) -> None:
    text, line = MALFORMED[name]
    error = error_for(write(tmp_path, name, text))
    assert error.line == line
    assert error.column is not None
    assert str(error).startswith(f"{tmp_path / name}:{line}:{error.column}: ")


def test_xml_with_a_dtd_is_refused_before_parsing(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '<rdf:Description rdf:about="http://example.org/a"><ex:p>&secret;</ex:p></rdf:Description></rdf:RDF>\n'
    )
    error = error_for(write(tmp_path, "xxe.rdf", xml))
    assert "document type declaration" in error.message
    assert error.line == 2
    assert "root:" not in str(error)


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    xml = (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [{entities}]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/a"><ex:p>&i;</ex:p></rdf:Description></rdf:RDF>'
    )
    error = error_for(write(tmp_path, "laughs.rdf", xml))
    assert "document type declaration" in error.message


def deep_turtle(depth: int) -> str:
    return (
        "<http://example.org/a> <http://example.org/p> "
        + "[ <http://example.org/p> " * depth
        + "1"
        + " ]" * depth
        + " .\n"
    )


def test_deep_turtle_nesting_is_refused(tmp_path: Path) -> None:
    error = error_for(write(tmp_path, "deep.ttl", deep_turtle(100_000)))
    assert f"nested more than {safety.MAX_NESTING} levels" in error.message
    graphs.read_rdf(write(tmp_path, "ok.ttl", deep_turtle(10)))  # modest nesting is fine


def test_deep_collections_are_refused(tmp_path: Path) -> None:
    text = "<http://example.org/a> <http://example.org/p> " + "(" * 5000 + ")" * 5000 + " .\n"
    assert "nested more than" in error_for(write(tmp_path, "lists.ttl", text)).message


def test_a_long_flat_list_is_not_nesting(tmp_path: Path) -> None:
    text = "<http://example.org/a> <http://example.org/p> (" + " 1" * 5000 + " ) .\n"
    assert len(graphs.read_rdf(write(tmp_path, "list.ttl", text))) == 10001


def test_deep_json_ld_is_refused(tmp_path: Path) -> None:
    depth = 200_000
    text = '{"@id": "http://example.org/a", "http://example.org/p": ' + '{"http://example.org/p": ' * depth
    text += "1" + "}" * depth + "}"
    error = error_for(write(tmp_path, "deep.jsonld", text))
    assert "nested" in error.message or "stack" in error.message.lower()


def test_deep_xml_is_refused_before_the_rdf_parser(tmp_path: Path) -> None:
    depth = 20_000
    text = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/a">'
        + "<ex:p><rdf:Description>" * depth
        + "</rdf:Description></ex:p>" * depth
        + "</rdf:Description></rdf:RDF>"
    )
    error = error_for(write(tmp_path, "deep.rdf", text))
    assert f"nested more than {safety.MAX_NESTING} levels" in error.message
    assert error.line == 1


def test_oversized_files_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.ttl"
    with path.open("wb") as handle:
        handle.truncate(graphs.MAX_INPUT_BYTES + 1)  # sparse: no time spent writing it
    error = error_for(path)
    assert "reads at most 10.5 MB" in error.message


def test_a_smaller_limit_can_be_set(tmp_path: Path) -> None:
    path = write(tmp_path, "small.ttl", "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    assert "reads at most" in error_for(path, max_bytes=10).message


def test_utf8_bom_says_how_to_save(tmp_path: Path) -> None:
    error = error_for(write(tmp_path, "bom.ttl", b"\xef\xbb\xbf<http://example.org/a> <http://example.org/b> 1 ."))
    assert "byte-order mark" in error.message and "UTF-8 without BOM" in error.message
    assert (error.line, error.column) == (1, 1)


def test_windows_1252_says_how_to_save(tmp_path: Path) -> None:
    text = '<http://example.org/a> <http://example.org/b> "ok" .\n<http://example.org/a> <http://example.org/c> "Välfärd" .\n'
    error = error_for(write(tmp_path, "ansi.ttl", text.encode("cp1252")))
    assert "Windows-1252" in error.message and "save it as UTF-8" in error.message
    assert (error.line, error.column) == (2, 49)


def test_utf16_says_how_to_save(tmp_path: Path) -> None:
    error = error_for(
        write(tmp_path, "utf16.ttl", "<http://example.org/a> <http://example.org/b> 1 .".encode("utf-16"))
    )
    assert "UTF-16" in error.message


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"# only a comment\n@prefix ex: <http://example.org/> .\n"])
def test_empty_files_are_refused(tmp_path: Path, content: bytes) -> None:
    error = error_for(write(tmp_path, "empty.ttl", content))
    assert "empty" in error.message or "no RDF triples" in error.message


def test_a_file_that_is_not_rdf(tmp_path: Path) -> None:
    error = error_for(write(tmp_path, "notes.ttl", "Nämndens mål för 2025:\n- fler elever\n"))
    assert error.line == 1 and "not valid RDF" in error.message
    assert "binary" in error_for(write(tmp_path, "image.ttl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")).message


def test_unknown_extension_asks_for_the_format(tmp_path: Path) -> None:
    path = write(tmp_path, "goals.txt", "<http://example.org/a> <http://example.org/b> 1 .")
    assert "--input-format" in error_for(path).message
    assert len(graphs.read_rdf(path, rdf_format="turtle")) == 1


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert error_for(tmp_path / "nope.ttl").message == "no such file"
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    assert "not a file" in error_for(folder).message or "directory" in error_for(folder).message


def test_relative_iris_are_never_resolved_against_the_working_directory(tmp_path: Path) -> None:
    error = error_for(write(tmp_path, "rel.ttl", "<#goal> <http://example.org/p> 1 .\n"))
    assert "relative IRI" in error.message and error.line == 1
    error = error_for(write(tmp_path, "rel.jsonld", json.dumps({"@id": "goal", "http://example.org/p": 1})))
    assert "relative IRI 'goal'" in error.message
    xml = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="#goal"><ex:p>1</ex:p></rdf:Description></rdf:RDF>'
    )
    assert "not valid RDF" in error_for(write(tmp_path, "rel.rdf", xml)).message


def test_remote_json_ld_contexts_are_never_fetched(tmp_path: Path) -> None:
    doc = {"@context": "https://example.org/context.jsonld", "@id": "http://example.org/a", "name": "x"}
    error = error_for(write(tmp_path, "remote.jsonld", json.dumps(doc)))
    assert "never fetches" in error.message


def test_owl_imports_is_just_a_triple(tmp_path: Path) -> None:
    text = "<http://example.org/doc> <http://www.w3.org/2002/07/owl#imports> <https://example.org/more.ttl> .\n"
    graph = graphs.read_rdf(write(tmp_path, "imports.ttl", text))
    assert len(graph) == 1  # loaded as data; nothing was fetched (the suite blocks sockets)


def test_named_graphs_are_refused(tmp_path: Path) -> None:
    text = '{"@id": "http://example.org/g", "@graph": [{"@id": "http://example.org/a", "http://example.org/p": 1}]}'
    assert "not valid RDF" in error_for(write(tmp_path, "graph.jsonld", text)).message


def test_the_test_suite_cannot_reach_the_network() -> None:
    # pytest-socket (pyproject.toml) turns any connection beyond loopback into an error.
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


ESCAPED_CONTROLS = {
    "turtle": b'<http://example.org/a> <http://example.org/p> "x\\u001By" .',
    "ntriples": b'<http://example.org/a> <http://example.org/p> "x\\u009By" .',
    "jsonld": b'{"@id": "http://example.org/a", "http://example.org/p": "x\\u001by"}',
    "xml": (
        b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
        b"<ex:p>x&#x9B;y</ex:p></rdf:Description></rdf:RDF>"
    ),
}


@pytest.mark.parametrize("rdf_format", ESCAPED_CONTROLS)
def test_a_control_character_written_as_an_escape_is_refused_in_every_format(rdf_format: str) -> None:
    with pytest.raises(VetgraphError, match=r"control character U\+00(1B|9B)"):
        graphs.parse_rdf(ESCAPED_CONTROLS[rdf_format], rdf_format)
