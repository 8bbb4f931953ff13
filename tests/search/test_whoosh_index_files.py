"""The index's presence and its generation's files are found without unpickling the schema stored with it.

Each search looks at the index three times before it reads it (is there one, which files does its
checksum check cover); opened Whoosh's way (whoosh.index.exists_in, FileIndex without a schema) each
look unpickled the whole stored schema, most of the time a look took. index_exists and index_files
answer what exists_in and FileIndex answer, and reading the schema is not part of it.
"""

import pickle

import pytest
from django.conf import settings
from whoosh import index as whoosh_index
from whoosh.fields import Schema

from articles.search.engines.whoosh import integrity
from articles.search.engines.whoosh.searchers import index_exists, index_files

from ..engines import whoosh_only

pytestmark = whoosh_only


@pytest.fixture
def stored_schema_unreadable(monkeypatch):
    """Make unpickling the schema stored in a table of contents fail, as reading it at all would."""
    real = pickle.loads

    def loads(data, *args, **kwargs):
        found = real(data, *args, **kwargs)
        if isinstance(found, Schema):
            raise AssertionError("the stored schema was unpickled")
        return found

    monkeypatch.setattr(whoosh_index.pickle, "loads", loads)  # TOC.read's pickle.loads of the stored schema


def test_answers_as_whoosh_exists_in(search_index, make_article, tmp_path):
    make_article("Minister spoke about harbour tariffs.")
    assert index_exists(str(settings.INDEX_DIR)) is whoosh_index.exists_in(str(settings.INDEX_DIR)) is True
    assert index_exists(str(tmp_path)) is whoosh_index.exists_in(str(tmp_path)) is False  # a folder without one
    assert index_exists(str(tmp_path / "gone")) is whoosh_index.exists_in(str(tmp_path / "gone")) is False


def test_an_unreadable_table_of_contents_still_raises(search_index, make_article):
    make_article("Minister spoke about harbour tariffs.")
    toc = max(settings.INDEX_DIR.resolve().glob("_MAIN_*.toc"))
    toc.write_bytes(toc.read_bytes()[:12])  # cut inside its header
    with pytest.raises(Exception) as whoosh_error:
        whoosh_index.exists_in(str(settings.INDEX_DIR))
    with pytest.raises(type(whoosh_error.value)):
        index_exists(str(settings.INDEX_DIR))


def test_the_stored_schema_is_not_unpickled(search_index, make_article, stored_schema_unreadable):
    make_article("Minister spoke about harbour tariffs.")
    with pytest.raises(AssertionError, match="stored schema"):
        whoosh_index.exists_in(str(settings.INDEX_DIR))  # Whoosh's way reads it
    assert index_exists(str(settings.INDEX_DIR))
    assert index_files(str(settings.INDEX_DIR)).latest_generation() >= 0
    integrity._generations.clear()  # the generation's files listed again: its table of contents read
    integrity.index_verify(settings.INDEX_DIR)


def test_generation_files_are_the_generations_own(search_index, make_article):
    make_article("Minister spoke about harbour tariffs.")
    names = integrity.generation_files(settings.INDEX_DIR.resolve())
    folder = settings.INDEX_DIR.resolve()
    generation = whoosh_index.open_dir(str(folder)).latest_generation()
    segments = whoosh_index.TOC.read(whoosh_index.open_dir(str(folder)).storage, "MAIN", generation).segments
    assert names[0] == f"_MAIN_{generation}.toc"
    assert sorted(names[1:]) == sorted(segment.make_filename(segment.COMPOUND_EXT) for segment in segments)
    assert all((folder / name).is_file() for name in names)
