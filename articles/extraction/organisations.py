"""A curated gazetteer of organisations: international bodies, institutions, groups, firms.

One line per organisation: the display name first, then other names and acronyms.
Acronyms that mean different bodies in different stories ("RSF", "PA") are left
out; an article that spells them out in parentheses defines them for itself.
"""

from functools import cache

GAZETTEER = """
United Nations | UN | U.N.
United Nations Security Council | UNSC | Security Council | UN Security Council
United Nations General Assembly | UNGA | General Assembly
United Nations Secretariat
United Nations Human Rights Council | UNHRC | Human Rights Council
Office of the United Nations High Commissioner for Human Rights | OHCHR | UN Human Rights Office | UN human rights office
United Nations High Commissioner for Refugees | UNHCR | UN Refugee Agency | UN refugee agency | United Nations refugee agency
United Nations Children's Fund | UNICEF | UN children's agency | UN children's fund
UNESCO | United Nations Educational, Scientific and Cultural Organization
United Nations Development Programme | UNDP
United Nations Environment Programme | UNEP
United Nations Framework Convention on Climate Change | UNFCCC
United Nations Relief and Works Agency | UNRWA | UN agency for Palestinian refugees | UN Palestinian refugee agency
United Nations Conference on Trade and Development | UNCTAD
United Nations Interim Force in Lebanon | UNIFIL
United Nations Office for the Coordination of Humanitarian Affairs | OCHA | UN humanitarian office | UN humanitarian agency | UN aid office
United Nations Office on Drugs and Crime | UNODC
United Nations Population Fund | UNFPA
UN Women
UNAIDS
International Fund for Agricultural Development | IFAD
International Maritime Organization | IMO
International Civil Aviation Organization | ICAO
Comprehensive Nuclear-Test-Ban Treaty Organization | CTBTO
United Nations Mission in South Sudan | UNMISS
United Nations Organization Stabilization Mission in the Democratic Republic of the Congo | MONUSCO
Kosovo Force | KFOR
European Union Force | EUFOR
African Union Transition Mission in Somalia | ATMIS | AMISOM
Intergovernmental Panel on Climate Change | IPCC
World Food Programme | WFP | UN food agency | UN World Food Programme
Food and Agriculture Organization | FAO | UN food and agriculture agency
International Labour Organization | ILO
International Organization for Migration | IOM | UN migration agency
World Health Organization | WHO | UN health agency
World Trade Organization | WTO
World Meteorological Organization | WMO | UN weather agency
International Telecommunication Union | ITU
International Monetary Fund | IMF
World Bank | World Bank Group
International Atomic Energy Agency | IAEA | UN nuclear watchdog | UN atomic watchdog
International Court of Justice | ICJ | World Court
International Criminal Court | ICC
Organisation for the Prohibition of Chemical Weapons | OPCW
Permanent Court of Arbitration
International Tribunal for the Law of the Sea | ITLOS
Interpol | INTERPOL | International Criminal Police Organization
NATO | North Atlantic Treaty Organization | North Atlantic Alliance
European Union | EU | E.U.
European Commission | EU executive | EU's executive
European Parliament
European Council
Council of the European Union
European Central Bank | ECB
Court of Justice of the European Union | European Court of Justice | ECJ
European Court of Human Rights
European Investment Bank | EIB
European External Action Service | EEAS
Frontex
Europol
Eurogroup
Council of Europe
Organization for Security and Co-operation in Europe | OSCE | Organization for Security and Cooperation in Europe
African Union | AU
ECOWAS | Economic Community of West African States
Southern African Development Community | SADC
Economic Community of Central African States | ECCAS
Common Market for Eastern and Southern Africa | COMESA
Caribbean Community | CARICOM
Andean Community
Union of South American Nations | UNASUR
Bolivarian Alliance for the Peoples of Our America | ALBA
Organization of Turkic States
South Asian Association for Regional Cooperation | SAARC
Pacific Community
Nordic Council
Commonwealth | Commonwealth of Nations | Commonwealth Secretariat
Islamic Development Bank
International Finance Corporation | IFC
World Economic Forum | WEF
East African Community | EAC
Intergovernmental Authority on Development | IGAD
Arab League | League of Arab States
Gulf Cooperation Council | GCC
Organisation of Islamic Cooperation | OIC
ASEAN | Association of Southeast Asian Nations | Association of South East Asian Nations
Asia-Pacific Economic Cooperation | APEC
Shanghai Cooperation Organisation | SCO
BRICS
G7 | Group of Seven | G-7
G20 | Group of 20 | Group of Twenty | G-20
Organisation for Economic Co-operation and Development | OECD | Organisation for Economic Cooperation and Development
OPEC | Organization of the Petroleum Exporting Countries
OPEC+ | OPEC Plus
Collective Security Treaty Organization | CSTO
Eurasian Economic Union | EAEU
Commonwealth of Independent States | CIS
Organization of American States | OAS
Mercosur | MERCOSUR
Community of Latin American and Caribbean States | CELAC
Pacific Islands Forum
Quad | Quadrilateral Security Dialogue
AUKUS
Five Eyes
Non-Aligned Movement
International Energy Agency | IEA
International Renewable Energy Agency | IRENA
Asian Development Bank | ADB
Asian Infrastructure Investment Bank | AIIB
New Development Bank
African Development Bank | AfDB
Inter-American Development Bank | IDB
European Bank for Reconstruction and Development | EBRD
Bank for International Settlements | BIS
Financial Action Task Force | FATF
Paris Club
International Committee of the Red Cross | ICRC | Red Cross
International Federation of Red Cross and Red Crescent Societies | IFRC | Red Crescent
International Olympic Committee | IOC
FIFA
Amnesty International | Amnesty
Human Rights Watch | HRW
Committee to Protect Journalists | CPJ
Reporters Without Borders | Reporters Sans Frontières
Doctors Without Borders | Médecins Sans Frontières | MSF
Greenpeace
Oxfam
Save the Children
Transparency International
Freedom House
International Crisis Group
International Rescue Committee
Norwegian Refugee Council
Open Society Foundations
Chatham House
Hamas
Hezbollah | Hizbollah
Taliban
Houthis | Houthi | Ansar Allah
Islamic State | ISIS | ISIL | Daesh
al-Qaeda | al Qaeda | Al-Qaeda | Al Qaeda
al-Shabaab | Al-Shabaab
Boko Haram
Wagner Group | Wagner
Palestinian Islamic Jihad | Islamic Jihad
Hayat Tahrir al-Sham | Hay'at Tahrir al-Sham | HTS
Kurdistan Workers' Party | PKK
Syrian Democratic Forces | SDF
Rapid Support Forces
M23
Lashkar-e-Taiba | LeT
Jaish-e-Mohammed
Tehrik-e-Taliban Pakistan | TTP
Fatah
Palestinian Authority
Muslim Brotherhood
Islamic Revolutionary Guard Corps | IRGC | Revolutionary Guards
Communist Party of China | Chinese Communist Party | CCP | CPC
People's Liberation Army | PLA
Kremlin
White House
Republican Party | GOP
Liberal Democrats | Lib Dems
Scottish National Party | SNP
Reform UK
Sinn Féin
Christian Democratic Union | CDU
Christian Social Union | CSU
Social Democratic Party of Germany | SPD
Free Democratic Party | FDP | Free Democrats
Alternative for Germany | AfD
National Rally | Rassemblement National
France Unbowed | La France Insoumise | LFI
Brothers of Italy | Fratelli d'Italia
Five Star Movement | M5S
Forza Italia
Law and Justice | PiS
Civic Platform | Civic Coalition
Fidesz
Party for Freedom | PVV
Freedom Party of Austria | FPÖ
Sweden Democrats
Finns Party
New Democracy
Spanish Socialist Workers' Party | PSOE
Likud
United Russia
Justice and Development Party | AKP | AK Party
Republican People's Party | CHP
Bharatiya Janata Party | BJP
Indian National Congress | Congress party
Pakistan Tehreek-e-Insaf | PTI
Pakistan Muslim League-Nawaz | PML-N
Bangladesh Nationalist Party | BNP
Awami League
African National Congress | ANC
Economic Freedom Fighters | EFF
ZANU-PF
Orange Democratic Movement | ODM
Pastef
Liberal Democratic Party | LDP
Democratic Progressive Party | DPP
Kuomintang | KMT
National League for Democracy | NLD
United Malays National Organisation | UMNO
Pheu Thai
Morena
La Libertad Avanza
United Socialist Party of Venezuela | PSUV
Serbian Progressive Party | SNS
Georgian Dream
Bundesbank
Bundeswehr
Bundesrat
Banque de France
Politburo
Central Military Commission
Tatmadaw
Majlis
Rajya Sabha
Storting
Riksdag
Sejm
Quai d'Orsay
Pentagon
State Department | Department of State
Foreign Office | Foreign, Commonwealth and Development Office | FCDO
Élysée | Élysée Palace | Elysee
Bundestag
State Duma | Duma
Knesset
US Congress
US Senate
House of Commons
House of Lords
National People's Congress | NPC
Verkhovna Rada | Rada
Lok Sabha
Central Intelligence Agency | CIA
Federal Bureau of Investigation | FBI
National Security Agency | NSA
Mossad
Shin Bet
MI6 | Secret Intelligence Service
MI5
Federal Security Service | FSB
Foreign Intelligence Service | SVR
GRU
Inter-Services Intelligence | ISI
Federal Reserve
Bank of England
People's Bank of China
Bank of Japan
Central Bank of Russia | Bank of Russia
Gazprom
Rosneft
Lukoil
Novatek
Rosatom
Rostec
Sberbank
Saudi Aramco | Aramco
ADNOC | Abu Dhabi National Oil Company
QatarEnergy
ExxonMobil | Exxon
Chevron
Shell
BP
TotalEnergies
Equinor
CNPC | China National Petroleum Corporation
Sinopec
CNOOC
Petrobras
PDVSA
Huawei
ZTE
TSMC | Taiwan Semiconductor Manufacturing Company
Samsung
TikTok
ByteDance
Alibaba
Tencent
Apple
Alphabet
Google
Meta
Microsoft
Nvidia
Intel
Tesla
SpaceX
Starlink
OpenAI
Boeing
Airbus
Lockheed Martin
Raytheon | RTX
BAE Systems
Rheinmetall
Volkswagen
BYD
Toyota
Stellantis
General Motors
Siemens
Glencore
BlackRock
Reuters
Associated Press | AP
Agence France-Presse | AFP
TASS
RIA Novosti
Interfax
Xinhua
Korean Central News Agency | KCNA
Yonhap
Kyodo
IRNA
Anadolu
Al Jazeera
BBC
CNN
Global Times
People's Daily
New York Times
Washington Post
Financial Times
Wall Street Journal
Radio Free Europe/Radio Liberty | RFE/RL | Radio Free Europe
Voice of America | VOA
"""

# Spelling pairs: both forms of a name are accepted.
_SPELLINGS = (("Organisation", "Organization"), ("Defence", "Defense"),
              ("Programme", "Program"), ("Centre", "Center"), ("Labour", "Labor"))


@cache
def organisation_names() -> dict[str, str]:
    """Map every organisation name and acronym to its display name."""
    names: dict[str, str] = {}
    for line in GAZETTEER.strip().splitlines():
        display, *others = [part.strip() for part in line.split(" | ")]
        for form in (display, *others):
            for variant in _variants(form):
                names.setdefault(variant, display)
    return names


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
