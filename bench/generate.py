"""Write N synthetic news articles in the ingest file format, seeded and repeatable.

    python bench/generate.py 10000 bench/var/articles-10k --seed 1

Each file reads like a short wire story (~3.7 KB): " date YYYY-MM-DD " and the lead on
the first line, then four or five sections, each a heading and two paragraphs. Dates spread
over ten years (2015-2024). About 3,000 invented people (introduced with a title,
"Foreign Minister Aurel Venkov said", then by surname), 90 real countries and 40 gazetteer
organisations appear with a long-tailed (Zipf) frequency, so the extractor finds them.
Each article stresses one to three of the 15 default topics with enough keyword hits to be
assigned (general words add a few more). Templates carry [a|b] wordings and everyday
"colour" sentences so common words cover part of the archive, not all of it; rare words
(~0.05% of articles each) and a fixed phrase ("peace talks", ~4%) give the query mix
something to find. Pure stdlib, no Django; the same seed writes the same files.
"""

import argparse
import bisect
import datetime
import hashlib
import itertools
import random
import re
import sys
import time
from pathlib import Path

PERSONS = 3000
ZIPF_S = 1.07
FIRST_DATE = datetime.date(2015, 1, 1)
DAYS = (datetime.date(2024, 12, 31) - FIRST_DATE).days + 1
FILES_PER_DIR = 1000

FIRST_NAMES = """
Aurel Mira Tomas Lena Karim Sofia Davit Nadia Pavel Irena Jonas Amara Rafael Leila Viktor
Hana Emil Zara Oskar Ines Malik Petra Andrej Yara Luka Selma Matteo Noor Stefan Elif Bruno
Anya Kofi Maren Tariq Lucia Dmitri Saanvi Hugo Farah Nikolai Greta Omar Milena Arjun Clara
Yusuf Ilse Marek Dalia Felix Rania Goran Alma Idris Vesna Anton Leyla Julien Kira Samir
Teodor Mariam Henrik Aisha Lorenzo Daria Kwame Sigrid Rashid Elena Mateus Jana Farid Olga
Ibrahim Katya Pablo Zeynep Nils Amina Radu Livia Hassan Esra Milan Freya Adel Simone Bogdan
Thandiwe Ruben Yasmin Ansel Marta Kenji Lotte Emeka Roza Tobias Ayla Cyril Nadira Lars Beatriz
Hamid Edita Ivo Sana Florin Mei Caspar Dunya Vasco Asel Gideon Zofia Musa Ingrid Levan Chiara
""".split()
SURNAME_HEADS = """
Ven Mar Kal Dor Sev Bel Tor Ras Lom Var Nov Kar Pel Dra Zan Mor Vel Sar Hal Bran Kov Rin
Stal Gor Mel Tam Fer Lud Ost Ber Cas Dun Ers Fal Gav Hel Ivan Jar Kes Lev Mas Nar Orl Pav
Quen Rud Sol Tul Ulm Vor Wes Yel Zor Ard Bask Cord Delm
""".split()
SURNAME_MIDS = ["", "", "a", "e", "i", "o", "u", "ar", "el", "in", "or", "an", "ov", "ed"]
SURNAME_TAILS = """
kov ska ros ten dar ler vic ani sen mir ova ert ian ard oni etz ulo ach ind ogu ssa ner
lund berg dze ath
""".split()

TITLES = [
    ("Foreign Minister", 8), ("President", 5), ("Prime Minister", 5), ("Defence Minister", 4),
    ("Finance Minister", 4), ("Trade Minister", 3), ("Energy Minister", 2), ("Interior Minister", 2),
    ("ambassador", 3), ("spokeswoman", 2), ("spokesman", 2), ("opposition leader", 2),
    ("central bank governor", 1), ("General", 2), ("envoy", 2), ("Senator", 1), ("analyst", 2),
    ("economist", 1), ("Justice Minister", 1), ("mayor", 1),
]

