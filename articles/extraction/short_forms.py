"""When one actor's name is a short form of another's: "Blair" of "Tony Blair", "Labour" of "Labour Party".

Within an article the extractor joins short forms to the full name itself; these
rules join them across the archive, where an article that only says "Mr Blair"
must land on the Tony Blair that other articles name in full. A short form joins
a full name only when it can mean exactly one known actor (see ``only_full_form``).
"""

from collections.abc import Iterable

from .lexicon import NAME_SUFFIXES, ORGANISATION, PERSON, ROMAN_NUMERALS
from .tokens import fold

# Last words an organisation's short name drops: "Labour Party" -> "Labour".
DROPPABLE_HEADS = frozenset(("Party",))


def short_forms(name: str, kind: str) -> set[str]:
    """Return the folded one-word short forms of a full name.

    "Tony Blair" -> {"blair"}; "Martin Luther King Jr." -> {"king"};
    "Labour Party" -> {"labour"}; "Conservative Party" -> {"conservative", "conservatives"}.
    """
    words = name.replace(".", "").split()
    if kind == PERSON:
        while len(words) > 2 and (words[-1] in NAME_SUFFIXES or words[-1] in ROMAN_NUMERALS):
            words.pop()
        return {_key(words[-1])} if len(words) >= 2 and len(words[-1]) >= 2 else set()
    if kind == ORGANISATION and len(words) == 2 and words[-1] in DROPPABLE_HEADS:
        short = _key(words[0])
        return {short, short + "s"}
    return set()


def is_short_form(short: str, full: str, kind: str) -> bool:
    """Tell whether ``short`` is a one-word short form of ``full`` ("Blair", "Tony Blair")."""
    return " " not in short.strip() and _key(short) in short_forms(full, kind)


def only_full_form(short: str, kind: str, names: Iterable[str]) -> str | None:
    """Return the one name among ``names`` that ``short`` is a short form of; None if none or several."""
    matches = {name for name in names if is_short_form(short, name, kind)}
    return matches.pop() if len(matches) == 1 else None


def _key(word: str) -> str:
    return fold(word).casefold()
