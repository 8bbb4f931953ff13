"""A curated gazetteer of organisations, read from the data files in ``data/organisations/``.

One file per sort of organisation (international bodies, parties, companies, media
...), one line per organisation: the display name first, then other names and
acronyms, separated by " | "; lines starting with "#" are comments. Acronyms that
mean different bodies in different stories ("RSF", "PA") are left out; an article
that spells them out in parentheses defines them for itself.
"""

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data" / "organisations"

# Spelling pairs: both forms of a name are accepted.
_SPELLINGS = (("Organisation", "Organization"), ("Defence", "Defense"),
              ("Programme", "Program"), ("Centre", "Center"), ("Labour", "Labor"))


@cache
def organisation_names() -> dict[str, str]:
    """Map every organisation name and acronym to its display name."""
    names: dict[str, str] = {}
    for line in gazetteer_lines():
        display, *others = [part.strip() for part in line.split(" | ")]
        for form in (display, *others):
            for variant in _variants(form):
                names.setdefault(variant, display)
    return names


def gazetteer_lines() -> list[str]:
    """Return the organisation lines of every data file, files in name order."""
    lines = []
    for path in sorted(DATA_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                lines.append(line.strip())
    return lines


def _variants(name: str) -> set[str]:
    """Return a name with British/American spellings and "UN"/"U.N." for "United Nations"."""
    forms = {name}
    for british, american in _SPELLINGS:
        forms |= {form.replace(british, american) for form in forms}
        forms |= {form.replace(american, british) for form in forms}
    if name.startswith("United Nations "):
        rest = name.removeprefix("United Nations ")
        forms |= {f"UN {rest}", f"U.N. {rest}"}
    if name[:1].islower():
        forms.add(name[:1].upper() + name[1:])
    if len(name) >= 4 and name.rstrip("+").isalpha() and name.isupper():
        forms.add(name[0] + name[1:].lower())  # British style: "Nato", "Opec+", "Caricom"
    return forms