COUNTRIES = """
Russia|Russian China|Chinese Ukraine|Ukrainian Germany|German France|French India|Indian
Brazil|Brazilian Turkey|Turkish Japan|Japanese Poland|Polish Iran|Iranian Egypt|Egyptian
Mexico|Mexican Canada|Canadian Indonesia|Indonesian Nigeria|Nigerian Kenya|Kenyan
Italy|Italian Spain|Spanish Israel|Israeli Pakistan|Pakistani Vietnam|Vietnamese
Argentina|Argentine Australia|Australian Ethiopia|Ethiopian Qatar|Qatari Sweden|Swedish
Norway|Norwegian Hungary|Hungarian Serbia|Serbian Georgia|Georgian Armenia|Armenian
Azerbaijan|Azerbaijani Kazakhstan|Kazakh Thailand|Thai Malaysia|Malaysian Chile|Chilean
Colombia|Colombian Peru|Peruvian Morocco|Moroccan Algeria|Algerian Ghana|Ghanaian
Senegal|Senegalese Jordan|Jordanian Lebanon|Lebanese Iraq|Iraqi Greece|Greek
Romania|Romanian Finland|Finnish Denmark|Danish Austria|Austrian Portugal|Portuguese
Bangladesh|Bangladeshi Philippines|Philippine Singapore|Singaporean Mongolia|Mongolian
Uzbekistan|Uzbek Tanzania|Tanzanian Uganda|Ugandan Sudan|Sudanese Angola|Angolan
Venezuela|Venezuelan Cuba|Cuban Bolivia|Bolivian Ecuador|Ecuadorian Oman|Omani
Tunisia|Tunisian Libya|Libyan Nepal|Nepalese Cambodia|Cambodian Moldova|Moldovan
Estonia|Estonian Latvia|Latvian Lithuania|Lithuanian Slovakia|Slovak Croatia|Croatian
Belgium|Belgian Ireland|Irish Switzerland|Swiss Rwanda|Rwandan Zambia|Zambian
""".split()
COUNTRIES = [tuple(pair.split("|")) for pair in COUNTRIES]

ORGANISATIONS = """
United Nations|European Union|NATO|United Nations Security Council|International Monetary Fund
World Bank|World Trade Organization|African Union|ASEAN|International Atomic Energy Agency
World Health Organization|International Criminal Court|OPEC|G20|G7|Council of Europe
European Commission|Arab League|Gulf Cooperation Council|Shanghai Cooperation Organisation
Organization for Security and Co-operation in Europe|International Court of Justice
Amnesty International|Human Rights Watch|Committee to Protect Journalists|Red Cross
World Food Programme|United Nations High Commissioner for Refugees|Asian Development Bank
International Energy Agency|European Central Bank|BRICS|OECD|Doctors Without Borders
Transparency International|International Organization for Migration|European Parliament
""".replace("\n", "|").strip("|").split("|")

# Words the query mix relies on: each appears in ~0.05% of articles (a "rare word").
RARE_WORDS = """
desalination phosphate hydrofoil cartography saffron tungsten lithography quarantine
aqueduct monsoon vaccination apiary glacier orchard sorghum cobalt seismograph lighthouse
ferryboat vineyard archipelago tramway bauxite telescope millet manganese catamaran
observatory cassava icebreaker zeppelin moorland peatland sandbank salmon turbine caviar
avalanche aquifer bamboo coral dredging gemstone helium jute kelp lagoon marble nickel
obsidian papyrus quinoa rubber sapphire tannery uranium vanilla walrus yak zinc
""".split()

