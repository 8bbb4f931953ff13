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
Office of the United Nations High Commissioner for Human Rights | OHCHR | UN Human Rights Office
United Nations High Commissioner for Refugees | UNHCR | UN Refugee Agency
United Nations Children's Fund | UNICEF
UNESCO | United Nations Educational, Scientific and Cultural Organization
United Nations Development Programme | UNDP
United Nations Environment Programme | UNEP
United Nations Framework Convention on Climate Change | UNFCCC
United Nations Relief and Works Agency | UNRWA
United Nations Conference on Trade and Development | UNCTAD
United Nations Interim Force in Lebanon | UNIFIL
Intergovernmental Panel on Climate Change | IPCC
World Food Programme | WFP
Food and Agriculture Organization | FAO
International Labour Organization | ILO
International Organization for Migration | IOM
World Health Organization | WHO
World Trade Organization | WTO
World Meteorological Organization | WMO
International Telecommunication Union | ITU
International Monetary Fund | IMF
World Bank | World Bank Group
International Atomic Energy Agency | IAEA
International Court of Justice | ICJ | World Court
International Criminal Court | ICC
Organisation for the Prohibition of Chemical Weapons | OPCW
Permanent Court of Arbitration
International Tribunal for the Law of the Sea | ITLOS
Interpol | INTERPOL | International Criminal Police Organization
NATO | North Atlantic Treaty Organization | North Atlantic Alliance
European Union | EU | E.U.
European Commission
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
Pentagon
State Department | Department of State
Foreign Office | Foreign, Commonwealth and Development Office | FCDO
Élysée | Élysée Palace | Elysee
Bundestag
State Duma | Duma
Knesset
US Congress
House of Representatives
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
    return forms
