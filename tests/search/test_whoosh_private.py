"""The Whoosh engine's uses of Whoosh internals are all listed, and all still there."""

import re
from pathlib import Path

import articles.search.engines.whoosh as whoosh_engine
from articles.search.engines.whoosh.private import PRIVATE_USES, private_use_problems


def test_every_private_use_is_still_there():
    assert private_use_problems() == []


def test_every_private_attribute_the_engine_reads_is_listed():
    listed = {name for use in PRIVATE_USES for name in use.names}
    package = Path(whoosh_engine.__file__).parent
    used = set()
    for path in package.glob("*.py"):
        if path.name == "private.py":
            continue
        # obj._name, not self._name (our own) and not a module-level _name of ours
        used |= set(re.findall(r"(?<!self)(?<![\w.])\w+\.(_[a-z]\w*)", path.read_text()))
    ours = {"_generation_cache", "_segment_cache", "_doc_starts", "_by_term", "_positions", "_selected_terms",
            "_position", "_phrase_scores", "_one_word_scores", "_scores", "_best_first", "_by_date"}
    assert used - ours <= listed, used - ours - listed
