"""Near-duplicates: word shingles, MinHash signatures and LSH band keys; pure functions, no Django.

Two articles are *similar versions* when the estimated Jaccard similarity of their sets of
5-word shingles is at least SIMILAR_THRESHOLD. MinHash estimates it from 128 hash values per
article; locality-sensitive hashing finds the candidates: the first 100 values are cut into
20 bands of 5, and only articles that share a band key are compared.

    >>> a = signature(shingles("Gazprom and Beijing agreed on gas deliveries through the pipeline."))
    >>> estimated_jaccard(a, a)
    1.0
"""

import hashlib
import re
import struct
import unicodedata
from collections.abc import Hashable, Iterable

import numpy as np

SHINGLE_WORDS = 5
NUM_HASHES = 128
BANDS = 20
ROWS_PER_BAND = 5
# 20 bands of 5 make an article of estimated similarity 0.75 a candidate with p = 0.996
# (1 - (1 - 0.75**5)**20), one of 0.5 with p = 0.48, while unrelated stories (similarity
# under 0.2) almost never share a band: 0.3 candidates per article among 2,000 synthetic ones.
#
# The threshold, measured by editing seed and bench articles cut to 120-600 words: one
# sentence replaced, or another intro sentence, scores 0.73-0.94 (5th percentile 0.80 at 200
# words); an agency sign-off or a dateline added, 0.88-0.99; different articles stay under
# 0.2. At 0.8, estimation noise (±0.04) would miss 16% of 200-word copies with one changed
# sentence and 26% of those with a new intro; at 0.75, 1% and 3%. Below ~120 words one
# changed sentence is a fifth of the text, and such a copy is often not caught.
SIMILAR_THRESHOLD = 0.75

_WORD = re.compile(r"\w+")
_APOSTROPHES = str.maketrans("", "", "'’ʼ")  # "Russia's" -> "russias", not "russia", "s"
# One SHAKE-256 output per shingle gives NUM_HASHES independent 32-bit hash values at once.
_VALUES = struct.Struct(f"<{NUM_HASHES}I")


def words(text: str) -> list[str]:
    """Casefold, fold accents and drop punctuation: "Zürich's Talks!" -> ["zurichs", "talks"]."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return _WORD.findall(folded)


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[str]:
    """Every run of `size` consecutive words ("a b c d e", "b c d e f", ...); a shorter text is one shingle."""
    tokens = words(text)
    if len(tokens) <= size:
        return frozenset([" ".join(tokens)] if tokens else [])
    return frozenset(" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


def signature(shingle_set: Iterable[str]) -> tuple[int, ...]:
    """MinHash: for each of NUM_HASHES hash functions, the smallest value over the shingles; () when empty."""
    digests = b"".join([hashlib.shake_256(shingle.encode()).digest(_VALUES.size) for shingle in shingle_set])
    if not digests:
        return ()
    # One row of NUM_HASHES values per shingle, read little-endian everywhere: the same text, the same signature.
    values = np.frombuffer(digests, dtype="<u4").reshape(-1, NUM_HASHES)
    return tuple(values.min(axis=0).tolist())


def text_signature(text: str) -> tuple[int, ...]:
    return signature(shingles(text))


def band_keys(sig: tuple[int, ...]) -> list[int]:
    """One signed 64-bit key per band (the band's number is hashed in), for an indexed database column."""
    if not sig:
        return []
    keys = []
    for band in range(BANDS):
        values = sig[band * ROWS_PER_BAND:(band + 1) * ROWS_PER_BAND]
        digest = hashlib.blake2b(struct.pack(f"<I{ROWS_PER_BAND}I", band, *values), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def estimated_jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The share of hash functions whose minimum agrees: an unbiased estimate of the Jaccard similarity."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b)) / len(a)


def is_similar(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return estimated_jaccard(a, b) >= SIMILAR_THRESHOLD


def most_similar(sig: tuple[int, ...], candidates: Iterable[tuple[Hashable, tuple[int, ...]]]) -> Hashable | None:
    """The label of the candidate most similar to sig, if similar enough; the first one on a tie.

        most_similar(s, [(12, sig_of_12), (40, sig_of_40)]) -> 40  # 40 is closest and >= SIMILAR_THRESHOLD
    """
    best, best_score = None, SIMILAR_THRESHOLD
    for label, other in candidates:
        score = estimated_jaccard(sig, other)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = label, score
    return best


def pack_signature(sig: tuple[int, ...]) -> bytes:
    """A signature as 512 bytes for the database (b"" for a text without words)."""
    return _VALUES.pack(*sig) if sig else b""


def unpack_signature(data: bytes | memoryview | None) -> tuple[int, ...]:
    return _VALUES.unpack(bytes(data)) if data else ()
