"""index_check, index_rebuild and the schema check on SolrCloud: a new collection behind the alias, nothing lost."""

import io
import json
import shutil

import pytest
from django.core.management import call_command

from articles.models import Article, IndexQueue
from articles.search.analysis import ANALYSIS_VERSION
from articles.search.consistency import index_differences
from articles.search.engines import engine
from articles.search.engines.solr import collections
from articles.search.engines.solr.collections import configset_zip
from articles.search.engines.solr.writing import send_update

from ..engines import index_lost
from .solr_cluster import needs_solr

pytestmark = needs_solr


def live_collections() -> list[str]:
    return collections.alias_targets(engine().client, engine().alias)


def every_collection() -> list[str]:
    return engine().client.get("admin/collections", {"action": "LIST"})["collections"]


def test_rebuild_fills_a_new_collection_moves_the_alias_and_drops_the_old_one(client, small_archive):
    before = live_collections()
    out = io.StringIO()
    call_command("index_rebuild", stdout=out)
    assert out.getvalue().splitlines() == ["Rebuilt the index with 4 articles and swapped it in.",
                                           "Index matches the database: 4 articles."]
    after = live_collections()
    assert len(after) == 1 and after != before and after[0].startswith("newsdesk_")
    assert not set(before) & set(every_collection())  # dropped
    assert collections.collection_layout(engine().client, after[0]) == collections.Layout(2, 2)
    page = client.get("/search/", {"q": "gas"})
    assert page.status_code == 200 and engine().health().documents == 4


def test_index_check_reports_and_repairs_missing_stale_and_orphaned(small_archive):
    gas, nato = small_archive["gas"], small_archive["nato"]
    alias = engine().alias
    send_update(engine().client, alias, f'{{"delete":["articles.article.{gas.pk}"]}}')  # missing
    Article.objects.filter(pk=nato.pk).update(headline="Changed behind the index's back")  # stale: newer stamp
    Article.objects.filter(pk=nato.pk).update(updated=nato.updated.replace(year=2031))
    orphan = Article.objects.order_by("pk").last().pk + 1000  # a document of no article
    send_update(engine().client, alias, json.dumps({"add": {"doc": {
        "id": f"articles.article.{orphan}", "django_ct": "articles.article", "django_id": orphan}}}))
    differences = index_differences()
    assert (differences.missing, differences.stale, differences.orphaned) == ([gas.pk], [nato.pk], [orphan])
    out = io.StringIO()
    call_command("index_check", "--repair", stdout=out)
    assert out.getvalue().splitlines()[-1] == "After repair: Index matches the database: 4 articles."


def test_an_outdated_schema_is_reported_and_repair_rebuilds_the_collection(small_archive, tmp_path, settings):
    # A collection made from the configset as it was before an analysis change (its schema says so).
    old_conf = tmp_path / "conf"
    shutil.copytree(settings.SOLR_CONFIGSET, old_conf)
    schema = old_conf / "managed-schema.xml"
    schema.write_text(schema.read_text().replace(f'name="{ANALYSIS_VERSION}"', 'name="newsdesk-analysis-0"'))
    old = f"{engine().alias}_outdated"
    client = engine().client
    client.post("admin/configs", params={"action": "UPLOAD", "name": old, "overwrite": "true"},
                data=configset_zip(old_conf), headers={"Content-Type": "application/octet-stream"})
    collections.create_collection(client, old, old, collections.Layout(2, 2))
    previous = live_collections()
    collections.point_alias(client, engine().alias, old)
    for collection in previous:
        collections.drop_collection(client, collection)
    engine().write(list(Article.objects.all()))  # it holds every article: only its schema is old

    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("index_check", stdout=out)
    assert out.getvalue().startswith("The index was built with an older set of fields or analysis")
    out = io.StringIO()
    call_command("index_check", "--repair", stdout=out)
    assert out.getvalue().splitlines()[-1] == "After repair: Index matches the database: 4 articles."
    assert live_collections() != [old] and old not in every_collection()
    assert collections.collection_layout(client, live_collections()[0]) == collections.Layout(2, 2)


def test_a_lost_collection_answers_503_keeps_writes_queued_and_repair_builds_a_new_one(client, small_archive,
                                                                                      make_article, settings):
    lost = live_collections()
    index_lost(settings)  # the alias and its collection deleted behind Newsdesk's back
    assert client.get("/search/", {"q": "gas"}).status_code == 503
    late = make_article("A late minister spoke about harbour tariffs.")
    assert list(IndexQueue.objects.values_list("article_id", flat=True)) == [late.pk]  # nothing written anywhere

    out = io.StringIO()
    call_command("index_check", "--repair", stdout=out)  # heals: a rebuild, then what was queued
    assert out.getvalue().splitlines()[-2:] == ["Rebuilt the index from the database.",
                                               "Index matches the database: 5 articles."]
    assert not IndexQueue.objects.exists()
    assert live_collections() and live_collections() != lost
    assert collections.collection_layout(engine().client, live_collections()[0]) == collections.Layout(2, 2)
