"""manage.py update_index: haystack's command, refused (see _haystack_refused.py)."""

from ._haystack_refused import refused

Command = refused("update_index", "index_check --repair")
