"""Near-duplicate detection on text alone: shingles, MinHash signatures, band keys and the threshold."""

import array
import hashlib
import sys

import pytest

from articles.similarity import (
    BANDS,
    NUM_HASHES,
    SIMILAR_THRESHOLD,
    band_keys,
    estimated_jaccard,
    is_similar,
    most_similar,
    pack_signature,
    shingles,
    signature,
    text_signature,
    unpack_signature,
    words,
)

# A wire story of ~290 words, and the kinds of copies an archive receives of it.
ORIGINAL = """Finland and Estonia agreed on Tuesday to build a second undersea power cable across the Gulf of Finland, three months after the Balticconnector gas pipeline and a data cable were damaged by a ship's anchor.

The new link, with a capacity of 700 megawatts, is due to enter service in 2030 and will cost about 800 million euros, the two grid operators said in a joint statement in Tallinn.

Finnish Prime Minister Petteri Orpo said the decision showed that the two neighbours would not let sabotage dictate their energy policy. "Our grids must be able to take a blow and keep the lights on," he told reporters after meeting his Estonian counterpart Kaja Kallas.

Investigators in Helsinki have said the damage in October was most likely caused by the Hong Kong-flagged container ship Newnew Polar Bear, which dragged its anchor across the seabed for more than 180 kilometres. China has said it is ready to share information about the incident.

Kallas said the European Union should pay a larger share of the cost of protecting critical infrastructure in the Baltic Sea, where NATO has increased patrols since the incident. The alliance now flies surveillance aircraft and drones over the area every day.

Energy analysts said the cable would make the Baltic states less dependent on a single connection at a time when their grids are leaving the Soviet-era network they still share with Russia and Belarus. Estonia, Latvia and Lithuania plan to switch to the European grid in February, a year earlier than first planned.

The operators will apply for funding from the EU's Connecting Europe Facility next spring. Surveys of the seabed are to begin in the summer, and construction could start in 2027 if permits are granted on time."""

ONE_SENTENCE_CHANGED = ORIGINAL.replace(
    "China has said it is ready to share information about the incident.",
    "Beijing has promised to cooperate with the Finnish investigation, but has not given access to the crew.",
)
OTHER_INTRO = ORIGINAL.replace(
    "Finland and Estonia agreed on Tuesday to build a second undersea power cable across the Gulf of Finland, "
    "three months after the Balticconnector gas pipeline and a data cable were damaged by a ship's anchor.",
    "Two Baltic neighbours are doubling their electricity connection under the sea after last autumn's "
    "anchor-dragging incident, in a deal signed in Tallinn on Tuesday.",
)
SIGNED_OFF = ORIGINAL + "\n\n(Reporting by Essi Lehto in Helsinki and Andrius Sytas in Vilnius; Editing by Alison Williams)"
DATELINED = "HELSINKI, Jan 16 (Reuters) - " + ORIGINAL
RETYPED = ORIGINAL.replace("Finnish", "FINNISH").replace("’", "'").replace(",", " ,").replace("Estonian", "Éstonian")
EDITED_AND_SIGNED = "TALLINN (AP) — " + ONE_SENTENCE_CHANGED + "\n\nAssociated Press writer Jari Tanner contributed."

# Another writer's report of the same meeting: same people, numbers and quote, other sentences.
SAME_EVENT = """Estonia and Finland will lay a new electricity cable under the Baltic Sea, Prime Ministers Kaja Kallas and Petteri Orpo announced in Tallinn on Tuesday, in a response to the damage done to the Balticconnector pipeline last October.

The 700-megawatt connection should be running by 2030. Its price, some 800 million euros, will be split between Elering and Fingrid, which hope for help from Brussels.

"Our grids must be able to take a blow and keep the lights on," Orpo said. Kallas called for more European money for the defence of pipes and cables on the seabed.

Finnish police suspect the Chinese-owned ship Newnew Polar Bear of damaging the pipeline with its anchor. NATO has since stepped up patrols in the region, with daily flights by surveillance planes and drones."""

UNRELATED = """The Bank of Japan kept its short-term interest rate unchanged on Wednesday and said it would keep buying government bonds at the current pace, as wage growth in the country's smaller companies remained weak.

Governor Kazuo Ueda told a news conference that the bank needed more evidence that inflation would stay near its 2 percent target before ending negative rates, and that spring wage talks would be decisive. The yen fell against the dollar after the announcement."""

