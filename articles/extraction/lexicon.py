"""The gazetteer as a token-sequence lookup, and the word lists the patterns share."""

from dataclasses import dataclass
from functools import cache

from .countries import NOT_COUNTRIES, capitals, country_names, demonyms
from .organisations import organisation_names
from .tokens import tokenize

COUNTRY, ORGANISATION, PERSON = "country", "organisation", "person"


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str   # COUNTRY | ORGANISATION, or "" for a phrase that is no actor
    name: str   # the display name
    role: str   # "name" | "demonym" | "capital" | "none"


@dataclass(slots=True)
class Mention:
    kind: str
    name: str
    surface: str
    start: int           # index of the first token
    end: int             # index after the last token
    role: str = "mention"  # "alias" for "(UNSC)" after its name, "place" for "in Beijing"


@dataclass(frozen=True)
class Gazetteer:
    entries: dict[tuple[str, ...], Entry]
    starts: dict[str, int]  # first word -> length of the longest entry it starts

    @classmethod
    def of(cls, entries: dict[tuple[str, ...], Entry]) -> "Gazetteer":
        """Index entries by their first word."""
        starts: dict[str, int] = {}
        for key in entries:
            starts[key[0]] = max(starts.get(key[0], 0), len(key))
        return cls(entries, starts)

    def extended(self, more: dict[tuple[str, ...], Entry]) -> "Gazetteer":
        """Return this gazetteer with an article's own entries added; theirs win."""
        if not more:
            return self
        local = Gazetteer.of(more)
        starts = {**self.starts}
        for word, length in local.starts.items():
            starts[word] = max(starts.get(word, 0), length)
        return Gazetteer({**self.entries, **more}, starts)

    def match(self, words: list[str], start: int) -> tuple[int, Entry] | None:
        """Return (length, entry) of the longest entry starting at ``words[start]``."""
        for length in range(min(self.starts.get(words[start], 0), len(words) - start), 0, -1):
            entry = self.entries.get(tuple(words[start:start + length]))
            if entry:
                return length, entry
        return None


@cache
def gazetteer() -> Gazetteer:
    """Build the lookup of countries, demonyms, capitals and organisations by token sequence."""
    entries: dict[tuple[str, ...], Entry] = {}

    def add(form: str, entry: Entry) -> None:
        key = tuple(token.text for token in tokenize(form))
        entries.setdefault(key, entry)

    for form in NOT_COUNTRIES.split("|"):
        add(form, Entry("", form, "none"))
    for form, name in country_names().items():
        add(form, Entry(COUNTRY, name, "name"))
    for form, name in organisation_names().items():
        add(form, Entry(ORGANISATION, name, "name"))
    for form, name in demonyms().items():
        add(form, Entry(COUNTRY, name, "demonym"))
    for form, name in capitals().items():
        add(form, Entry(ORGANISATION, "European Union", "capital") if name == "EU"
            else Entry(COUNTRY, name, "capital"))
    return Gazetteer.of(entries)


def words(text: str) -> frozenset[str]:
    """Split a whitespace-separated word list into a set."""
    return frozenset(text.split())


MONTHS = words("January February March April May June July August September October "
               "November December Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec")
WEEKDAYS = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
COMPASS = words("North South East West Northern Southern Eastern Western Central Middle "
                "Upper Lower Greater Outer Inner")

