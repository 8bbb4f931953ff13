"""Each fault test gets a site of its own (tests/faults/site.py), stopped and dropped afterwards."""

import pytest

from ..engines import index_emptied
from .site import Site


@pytest.fixture
def site(tmp_path):
    with index_emptied():  # on Solr the site's processes write to the cluster's one collection
        site = Site(tmp_path)
        try:
            yield site
        finally:
            site.close()
