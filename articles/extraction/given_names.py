"""Given names, as evidence that a capitalised pair of words is a person: "Eddie Chu", "Zenon Poznyak".

The list is gender-guesser's name dictionary (about 45,000 first names from some 50
countries, with how common each is per country), shipped inside that package and read
once. Names that are rare everywhere ("General", "Royal", "King") are left out: they
are far more often words than names.
"""

from functools import cache

from gender_guesser.detector import Detector

from .tokens import fold

# Popularity is one hexadecimal digit per country: 1 is "rare", 13 "very common".
MIN_POPULARITY = 2


def is_given_name(word: str) -> bool:
    """Tell whether a capitalised word is a first name common somewhere: "Sergei", "Nicole", "László"."""
    return fold(word) in given_names()


@cache
def given_names() -> frozenset[str]:
    """Return the (accent-folded) given names common enough in at least one country."""
    names = set()
    for name, genders in Detector(case_sensitive=True).names.items():
        popularity = max((int(digit, 16) for values in genders.values()
                          for digit in values if digit.strip()), default=0)
        if popularity >= MIN_POPULARITY and name[:1].isupper():
            names.add(fold(name))
    return frozenset(names)
