"""manage.py clear_index: haystack's command, refused (see _haystack_refused.py)."""

from ._haystack_refused import refused

Command = refused("clear_index", "index_rebuild")
