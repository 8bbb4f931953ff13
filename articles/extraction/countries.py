"""Country names from pycountry, plus demonyms and capitals used as a government."""

from functools import cache

import pycountry

# ISO code -> the name a newsroom uses, where pycountry's differs.
COMMON_NAMES = {
    "BN": "Brunei", "BO": "Bolivia", "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo", "CI": "Ivory Coast", "CV": "Cape Verde",
    "CZ": "Czech Republic", "FK": "Falkland Islands", "FM": "Micronesia", "IR": "Iran",
    "KP": "North Korea", "KR": "South Korea", "LA": "Laos", "MD": "Moldova",
    "PS": "Palestine", "RU": "Russia", "SY": "Syria", "TR": "Turkey", "TW": "Taiwan",
    "TZ": "Tanzania", "VA": "Vatican City", "VE": "Venezuela", "VN": "Vietnam",
}

# Other names for a country, beyond pycountry's name, common and official names.
EXTRA_NAMES = {
    "US": "US|U.S.|USA|U.S.A.|America",
    "GB": "UK|U.K.|Britain|Great Britain",
    "AE": "UAE|U.A.E.|Emirates",
    "CD": "DRC|DR Congo|Congo|Congo-Kinshasa|Zaire",
    "CG": "Congo-Brazzaville",
    "CI": "Côte d'Ivoire|Cote d'Ivoire",
    "CZ": "Czechia",
    "DE": "West Germany",
    "SU": "USSR|U.S.S.R.",
    "MM": "Burma",
    "TR": "Türkiye|Turkiye",
    "KR": "Republic of Korea|ROK",
    "KP": "DPRK",
    "CN": "PRC|Mainland China",
    "NL": "Holland|the Netherlands",
    "PS": "Palestinian territories|State of Palestine",
    "VA": "Vatican|Holy See",
    "SZ": "Swaziland",
    "MK": "Macedonia",
    "TL": "East Timor",
    "GM": "The Gambia",
    "BS": "The Bahamas",
    "BA": "Bosnia",
    "AG": "Antigua",
    "KN": "St Kitts and Nevis|St Kitts|Saint Kitts",
    "LC": "St Lucia",
    "VC": "St Vincent and the Grenadines|St Vincent|Saint Vincent",
    "ST": "Sao Tome|São Tomé and Príncipe",
    "TT": "Trinidad",
}

# Territories that are not actors in the news.
_SKIPPED = frozenset("""AQ BV HM UM TF IO GS CX CC NF PN SJ BQ SH MF SX VG VI AX BL PM WF TK
                        PR GU AS MP HK MO""".split())

