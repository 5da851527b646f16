"""The public API of dependencia.io: exports, dispatch on the path, atomic writes."""

from __future__ import annotations

import os

import pytest
import yaml
from _io_helpers import raises_input_error, rich_network, write

import dependencia.io as dio
from dependencia.errors import InputError, UsageError
from dependencia.io import read
from dependencia.io import write as write_network

FILE_NAMES = ["n.yaml", "n.yml", "n.json", "e.csv", "n.graphml", "n.gexf"]


def test_exports_are_exactly_the_public_api():
    assert sorted(dio.__all__) == ["from_mrio", "from_networkx", "read", "read_ownership", "to_networkx", "write"]
    for name in dio.__all__:
        assert callable(getattr(dio, name))


def test_unsupported_suffix_on_read(tmp_path):
    path = write(tmp_path / "n.txt", "hello\n")
    error = raises_input_error(lambda: read(path), path, None, "unsupported file format '.txt'")
    for supported in (".yaml", ".json", ".csv", ".graphml", ".gexf", "folder"):
        assert supported in error.message


def test_missing_path(tmp_path):
    raises_input_error(lambda: read(tmp_path / "nope.json"), tmp_path / "nope.json", None, "no such file")
    raises_input_error(lambda: read(tmp_path / "nope"), tmp_path / "nope", None, "no such file")


def test_a_folder_named_like_a_file(tmp_path):
    (tmp_path / "net.yaml").mkdir()
    raises_input_error(lambda: read(tmp_path / "net.yaml"), tmp_path / "net.yaml", None, "folder",
                       "file (model file) is expected")


def test_unsupported_suffix_on_write(tmp_path):
    with pytest.raises(UsageError, match=r"unsupported format '\.txt'"):
        write_network(rich_network(), tmp_path / "n.txt")
    assert os.listdir(tmp_path) == []


def test_suffixes_are_case_insensitive(tmp_path):
    net = rich_network()
    write_network(net, tmp_path / "N.YAML")
    assert read(tmp_path / "N.YAML").equals(net)


def test_a_path_without_suffix_or_an_existing_folder_is_a_bundle(tmp_path):
    net = rich_network()
    write_network(net, tmp_path / "bundle")
    assert (tmp_path / "bundle" / "actors.csv").is_file()
    (tmp_path / "existing.d").mkdir()
    write_network(net, tmp_path / "existing.d")
    assert read(tmp_path / "existing.d").equals(net)


def test_bundle_path_that_is_a_file(tmp_path):
    write(tmp_path / "plain", "x")
    with pytest.raises(UsageError, match="is a file"):
        write_network(rich_network(), tmp_path / "plain")


@pytest.mark.parametrize("name", FILE_NAMES)
def test_writes_leave_no_temp_files(tmp_path, name):
    write_network(rich_network(), tmp_path / name)
    assert os.listdir(tmp_path) == [name]


@pytest.mark.parametrize("name", FILE_NAMES)
def test_write_replaces_a_symlink_and_leaves_its_target_alone(tmp_path, name):
    target = write(tmp_path / "precious.txt", "do not touch\n")
    link = tmp_path / name
    link.symlink_to(target)
    write_network(rich_network(), link)
    assert not link.is_symlink() and link.is_file()
    assert target.read_text() == "do not touch\n"


def test_bundle_files_are_written_atomically_too(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    target = write(tmp_path / "precious.csv", "do not touch\n")
    (folder / "actors.csv").symlink_to(target)
    write_network(rich_network(), folder)
    assert not (folder / "actors.csv").is_symlink()
    assert target.read_text() == "do not touch\n"
    assert len(os.listdir(folder)) == 7


def test_a_failing_write_leaves_no_partial_file(tmp_path, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(yaml, "dump", explode)
    with pytest.raises(RuntimeError):
        write_network(rich_network(), tmp_path / "n.yaml")
    assert os.listdir(tmp_path) == []


def test_a_failing_write_keeps_the_old_file(tmp_path, monkeypatch):
    import networkx as nx

    path = write(tmp_path / "n.graphml", "old content\n")

    def explode(graph, stream, *args, **kwargs):
        stream.write(b"<graphml half")
        raise RuntimeError("boom")

    monkeypatch.setattr(nx, "write_graphml", explode)
    with pytest.raises(RuntimeError):
        write_network(rich_network(), path)
    assert path.read_text() == "old content\n"
    assert os.listdir(tmp_path) == ["n.graphml"]


def test_write_refuses_what_is_not_a_network(tmp_path):
    with pytest.raises(TypeError):
        write_network({"actors": []}, tmp_path / "n.yaml")


@pytest.mark.parametrize("name", FILE_NAMES)
def test_every_reader_reports_binary_garbage_as_input_error(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(InputError, match="binary"):
        read(path)