# Topic vocabularies: words and phrases the topic keywords in articles/extraction/topics.py
# match, with a few sentence frames per topic.
TOPICS = {
    "diplomacy": (
        ["talks", "summit", "envoy", "ambassador", "bilateral", "negotiations", "diplomats",
         "treaty", "joint statement", "strategic partnership", "counterpart", "mediation"],
        ["The meeting in {city} focused on {w1} and {w2}, and officials described the atmosphere as constructive.",
         "{Country} sent a delegation to {city} to prepare for {w1} and {w2} expected later in the {season}.",
         "Diplomats said progress on {w1} could open the way to {w2} before the end of the year.",
         "A statement issued after the meeting mentioned {w1} and {w2} but gave few details on timing."]),
    "war-in-ukraine": (
        ["Ukraine", "Kyiv", "Ukrainian forces", "Donetsk", "Kharkiv", "Zaporizhzhia", "Crimea",
         "Kherson", "the Donbas", "Luhansk"],
        ["Fighting near {w1} intensified overnight, according to reports from {w2}.",
         "Officials in {w1} said air raid alerts sounded across {w2} for several hours.",
         "Aid convoys bound for {w1} were delayed as shelling continued around {w2}."]),
    "trade-economy": (
        ["trade", "tariffs", "exports", "imports", "the economy", "inflation", "investment",
         "markets", "debt", "growth", "the budget", "supply chains", "interest rates"],
        ["Analysts expect {w1} and {w2} to weigh on the outlook for the coming quarters.",
         "Figures released on {weekday} showed {w1} rising by {pct} percent while {w2} slowed.",
         "Business groups warned that {w1} could suffer if {w2} remained under pressure.",
         "The finance ministry revised its forecast for {w1}, citing weaker {w2}."]),
    "energy": (
        ["oil", "gas", "energy", "pipeline", "electricity", "crude", "LNG", "fuel", "coal",
         "renewables", "solar", "nuclear power", "OPEC output"],
        ["Prices linked to {w1} climbed {pct} percent as traders weighed the impact on {w2}.",
         "The new {w1} deal is meant to secure {w2} supplies through the winter.",
         "Utilities said demand for {w1} and {w2} reached a record during the heatwave."]),
    "security-defence": (
        ["military", "troops", "missiles", "drones", "the army", "NATO", "defence spending",
         "weapons", "air defence", "warships", "ammunition", "naval drills"],
        ["Commanders said {w1} and {w2} were being moved closer to the frontier, the defence ministry said.",
         "Plans covering {w1} include new orders for {w2} over the next five years.",
         "Satellite images appeared to show {w1} and {w2} moving toward the coast."]),
    "sanctions": (
        ["sanctions", "an embargo", "export controls", "asset freezes", "a price cap",
         "secondary sanctions", "blacklisted firms", "restrictive measures"],
        ["The new package includes {w1} aimed at banks and shipping firms, as well as {w2}.",
         "Officials said {w1} would stay in place until the conditions on {w2} were met.",
         "Lawyers argued that {w1} and {w2} were being evaded through third countries."]),
    "press-freedom-civil-society": (
        ["journalists", "press freedom", "censorship", "foreign agents", "NGOs", "civil society",
         "independent media", "bloggers", "disinformation", "free speech"],
        ["Groups defending {w1} said the draft law on {w2} would silence critics.",
         "Several reporters were questioned after covering {w1} and {w2}, colleagues said.",
         "The government denied that the rules on {w1} were aimed at {w2}."]),
    "human-rights": (
        ["human rights", "activists", "detention", "political prisoners", "torture",
         "a crackdown", "dissidents", "rights groups", "minorities", "executions"],
        ["Rights groups documented {w1} and called for an inquiry into {w2}.",
         "Relatives of detainees gathered outside the court to protest against {w1} and {w2}.",
         "A report on {w1} accused the authorities of {w2} in several provinces."]),
    "elections-politics": (
        ["the election", "voters", "parliament", "the opposition", "the coalition", "ballots",
         "candidates", "the campaign", "lawmakers", "a referendum", "polls"],
        ["Turnout was higher than expected, and debate focused on {w1} and {w2}.",
         "The ruling party faces pressure from {w1} ahead of {w2} next spring.",
         "Observers said {w1} was marred by disputes over {w2}."]),
    "climate-environment": (
        ["climate", "emissions", "carbon", "the environment", "droughts", "floods",
         "deforestation", "pollution", "fossil fuels", "net zero", "climate finance"],
        ["Negotiators struggled to agree on {w1} targets and on funding for {w2}.",
         "Scientists linked {w1} to {w2} in a report published this week.",
         "The plan on {w1} sets a target of {pct} percent and relies heavily on {w2}."]),
    "technology": (
        ["technology", "semiconductors", "chips", "artificial intelligence", "cyber attacks",
         "telecoms", "software", "data", "satellites", "the internet", "digital services"],
        ["Export rules on {w1} could slow investment in {w2}, industry executives said.",
         "Officials said problems with {w1} had disrupted {w2} at several ministries.",
         "The agreement covers {w1}, {w2} and research cooperation."]),
    "migration": (
        ["migrants", "refugees", "asylum", "deportations", "border crossings", "smugglers",
         "displaced families", "resettlement", "migration"],
        ["Officials said {w1} and {w2} had put pressure on reception centres along the coast.",
         "A new deal on {w1} aims to speed up decisions on {w2}.",
         "Aid workers said {w1} and {w2} lacked shelter as temperatures dropped."]),
    "middle-east-conflict": (
        ["Gaza", "Israel", "Hamas", "the West Bank", "Lebanon", "the Red Sea", "Houthi attacks",
         "hostages", "a ceasefire", "Hezbollah"],
        ["Mediators pressed for {w1} as strikes continued around {w2}.",
         "Shipping companies rerouted vessels away from {w1} after {w2} disrupted traffic.",
         "Talks on {w1} stalled over the release of {w2}, people familiar with them said."]),
    "asia-pacific-security": (
        ["Taiwan", "the South China Sea", "the Taiwan Strait", "North Korea", "Pyongyang",
         "the Indo-Pacific", "the Korean peninsula", "AUKUS", "the Philippines", "a blockade"],
        ["Coast guard vessels shadowed each other near {w1} as tensions rose over {w2}.",
         "Defence planners warned that {w1} could become the focus of a crisis over {w2}.",
         "Patrols near {w1} were stepped up amid concern over {w2}."]),
    "international-law-courts": (
        ["the tribunal", "war crimes", "genocide", "arrest warrants", "international law",
         "prosecutors", "the ruling", "the verdict", "jurisdiction", "accountability"],
        ["Judges considered whether {w1} had jurisdiction over {w2}.",
         "The case on {w1} has become a test of {w2}, legal scholars said.",
         "Prosecutors sought {w1} and said {w2} would be pursued regardless of rank."]),
}
TOPIC_WEIGHTS = [10, 6, 9, 6, 7, 5, 3, 4, 6, 4, 4, 3, 5, 3, 2]