# ISO code: demonyms, the first one used to name the country's ministries.
DEMONYMS = """
AF Afghan|Afghans; AL Albanian|Albanians; DZ Algerian|Algerians; AO Angolan|Angolans
AR Argentine|Argentinian|Argentinians|Argentines; AM Armenian|Armenians
AU Australian|Australians; AT Austrian|Austrians; AZ Azerbaijani|Azerbaijanis|Azeri|Azeris
BH Bahraini|Bahrainis; BD Bangladeshi|Bangladeshis; BY Belarusian|Belarusians
BE Belgian|Belgians; BJ Beninese; BO Bolivian|Bolivians; BA Bosnian|Bosnians
BW Botswanan; BR Brazilian|Brazilians; BN Bruneian; BG Bulgarian|Bulgarians
BF Burkinabe|Burkinabè; BI Burundian|Burundians; KH Cambodian|Cambodians
CM Cameroonian|Cameroonians; CA Canadian|Canadians; CF Central African
TD Chadian|Chadians; CL Chilean|Chileans; CN Chinese|Sino; CO Colombian|Colombians
CD Congolese; CR Costa Rican|Costa Ricans; HR Croatian|Croatians
CU Cuban|Cubans; CY Cypriot|Cypriots; CZ Czech|Czechs; DK Danish|Danes
DJ Djiboutian; DO Dominican|Dominicans; EC Ecuadorian|Ecuadorians
EG Egyptian|Egyptians; SV Salvadoran|Salvadorans; GQ Equatorial Guinean
ER Eritrean|Eritreans; EE Estonian|Estonians; ET Ethiopian|Ethiopians
FJ Fijian|Fijians; FI Finnish|Finns; FR French|Franco; GA Gabonese; GM Gambian|Gambians
GE Georgian|Georgians; DE German|Germans; GH Ghanaian|Ghanaians; GR Greek|Greeks
GT Guatemalan|Guatemalans; GN Guinean|Guineans; GY Guyanese; HT Haitian|Haitians
HN Honduran|Hondurans; HU Hungarian|Hungarians
IS Icelandic|Icelanders; IN Indian|Indians; ID Indonesian|Indonesians
IR Iranian|Iranians; IQ Iraqi|Iraqis; IE Irish; IL Israeli|Israelis
IT Italian|Italians; CI Ivorian|Ivorians; JM Jamaican|Jamaicans; JP Japanese
JO Jordanian|Jordanians; KZ Kazakh|Kazakhs|Kazakhstani; KE Kenyan|Kenyans
KW Kuwaiti|Kuwaitis; KG Kyrgyz; LA Lao|Laotian; LV Latvian|Latvians
LB Lebanese; LR Liberian|Liberians; LY Libyan|Libyans; LT Lithuanian|Lithuanians
LU Luxembourgish; MG Malagasy; MW Malawian|Malawians; MY Malaysian|Malaysians
MV Maldivian; ML Malian|Malians; MT Maltese; MR Mauritanian|Mauritanians
MU Mauritian; MX Mexican|Mexicans; MD Moldovan|Moldovans; MN Mongolian|Mongolians
ME Montenegrin|Montenegrins; MA Moroccan|Moroccans; MZ Mozambican|Mozambicans
MM Myanmar|Burmese; NA Namibian|Namibians; NP Nepali|Nepalese; NL Dutch
NZ New Zealand|New Zealanders; NI Nicaraguan|Nicaraguans; NE Nigerien|Nigeriens
NG Nigerian|Nigerians; KP North Korean|North Koreans; MK North Macedonian|Macedonian
NO Norwegian|Norwegians; OM Omani|Omanis; PK Pakistani|Pakistanis
PS Palestinian|Palestinians; PA Panamanian|Panamanians; PG Papua New Guinean
PY Paraguayan|Paraguayans; PE Peruvian|Peruvians; PH Philippine|Filipino|Filipinos
PL Polish|Poles; PT Portuguese; QA Qatari|Qataris; RO Romanian|Romanians
RU Russian|Russians|Russo; RW Rwandan|Rwandans; SA Saudi|Saudis|Saudi Arabian
SN Senegalese; RS Serbian|Serbians; SL Sierra Leonean; SG Singaporean|Singaporeans
SK Slovak|Slovaks; SI Slovenian|Slovenians|Slovene; SO Somali|Somalis
ZA South African|South Africans; KR South Korean|South Koreans
SS South Sudanese; ES Spanish|Spaniards; LK Sri Lankan|Sri Lankans
SD Sudanese; SR Surinamese; SE Swedish|Swedes; CH Swiss; SY Syrian|Syrians
TW Taiwanese; TJ Tajik|Tajiks; TZ Tanzanian|Tanzanians; TH Thai
TL Timorese; TG Togolese; TT Trinidadian; TN Tunisian|Tunisians
TR Turkish|Turks; TM Turkmen; UG Ugandan|Ugandans; UA Ukrainian|Ukrainians
AE Emirati|Emiratis; GB British|Briton|Britons; US American|Americans
UY Uruguayan|Uruguayans; UZ Uzbek|Uzbeks; VE Venezuelan|Venezuelans
VN Vietnamese; XK Kosovar|Kosovars; XS Somalilander|Somalilanders; YE Yemeni|Yemenis
ZM Zambian|Zambians; ZW Zimbabwean|Zimbabweans; CD Zairean|Zairian|Zaireans
SU Soviet; YU Yugoslav|Yugoslavs|Yugoslavian; CS Czechoslovak; DD East German|East Germans
DE West German|West Germans
"""

# ISO code (or "EU"): capitals and seats of government that stand for it ("Moscow said").
CAPITALS = """
AF Kabul; AL Tirana; DZ Algiers; AO Luanda; AR Buenos Aires; AM Yerevan; AU Canberra
AT Vienna; AZ Baku; BH Manama; BD Dhaka; BY Minsk; BO La Paz; BA Sarajevo; BR Brasília|Brasilia
BG Sofia; BF Ouagadougou; KH Phnom Penh; CM Yaoundé; CA Ottawa; CL Santiago; CN Beijing|Peking
CO Bogotá|Bogota; CD Kinshasa; HR Zagreb; CU Havana; CZ Prague; DK Copenhagen; EG Cairo
EE Tallinn; ET Addis Ababa; FI Helsinki; FR Paris; GE Tbilisi; DE Berlin; GH Accra; GR Athens
HU Budapest; IN New Delhi|Delhi; ID Jakarta; IR Tehran; IQ Baghdad; IE Dublin; IL Jerusalem
IT Rome; JP Tokyo; JO Amman; KZ Astana; KE Nairobi; KW Kuwait City; KG Bishkek; LV Riga
LB Beirut; LY Tripoli; LT Vilnius; ML Bamako; MX Mexico City; MD Chisinau|Chișinău
MN Ulaanbaatar; MA Rabat; MM Naypyidaw; NP Kathmandu; NL The Hague; NZ Wellington
NI Managua; NE Niamey; NG Abuja; KP Pyongyang; NO Oslo; PK Islamabad; PE Lima; PH Manila
PL Warsaw; PT Lisbon; QA Doha; RO Bucharest; RU Moscow; RW Kigali; SA Riyadh; SN Dakar
RS Belgrade; SK Bratislava; SI Ljubljana; SO Mogadishu; ZA Pretoria; KR Seoul; SS Juba
ES Madrid; LK Colombo; SD Khartoum; SE Stockholm; CH Bern; SY Damascus; TW Taipei; XS Hargeisa
TJ Dushanbe; TZ Dodoma; TH Bangkok; TN Tunis; TR Ankara; TM Ashgabat; UG Kampala
UA Kyiv|Kiev; AE Abu Dhabi; GB London|Downing Street; US Washington; UZ Tashkent
VE Caracas; VN Hanoi; XK Pristina; YE Sanaa; ZW Harare; AM Yerevan; EU Brussels
"""