FIRST_HALF = ORIGINAL[: len(ORIGINAL) // 2]


@pytest.mark.parametrize(
    "copy",
    [ONE_SENTENCE_CHANGED, OTHER_INTRO, SIGNED_OFF, DATELINED, RETYPED, EDITED_AND_SIGNED],
    ids=["one-sentence-changed", "other-intro", "signed-off", "datelined", "retyped", "edited-and-signed"],
)
def test_light_edits_and_syndication_are_similar_versions(copy):
    a, b = text_signature(ORIGINAL), text_signature(copy)
    assert is_similar(a, b), estimated_jaccard(a, b)
    assert set(band_keys(a)) & set(band_keys(b)), "a similar copy must share a band key to be found"


@pytest.mark.parametrize(
    "other",
    [SAME_EVENT, UNRELATED, FIRST_HALF],
    ids=["same-event-other-writer", "unrelated", "first-half-only"],
)
def test_other_articles_are_not_similar_versions(other):
    a, b = text_signature(ORIGINAL), text_signature(other)
    assert not is_similar(a, b), estimated_jaccard(a, b)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Zürich's Talks!", ["zurichs", "talks"]),
        ("Erdoğan met  Lavrov—in Ankara.", ["erdogan", "met", "lavrov", "in", "ankara"]),
        ("“NATO” , U.S.-led", ["nato", "u", "s", "led"]),
        ("", []),
    ],
)
def test_words_are_casefolded_accent_folded_and_without_punctuation(text, expected):
    assert words(text) == expected


def test_shingles_are_runs_of_five_words_or_the_whole_short_text():
    assert shingles("one two three four five six") == {"one two three four five", "two three four five six"}
    assert shingles("Talks went on.") == {"talks went on"}
    assert shingles("  ...  ") == frozenset()


def test_signature_is_deterministic_and_round_trips_through_the_database_form():
    sig = text_signature(ORIGINAL)
    assert len(sig) == NUM_HASHES and sig == text_signature(ORIGINAL)
    assert unpack_signature(pack_signature(sig)) == sig
    assert len(band_keys(sig)) == BANDS
    assert all(-(2**63) <= key < 2**63 for key in band_keys(sig))
    # Stored signatures must stay comparable: this value changes only if the hashing does.
    assert band_keys(text_signature("Talks went on."))[0] == band_keys(signature({"talks went on"}))[0]
    assert band_keys(text_signature("Talks went on."))[0] == 6931514196506588291


def reference_signature(shingle_set) -> tuple[int, ...]:
    """signature() as it was: the minimum of each hash over the shingles, one column at a time."""
    digests = b"".join([hashlib.shake_256(shingle.encode()).digest(4 * NUM_HASHES) for shingle in shingle_set])
    if not digests:
        return ()
    values = array.array("I", digests)
    if sys.byteorder == "big":
        values.byteswap()
    return tuple([min(values[i::NUM_HASHES]) for i in range(NUM_HASHES)])


@pytest.mark.parametrize("text", [ORIGINAL, ONE_SENTENCE_CHANGED, SAME_EVENT, FIRST_HALF, "Talks went on.", "one", ""])
def test_signature_is_the_minimum_of_each_hash_as_before(text):
    assert signature(shingles(text)) == reference_signature(shingles(text))
    assert all(type(value) is int for value in signature(shingles(text)))


def test_empty_text_has_no_signature_and_matches_nothing():
    assert text_signature("") == () and band_keys(()) == [] and pack_signature(()) == b""
    assert estimated_jaccard((), text_signature(ORIGINAL)) == 0.0


@pytest.mark.parametrize("copy", [ONE_SENTENCE_CHANGED, SAME_EVENT, FIRST_HALF])
def test_estimate_is_close_to_the_exact_jaccard_similarity(copy):
    a, b = shingles(ORIGINAL), shingles(copy)
    exact = len(a & b) / len(a | b)
    assert abs(estimated_jaccard(signature(a), signature(b)) - exact) < 0.12


def test_most_similar_picks_the_closest_candidate_above_the_threshold():
    sig = text_signature(ORIGINAL)
    candidates = [("same-event", text_signature(SAME_EVENT)), ("edited", text_signature(EDITED_AND_SIGNED)),
                  ("signed", text_signature(SIGNED_OFF)), ("signed-again", text_signature(SIGNED_OFF))]
    assert most_similar(sig, candidates) == "signed"  # closer than "edited"; first of two equals
    assert most_similar(sig, candidates[:1]) is None
    assert most_similar(sig, []) is None
    assert 0.7 <= SIMILAR_THRESHOLD <= 0.8
