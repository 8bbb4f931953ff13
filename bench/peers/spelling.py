""""Did you mean" for the peers: the nearest vocabulary term among the candidates an engine proposes."""


def suggest(words: list[str], known, candidates, normalise=str.lower) -> list[str] | None:
    """The words with each unknown one (known(word) false) replaced by the closest of
    candidates(word), or None when nothing changed (the app's "did you mean")."""
    suggested, changed = [], False
    for word in map(normalise, words):
        best = None if known(word) else closest(word, candidates(word))
        suggested.append(best or word)
        changed = changed or bool(best)
    return suggested if changed else None


def closest(word: str, candidates) -> str | None:
    """The candidate nearest to word by edit distance (at most 2), ties to the earlier candidate."""
    best, best_distance = None, 3
    for candidate in candidates:
        distance = _edit_distance(word, candidate, best_distance)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit when it is at least limit."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) >= limit:
            return limit
        previous = current
    return previous[-1]