# A capital after these words is a place ("talks in Beijing"), not a government.
PLACE_WORDS = words("""
    in at from to into near outside across around via toward towards through throughout
    inside within of based visit visited visiting visits arrived arriving landed flew
    travelled traveled toured reached returned leaving left
""")
# Capitalised function words: they start sentences, never names.
FUNCTION_WORDS = MONTHS | WEEKDAYS | words("""
    The A An This That These Those It Its He She His Her Him They Their Them We Our Us I You
    In On At For From To With By Of And But Or Nor As If When While After Before Since Until
    Amid Amidst Despite Although Though However Moreover Meanwhile Additionally Furthermore
    Also Both All Any Some Many Most Several Such Other Another Each Every No Not Yes There
    Here What Which Who Whom Whose Why How Where According Under Over Between Among During
    Unlike Like Once Then Now Today Yesterday Tomorrow Last Next First Second Third New Old
    Former Late Acting Interim Outgoing Incoming Analysts Officials Critics Thousands
    Later Earlier Still Yet Instead Indeed Thus Hence Recently Previously Separately
    Similarly Likewise Finally Eventually Currently Ultimately Overall Nevertheless
    Nonetheless Otherwise Rather Perhaps Only Even Just Soon Often Sometimes Again Together
    Elsewhere Further Notably Specifically Importantly Asked Following Given Including
    Regarding Speaking Addressing Responding Citing Shortly Already Initially Officially
    Reportedly Separately Privately Publicly Please Dear Sources Supporters Protesters
    Neither Either My Your Would Should Could Did Does Is Are Was Were Has Have Had
""")
# Capitalised articles of other languages: they start newspapers ("Le Monde") and places,
# never a person's name, though one may sit inside it ("Jean-Marie Le Pen").
FOREIGN_ARTICLES = words("Le La Les El Il Der Die Das Los Las")
# Lower-case ends of hyphenated adjectives: "Hong Kong-based", "family-controlled".
ADJECTIVE_ENDS = words("based born made run style era bound speaking")
# Capitalised words that never start or belong to a person's name.
NOT_NAMES = FUNCTION_WORDS | COMPASS | words("""
    Deputy Vice
    Europe Asia Africa Americas Pacific Atlantic Arctic Antarctic Gulf Sea Ocean Strait
    Baltic Balkans Caucasus Sahel Levant Maghreb Scandinavia Nordic Latin Caribbean
    Mediterranean Asia-Pacific Indo-Pacific Euro-Atlantic Eurasia Global International
    National World War Cold Summit Treaty Agreement Accord Accords Convention Protocol
    Declaration Charter Statute Resolution Initiative Plan Pipeline Power Prize Award
    Olympics Games Cup Day Week Year Era Conference Forum Dialogue Talks Crisis Revolution
    Spring Stream Bridge Canal Palace Square Street Tower Hall Building Airport Station
    Port Plant Base Island Islands Province Region Republic Kingdom State States City
    County District Valley River Mountains Lake Bay Peninsula Desert Zone Border Line
    Corridor Road Route Belt God Allah Christmas Easter Ramadan Eid Islam Islamic Muslim
    Muslims Christians Jewish Jews Catholic Orthodox Sunni Shia Shiite Kurdish
    Kurds Arab Arabs Westerners Soviet Communist Communists Socialist Socialists Democrat
    Democrats Republican Republicans Conservative Conservatives Liberal Liberals Greens
    Social Democratic Federal Supreme Royal Armed Defence Defense Security Foreign Affairs
    Trade Finance Economy Energy Health Justice Interior Home Climate Human Rights Press
    Freedom Nobel Peace Strategic Internet Covid COVID Coronavirus Brexit Parliament
    Government Cabinet Army Navy Police Ministry Embassy Court Council Commission
    Committee Party Union Agency Office Department Bank Fund Group Movement Forces
    Chinese-made Western-backed Breaking Update Analysis Opinion Editorial Read More
    Election Elections MPs MEPs MSPs Bonds Shares Stocks Open Digital Being Championship
    Championships Trophy Tour Grand Prix Festival Awards Budget Index GDRs ADRs GDR ADR
    Prime Rising Uprising Revolt Rebellion Massacre Affair Scandal Shoal Reef Atoll Hole Hills
    Heights Falls Springs Beach Park Harbour Harbor Forest Airport Stadium
""")

# Lower-case words that may sit inside a name: "Ursula von der Leyen", "Abdulaziz bin Salman".
PARTICLES = words("von van der den de da di du dos das del della la le bin bint ibn al el ter ben")
# Particles that mark a person's name even without a title before it.
STRONG_PARTICLES = words("von van bin bint ibn")
ROMAN_NUMERALS = words("II III IV V VI VII VIII")
NAME_SUFFIXES = words("Jr Sr")

# The last word of an organisation's name: "Carter Center", "Taiwan Affairs Office".
ORGANISATION_HEADS = words("""
    Agency Alliance Army Assembly Association Authority Bank Battalion Board Brigade
    Brigades Bureau Center Centre Coalition Command Commission Committee Company Corps
    Corporation Council Court Courts Department Directorate Federation Forces Foundation
    Front Fund Group Guard Guards Institute Institution League Motor Motors Movement Navy
    Network Office Organisation Organization Parliament Party Police Program Programme
    Secretariat Senate Service Services Tribunal Union University Airlines Airways Holdings
    Ltd Inc Corp Bloc Brotherhood Congress Securities Capital Partners Investments Systems
    Technologies Industries Pharmaceuticals Economics Analytics Research Consulting
    Associates Media News Times Post Journal Exchange Insurance Trust Ventures Labs
    Society Mission Confederation Chamber Academy Observatory Caucus Syndicate Cartel Fleet
    Ratings Radio Television United Rovers Athletic Wanderers Albion Hotspur FC Rangers
    Co Cos Plc PLC SA AG AB NV BV SpA GmbH Bros Brothers LLC Bancorp Bancshares Electric
    Steel Chemical Chemicals Petroleum Mining Telecom Telecommunications Electronics
    Communications Enterprises Resources Hospital Clinic College School Community Council
    Administration Campaign Inspectorate
""")
# Words that link a head to its complement: "Alliance of Sahel States"; "and"/"the" only inside one.
CONNECTORS = words("of on for and the to de du des")
COMPLEMENT_STARTS = words("of on for to de du des")
# Words that make a "Long Name (ACRONYM)" a plan, law or event rather than an organisation.
NOT_ORGANISATIONS = words("""
    Plan Treaty Agreement Accord Accords Convention Protocol Initiative Act Law Index Product
    Zone System Strategy Summit Conference Games Cup Prize Award War Declaration Charter
    Statute Resolution Pipeline Corridor Line Route Belt Road Price Rate Gas Vehicle Vehicles
""")
# Plural nouns whose possessive stays inside a name: "European People's Party".
PLURAL_POSSESSORS = words("People Women Children Men Workers")