CITIES = """Geneva Vienna Doha Istanbul Brussels Nairobi Jakarta Singapore Oslo Helsinki Astana
Riyadh Cairo Bogota Lisbon Warsaw Tbilisi Baku Yerevan Hanoi""".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
SEASONS = ["spring", "summer", "autumn", "winter"]
MONTHS = ("January February March April May June July August September October "
          "November December").split()
VERBS = ["said", "told reporters", "said in a statement", "told a news conference", "said on social media"]

# Templates: {slot} is filled from the article's cast, [a|b|c] picks one wording at random,
# so that common words spread over part of the archive instead of every article.
LEADS = [
    "{Title} {Person} said on {weekday} that {country} would seek closer [cooperation|ties|coordination] with {country2}, "
    "a move that could reshape [relations|alliances|trade] across the region.",
    "{Country} and {country2} agreed on {weekday} to resume [talks|negotiations|discussions] after months of [tension|friction|acrimony], "
    "{title} {Person} said after a meeting in {city}.",
    "[Officials|Delegates|Envoys] from {country} met their counterparts from {country2} in {city} this week, "
    "seeking to ease a dispute that has unsettled [markets|investors|allies|neighbours] alike.",
    "The [government|cabinet|administration] of {country} announced a package of measures on {weekday}, "
    "{title} {Person} said, in response to mounting pressure at home and abroad.",
    "Delegations gathered in {city} for a [meeting|conference|summit] hosted by {the_org}, where {country} pressed "
    "for a stronger role in decisions that affect its neighbours.",
    "{Title} {Person} arrived in {city} on {weekday} for [two|three|four] days of [meetings|consultations|visits] "
    "that {demonym} officials hope will restore confidence after a difficult year.",
    "A dispute between {country} and {country2} over [fishing rights|water sharing|transit fees|a border crossing|airspace] "
    "deepened on {weekday} when {title} {Person} [rejected|dismissed|criticised] the latest proposal.",
]
BODY = [
    "{Title} {Person} {verb} that the [government|administration|leadership] remained committed to dialogue with {country}.",
    "\"We are ready to work with all partners,\" {Surname} said, adding that {country} expected concrete steps.",
    "\"This is not the moment for [half measures|empty promises|delay],\" {Surname} told [reporters|journalists|lawmakers].",
    "{The_org} said it was monitoring the situation closely and urged restraint from all sides.",
    "According to [officials|diplomats|people familiar with the matter] in {country}, the decision followed weeks of consultations with {the_org}.",
    "{Country} has repeatedly called on {country2} to respect earlier commitments, a position it restated on {weekday}.",
    "Critics argued that the plan lacked detail and would take years to deliver [results|benefits|savings].",
    "A senior [official|diplomat|adviser], speaking on condition of anonymity, described the talks as difficult but useful.",
    "The [meeting|visit|gathering] came {n} days after a similar round in {city} ended without agreement.",
    "{Surname} is expected to travel to {city} in {month} for further consultations.",
    "[Spokespeople|Aides|Press officers] declined to comment on the details but promised more information soon.",
    "In a statement, {the_org} welcomed the announcement and offered technical support.",
    "Observers noted that {country} had taken a more assertive stance since the last round of meetings.",
    "The {demonym} side insisted that any deal must include guarantees on implementation.",
    "Opposition figures in {country} accused the [government|ruling party|prime minister] of acting without consulting parliament.",
    "{Title} {Person} told local media that the proposals would go to the cabinet in {month}.",
    "[Officials|Planners|Auditors] estimated the cost of the programme at {n} million dollars over {k} years.",
    "The issue is likely to feature prominently when leaders meet at {the_org} later this year.",
    "Residents interviewed by [reporters|local radio|a regional newspaper] expressed cautious hope that things would improve.",
    "Regional experts said the outcome would depend largely on the position taken by {country}.",
    "The foreign ministry of {country} summoned the {demonym} ambassador to explain the remarks.",
    "Both sides said they would set up working groups to examine the remaining disagreements.",
    "[The finance ministry|The treasury|A budget office] said about {pct} percent of the funds had already been allocated.",
    "Markets reacted calmly, with the main index closing {pct} percent [higher|lower] on {weekday}.",
    "{Surname} said the country could not afford to wait while others decided its future.",
    "Earlier this month, {title} {Person} warned that time was running out for a compromise.",
    "Hundreds of people gathered in the capital on {weekday} to demand a change of course.",
    "Analysts at [a think tank|a university|a research institute] in {city} said the announcement marked a shift in priorities.",
    "{The_org} has estimated that {n} thousand people could be affected by the measures.",
    "Speaking in {city}, {title} {Person} promised to present detailed proposals within weeks.",
    "Officials in {country} said the first shipments could arrive as early as {month}.",
    "{Surname} told [reporters|a news conference|parliament] that no decision had been taken on the timetable.",
    "The announcement drew a swift response from {country2}, whose [government|foreign ministry|president] called it premature.",
    "Senior officials are due to meet again in {city} to review progress on the commitments.",
    "A spokesperson for {the_org} said the organisation had not been consulted in advance.",
    "The deal still needs the approval of lawmakers in {country}, where the governing coalition holds a narrow majority.",
    "Several ministers have privately expressed doubts about the pace of the reforms, according to people briefed on the discussions.",
    "Commerce between {country} and {country2} has grown by about {pct} percent a year over the past decade.",
    "{Surname} added that the [government|country] would not accept conditions imposed from outside.",
    "The dispute has its roots in a disagreement that dates back to {year}.",
    "Local newspapers in {country} gave the story prominent coverage on {weekday}.",
    "The foreign ministry said it would publish the full text once the document was signed.",
    "[Economists|Statisticians|Bankers] cautioned that the figures were preliminary and could be revised in {month}.",
    "[Officials|Organisers|Lawyers] said about {n} people had been consulted during the drafting process.",
    "{Title} {Person} is scheduled to address the {demonym} parliament on {weekday}.",
]
# Sentences about everyday life around the story: a wider vocabulary, each in few articles.
COLOUR = [
    "Farmers in the [eastern|western|northern|southern] provinces said the [harvest|wheat crop|rice crop|olive harvest] had been the weakest in {k} years.",
    "Railway workers [went on strike|staged a walkout|held a protest] on {weekday}, disrupting [commuter|freight|night] services around {city}.",
    "Hospitals in the capital reported a rise in admissions linked to [influenza|heat exhaustion|respiratory infections].",
    "Teachers' unions [threatened|announced|postponed] a strike over [pay|pensions|class sizes] at the start of the school year.",
    "The [national museum|state library|opera house] reopened after a [renovation|restoration|refurbishment] that lasted {k} years.",
    "Heavy [rain|snow|fog] closed [mountain roads|the main airport|several ports] for most of {weekday}.",
    "Fishermen complained that [quotas|fuel costs|patrol boats] had made it harder to earn a living along the coast.",
    "A new [bridge|tunnel|motorway|tram line] linking the [old town|airport|industrial zone] to the centre is due to open in {month}.",
    "Shopkeepers in the old market said [tourists|customers|visitors] had [returned|stayed away] in recent weeks.",
    "Students [marched|rallied|gathered] outside the university to protest against [tuition fees|dormitory closures|exam changes].",
    "The central statistics office said unemployment [fell|rose|held steady] at {pct} percent in {month}.",
    "Wildfires [destroyed|threatened|damaged] [farmland|villages|forests] near the border, and firefighters worked through the night.",
    "The [football|basketball|volleyball] federation postponed [a match|the final|a tournament] scheduled in {city} for security reasons.",
    "Pharmacies reported shortages of [insulin|antibiotics|painkillers|vaccines] in several regions.",
    "Truck drivers waited up to {n} hours at the main [crossing|checkpoint|customs post] as inspections were tightened.",
    "A court in {city} [sentenced|acquitted|released] a former [mayor|governor|customs chief] in a corruption case.",
    "Housing prices in the capital rose {pct} percent over the year, pushing [young families|students|pensioners] to the suburbs.",
    "The [airline|national carrier|state railway] announced new [routes|timetables|fares] to {city} from {month}.",
    "Volunteers distributed [blankets|food parcels|drinking water] to families [displaced|affected|left homeless] by the [storm|earthquake|floods].",
    "Archaeologists [uncovered|excavated|restored] a [Roman|Byzantine|medieval|Bronze Age] [villa|mosaic|fortress|cemetery] near the coast.",
    "The [mayor|city council|regional governor] promised to repair [roads|schools|water pipes] damaged during the winter.",
    "Bakers [raised|froze|cut] bread prices after the cost of [flour|electricity|transport] changed sharply.",
    "Miners [returned to work|walked out|were evacuated] after [an accident|a dispute over wages|a gas leak] at a [copper|coal|gold] mine.",
    "Doctors warned that [waiting lists|staff shortages|budget cuts] were putting patients at risk.",
    "A [film festival|book fair|jazz festival] in {city} drew [record crowds|fewer visitors than usual|criticism from officials].",
    "[Pensioners|Veterans|Nurses] demonstrated in several cities to demand higher [pensions|benefits|wages].",
    "The [port authority|customs service|coast guard] said it had seized {n} kilograms of [cocaine|counterfeit goods|smuggled cigarettes].",
    "Engineers are still assessing the damage to the [dam|power station|refinery|water treatment plant] after the [blast|fire|flooding].",
    "The [weather service|meteorological office] forecast [temperatures above|rainfall below|snow well above] the seasonal average for {month}.",
    "Small businesses said [red tape|high interest rates|power cuts] remained their biggest problem.",
]
PEACE_SENTENCES = [
    "Both governments said the peace talks would continue in {city} next {month}.",
    "The peace talks, brokered by {the_org}, have stalled several times since {year}.",
    "Diplomats said a new round of peace talks could begin before the end of the {season}.",
]
RARE_SENTENCES = [
    "A separate agreement covers {rare} projects in the north of the country.",
    "Local officials also raised concerns about {rare}, an issue that rarely draws national attention.",
    "The delegation visited a {rare} site on the outskirts of {city}.",
]
HEADINGS = [
    "What the Talks Mean for {Country}", "Reactions in {Country}", "A Difficult Balance",
    "Regional Implications", "The Road Ahead", "Economic Stakes", "Pressure at Home",
    "Questions Over Implementation", "How {Country} Responded", "Divisions Among Allies",
    "A Long Dispute", "Next Steps", "Voices From {City}", "The Role of {the_Org}",
    "Security Concerns", "Winners and Losers", "Background to the Decision",
]


