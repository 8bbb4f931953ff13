"""The configset describes the search document Newsdesk writes, with Whoosh's word lists (no Solr needed)."""

import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

CONFIGSET = pathlib.Path(__file__).resolve().parents[2] / "solrcloud" / "configset"
SCHEMA = ElementTree.parse(CONFIGSET / "conf" / "managed-schema.xml").getroot()
FIELDS = {element.get("name"): element for element in SCHEMA.iter("field")}
TYPES = {element.get("name"): element for element in SCHEMA.iter("fieldType")}


def test_word_lists_match_the_installed_whoosh():
    result = subprocess.run(
        [sys.executable, str(CONFIGSET / "generate.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_every_field_of_the_haystack_index_is_in_the_schema():
    from articles.search_indexes import ArticleIndex

    assert set(ArticleIndex.fields) <= set(FIELDS)
    assert {"id", "django_ct", "django_id", "_version_"} <= set(FIELDS)
    assert SCHEMA.findtext("uniqueKey") == "id"


@pytest.mark.parametrize(
    "name, field_type, multi_valued",
    [
        ("text", "text_newsdesk", False),
        ("headline", "text_newsdesk", False),
        ("spell", "text_spell", True),
        ("actors", "string", True),
        ("topics", "string", True),
        ("month", "string", True),
        ("day", "string", True),
        ("date", "pdate", False),
        ("created", "plong", False),
        ("updated", "pdate", False),
        ("is_version", "boolean", False),
        ("django_id", "plong", False),
    ],
)
def test_field_types(name, field_type, multi_valued):
    field = FIELDS[name]
    assert field.get("type") == field_type
    assert (field.get("multiValued") == "true") == multi_valued
    if field_type in {"string", "pdate", "boolean", "plong"}:
        # Facets, sorts and docValues-as-stored need docValues (declared on the type).
        assert TYPES[field_type].get("docValues") == "true"


def test_schema_cannot_grow_fields_by_itself():
    config = ElementTree.parse(CONFIGSET / "conf" / "solrconfig.xml").getroot()
    schema_factory = config.find("schemaFactory")
    assert schema_factory.find("bool[@name='mutable']").text == "false"
    assert config.find(".//updateRequestProcessorChain") is None
    assert not [element for element in SCHEMA.iter() if element.tag == "dynamicField"]
