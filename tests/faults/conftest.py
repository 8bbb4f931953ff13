"""Each fault test gets a site of its own (tests/faults/site.py), stopped and dropped afterwards."""

import pytest

from .site import Site


@pytest.fixture
def site(tmp_path):
    site = Site(tmp_path)
    yield site
    site.close()