NO_ARTICLE = {"NATO", "ASEAN", "OPEC", "G20", "G7", "BRICS", "OECD", "Amnesty International",
              "Human Rights Watch", "Doctors Without Borders", "Transparency International"}


def the(org: str) -> str:
    """Put "the" before an organisation's name where English does: "the United Nations", "NATO"."""
    return org if org in NO_ARTICLE else f"the {org}"


_ALTERNATIVES = re.compile(r"\[([^\[\]]+)\]")  # "[a|b|c]" in a template


def zipf_cumulative(n: int, s: float = ZIPF_S) -> list[float]:
    """Cumulative Zipf weights for ranks 1..n (rank 1 most frequent)."""
    return list(itertools.accumulate(1 / rank ** s for rank in range(1, n + 1)))


class Picker:
    """Draw items with fixed cumulative weights from one random stream."""

    def __init__(self, rng: random.Random, items: list, cumulative: list[float]):
        self.rng, self.items, self.cumulative, self.total = rng, items, cumulative, cumulative[-1]

    def __call__(self):
        return self.items[bisect.bisect(self.cumulative, self.rng.random() * self.total)]


def make_people(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """Invent `count` distinct people as (title, full name, surname)."""
    surnames = sorted({head + mid + tail for head in SURNAME_HEADS for mid in SURNAME_MIDS for tail in SURNAME_TAILS})
    rng.shuffle(surnames)
    titles = [title for title, _ in TITLES]
    title_cum = list(itertools.accumulate(weight for _, weight in TITLES))
    people, seen = [], set()
    for surname in surnames:
        first = rng.choice(FIRST_NAMES)
        full = f"{first} {surname.capitalize()}"
        if full in seen:
            continue
        seen.add(full)
        title = titles[bisect.bisect(title_cum, rng.random() * title_cum[-1])]
        people.append((title, full, surname.capitalize()))
        if len(people) == count:
            break
    return people


class ArticleWriter:
    """Compose articles from templates; every draw comes from one seeded stream."""

    def __init__(self, seed: int):
        self.rng = rng = random.Random(seed)
        self.people = make_people(random.Random(f"people-{seed}"), PERSONS)
        self.person = Picker(rng, self.people, zipf_cumulative(len(self.people)))
        self.country = Picker(rng, COUNTRIES, zipf_cumulative(len(COUNTRIES), 0.9))
        self.org = Picker(rng, ORGANISATIONS, zipf_cumulative(len(ORGANISATIONS), 0.9))
        self.topic_names = list(TOPICS)
        self.topic = Picker(rng, self.topic_names, list(itertools.accumulate(TOPIC_WEIGHTS)))

    def slots(self, template: str, cast: dict) -> dict:
        """Fill every template slot for one sentence from the article's cast and fresh draws."""
        rng = self.rng
        title, person, surname = rng.choice(cast["people"])
        # A person is introduced with title and full name, then named by surname.
        if person not in cast["introduced"]:
            if "{Surname}" in template:
                surname = f"{title[:1].upper()}{title[1:]} {person}"
            if "{Surname}" in template or "{Person}" in template:
                cast["introduced"].add(person)
        country, demonym = rng.choice(cast["countries"])
        country2 = rng.choice(cast["countries"])[0]
        if country2 == country:
            country2 = self.country()[0]
        org = rng.choice(cast["orgs"])
        return {
            "Title": title[:1].upper() + title[1:], "title": title, "Person": person,
            "Surname": surname, "Country": country, "country": country, "country2": country2,
            "demonym": demonym, "org": org, "the_org": the(org), "the_Org": the(org),
            "The_org": the(org)[:1].upper() + the(org)[1:], "city": rng.choice(CITIES),
            "City": rng.choice(CITIES), "weekday": rng.choice(WEEKDAYS), "month": rng.choice(MONTHS),
            "season": rng.choice(SEASONS), "year": rng.randint(2010, 2014), "verb": rng.choice(VERBS),
            "n": rng.randint(2, 95), "k": rng.randint(2, 9), "pct": f"{rng.randint(1, 9)}.{rng.randint(0, 9)}",
        }

    def sentence(self, template: str, cast: dict, **extra) -> str:
        template = _ALTERNATIVES.sub(lambda m: self.rng.choice(m.group(1).split("|")), template)
        return template.format(**self.slots(template, cast), **extra)

    def topic_sentence(self, slug: str, cast: dict) -> str:
        vocab, frames = TOPICS[slug]
        w1, w2 = self.rng.sample(vocab, 2)
        return self.sentence(self.rng.choice(frames), cast, w1=w1, w2=w2)

    def article(self, number: int) -> str:
        """Return the text of one article file."""
        rng = self.rng
        date = FIRST_DATE + datetime.timedelta(days=rng.randrange(DAYS))
        cast = {
            "people": [self.person() for _ in range(rng.randint(2, 4))],
            "countries": [self.country() for _ in range(rng.randint(2, 3))],
            "orgs": [self.org() for _ in range(rng.randint(1, 2))],
            "introduced": set(),
        }
        topics = list(dict.fromkeys(self.topic() for _ in range(rng.randint(1, 3))))
        # Topic sentences: the main topic 4-5 times, others 3 (MIN_SCORE is 3 hits).
        topical = [slug for slug in topics for _ in range(3)] + [topics[0]] * rng.randint(1, 2)
        extras = []
        if rng.random() < 0.04:
            extras += [rng.choice(PEACE_SENTENCES)]
        if rng.random() < 0.15:
            extras += [rng.choice(RARE_SENTENCES).replace("{rare}", rng.choice(RARE_WORDS))]
        # No template twice in one article; about one sentence in three is colour.
        body_pool = rng.sample(BODY, 28) + rng.sample(COLOUR, 14)
        rng.shuffle(body_pool)
        lead = " ".join([
            self.sentence(rng.choice(LEADS), cast),
            self.topic_sentence(topics[0], cast),
            self.sentence(body_pool.pop(), cast),
            self.sentence(body_pool.pop(), cast),
        ])
        paragraphs = [lead]
        specials = [("topic", slug) for slug in topical[1:]] + [("plain", t) for t in extras]
        rng.shuffle(specials)
        for section in range(4 + (rng.random() < 0.35)):
            paragraphs.append(self.sentence(rng.choice(HEADINGS), cast))
            for _ in range(2):
                sentences = [self.sentence(body_pool.pop(), cast) for _ in range(rng.randint(3, 4))]
                for _ in range(rng.randint(1, 2)):
                    if specials:
                        kind, value = specials.pop()
                        sentences.insert(rng.randrange(len(sentences) + 1),
                                         self.topic_sentence(value, cast) if kind == "topic" else self.sentence(value, cast))
                paragraphs.append(" ".join(sentences))
        if specials:
            paragraphs[-1] += " " + " ".join(
                self.topic_sentence(value, cast) if kind == "topic" else self.sentence(value, cast)
                for kind, value in specials)
        paragraphs[-1] += f" The next meeting is scheduled for {rng.choice(MONTHS)} {rng.randint(1, 28)}, officials said (ref {number})."
        return f" date {date.isoformat()} " + "\n\n".join(paragraphs) + "\n"


def generate(count: int, outdir: Path, seed: int = 1) -> dict:
    """Write `count` articles under outdir/NNN/NNNNNN.txt; return simple statistics."""
    writer = ArticleWriter(seed)
    fingerprints, total_bytes = set(), 0
    for number in range(count):
        text = writer.article(number)
        fingerprint = hashlib.sha256(" ".join(text.casefold().split()).encode()).digest()
        if fingerprint in fingerprints:  # cannot happen with the "ref" tail; kept as a guard
            raise SystemExit(f"duplicate text at article {number}")
        fingerprints.add(fingerprint)
        folder = outdir / f"{number // FILES_PER_DIR:03d}"
        if number % FILES_PER_DIR == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (folder / f"{number:06d}.txt").write_bytes(data)
        total_bytes += len(data)
    return {"articles": count, "bytes": total_bytes, "mean_bytes": total_bytes / max(count, 1)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.outdir.exists() and any(args.outdir.iterdir()):
        raise SystemExit(f"{args.outdir} is not empty")
    started = time.perf_counter()
    stats = generate(args.count, args.outdir, args.seed)
    print(f"wrote {stats['articles']} articles ({stats['mean_bytes'] / 1024:.2f} KB mean) "
          f"to {args.outdir} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