# Longer names that contain a country word but are places, not the country.
NOT_COUNTRIES = (
    "Latin American|Latin Americans|North American|North Americans|South American|"
    "South Americans|Central American|Central Americans|Indian Ocean|South China Sea|"
    "East China Sea|Sea of Japan|Gulf of Mexico|New Mexico|New Jersey|Niger Delta|"
    "Congo River|Congo Basin|Panama Canal|Georgia State|Hong Kong|Macau|Macao|British Columbia|"
    "American Indian|Irish Sea|Dominican Order|Korean Peninsula|Turkish Straits|Persian Gulf|"
    # The nations of the United Kingdom: places, not countries of their own, and never people.
    "England|Scotland|Wales|Northern Ireland|English|Scottish|Welsh|"
    # Holidays named after a word the gazetteer knows.
    "Labour Day|Labor Day|"
    # Market indexes named after the firm or exchange that computes them.
    "Dow Jones industrial average|Dow Jones Industrial Average|Dow Jones industrials|Dow Jones index|"
    "Nasdaq composite|Nasdaq Composite|Nasdaq composite index|Nasdaq Composite Index"
)


def country_name(code: str) -> str:
    """Return the display name of an ISO 3166 alpha-2 code ("RU" -> "Russia")."""
    if code in COMMON_NAMES or code in EXTRA_COUNTRIES:
        return COMMON_NAMES.get(code) or EXTRA_COUNTRIES[code]
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


# Countries outside ISO 3166 that the news treats as countries (Kosovo uses "XK"), and
# former states still named in the news, under their ISO 3166-3 alpha-2 codes.
EXTRA_COUNTRIES = {"XK": "Kosovo", "XS": "Somaliland"}
FORMER_COUNTRIES = {"SU": "Soviet Union", "YU": "Yugoslavia", "CS": "Czechoslovakia", "DD": "East Germany"}
EXTRA_COUNTRIES.update(FORMER_COUNTRIES)


@cache
def country_names() -> dict[str, str]:
    """Map every country name to its display name ("Russian Federation" -> "Russia")."""
    names: dict[str, str] = {name: name for name in EXTRA_COUNTRIES.values()}
    for country in pycountry.countries:
        if country.alpha_2 in _SKIPPED:
            continue
        display = country_name(country.alpha_2)
        forms = [country.name, getattr(country, "common_name", None),
                 getattr(country, "official_name", None), display]
        for form in filter(None, forms):
            # "Korea, Republic of" and "the State of Eritrea" are catalogue forms, not prose.
            if "," not in form and not form.startswith("the State"):
                names.setdefault(form.removeprefix("the "), display)
    # Newsroom usage wins over ISO: bare "Congo" is usually the Democratic Republic.
    for code, forms in EXTRA_NAMES.items():
        for form in forms.split("|"):
            names[form.removeprefix("the ")] = country_name(code)
    return names


@cache
def demonyms() -> dict[str, str]:
    """Map each demonym to its country's display name ("Kyrgyz" -> "Kyrgyzstan")."""
    return {form: country_name(code) for code, forms in _entries(DEMONYMS) for form in forms}


@cache
def country_demonym() -> dict[str, str]:
    """Map a country's display name to the demonym that names its ministries."""
    return {country_name(code): forms[0] for code, forms in _entries(DEMONYMS)}


@cache
def capitals() -> dict[str, str]:
    """Map each capital to its country's display name, or "EU" for Brussels."""
    return {form: code if code == "EU" else country_name(code)
            for code, forms in _entries(CAPITALS) for form in forms}


def _entries(table: str) -> list[tuple[str, list[str]]]:
    """Parse "RU Russian|Russians; UA Ukrainian" into [("RU", [...]), ("UA", [...])]."""
    entries = []
    for item in table.replace("\n", ";").split(";"):
        if item.strip():
            code, forms = item.strip().split(" ", 1)
            entries.append((code, [form.strip() for form in forms.split("|")]))
    return entries


def country_code(name: str) -> str:
    """Return the ISO 3166 alpha-2 code of a country's display name ("Russia" -> "RU"), or ""."""
    return _codes().get(name, "")


@cache
def _codes() -> dict[str, str]:
    codes = {country_name(country.alpha_2): country.alpha_2 for country in pycountry.countries}
    codes.update({display: code for code, display in EXTRA_COUNTRIES.items()})
    return codes
