"""Write the held-out structure set: new templates the reader was never tuned on.

Run ``python tests/tools/make_heldout.py`` to regenerate ``tests/data/heldout/docs/``
(PDF, DOCX, TXT, MD) and their gold labels in ``tests/data/heldout/gold/``. The
documents are invented but written the way Swedish municipal protocols and
meeting notes look in templates the team has not used (Ciceron, Lex/Formpipe,
Platina, W3D3, NetPublicator, a plain Word protocol, informal notes, a
flattened web copy). Each label is produced from the same data the document is
rendered from, so the labels are the truth of what was written. The labels were
not made by running the reader, and the person who wrote this file did not read
the reader's code (see ``tests/data/heldout/README.md``).

Needs fpdf2, python-docx and the DejaVu/Liberation TrueType fonts in
``/usr/share/fonts/truetype``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "heldout"
DOCS = OUT / "docs"
GOLD = OUT / "gold"
FONTS = Path("/usr/share/fonts/truetype")
FIXED_DATE = dt.datetime(2024, 12, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


# --------------------------------------------------------------------------------------
# Content records
# --------------------------------------------------------------------------------------


@dataclass
class Item:
    """One agenda item as written: heading parts and its named sections."""

    number: str | None  # gold number: "§ 45", "3" or None
    title: str
    dnr: str | None = None
    desc: list[str] = field(default_factory=list)  # Ärendebeskrivning paragraphs
    underlag: list[str] = field(default_factory=list)  # Beslutsunderlag list
    forslag: list[str] = field(default_factory=list)  # Förslag till beslut
    yrkanden: list[str] = field(default_factory=list)
    proposition: str | None = None
    beslut: list[str] = field(default_factory=list)  # one line, or numbered points
    reservation: str | None = None
    anteckning: str | None = None
    skickas: list[str] = field(default_factory=list)
    shown_number: str | None = None  # how the number is printed when it differs


@dataclass
class Meeting:
    """One held-out document: meeting facts, front matter and items."""

    key: str
    family: str
    fmt: str
    kind: str
    body: str
    municipality: str
    date: str
    items: list[Item]
    body_alternatives: list[str] = field(default_factory=list)
    agenda_list: bool = False
    front: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def sv_date_long(iso: str) -> str:
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
              "september", "oktober", "november", "december"]
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {months[d.month - 1]} {d.year}"


def sv_weekday(iso: str) -> str:
    return ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"][dt.date.fromisoformat(iso).weekday()]


# --------------------------------------------------------------------------------------
# 1. Ciceron: Östersund, Socialnämnden
# --------------------------------------------------------------------------------------

OSTERSUND_SN = Meeting(
    key="ciceron-ostersund-socialnamnden-2024-03-12",
    family="heldout-ciceron", fmt="pdf", kind="minutes",
    body="Socialnämnden", municipality="Östersund", date="2024-03-12",
    agenda_list=True,
    front={
        "org": "ÖSTERSUNDS KOMMUN",
        "plats": "Rådhuset, sammanträdesrum Storsjön, kl. 08.30–12.15",
        "ledamoter": ["Anna Forsberg (S), ordförande", "Per-Erik Lindqvist (M), 1:e vice ordförande",
                      "Maria Holm (C)", "Johan Strand (SD)", "Lena Björk (V)", "Gunnar Persson (S)",
                      "Elin Sjödin (M)"],
        "ersattare": ["Karin Ek (S) för Mats Nyberg (S)", "Erik Sundin (KD) för Sara Öberg (L)"],
        "ovriga": ["Helena Dahl, socialchef", "Anders Wikström, nämndsekreterare",
                   "Sofia Lund, enhetschef, §§ 47–48", "Mikael Berg, Polisen, § 47"],
        "justerare": "Lena Björk (V)",
        "justering": "Socialförvaltningen, Rådhuset, 2024-03-15",
        "paragrafer": "§§ 45–52",
        "sekreterare": "Anders Wikström", "ordforande": "Anna Forsberg", "justerande": "Lena Björk",
        "anslag_upp": "2024-03-18", "anslag_ned": "2024-04-09",
        "forvaring": "Socialförvaltningen, Rådhuset",
    },
    items=[
        Item("§ 45", "Val av justerare",
             beslut=["Socialnämnden utser Lena Björk (V) att jämte ordföranden justera dagens protokoll."]),
        Item("§ 46", "Godkännande av dagordning",
             desc=["Ordföranden föreslår att ärendet om uppföljning av ekonomiskt bistånd behandlas före "
                   "yttrandet över motionen om fältassistenter."],
             beslut=["Dagordningen godkänns med ordförandens ändring."]),
        Item("§ 47", "Lägesbild narkotika i centrala Östersund", "SN 2024/0034",
             desc=["Polisen och socialförvaltningens fältgrupp redovisar en gemensam lägesbild för "
                   "centrala Östersund under perioden oktober 2023 till februari 2024. Antalet "
                   "ingripanden som gäller ringa narkotikabrott vid Stortorget och resecentrum har ökat "
                   "med 30 procent jämfört med samma period föregående år.",
                   "Fältgruppen ser att yngre ungdomar, 14–16 år, dras in i försäljning via sociala "
                   "medier. Samverkan med skolorna sker genom SSPF (skola, socialtjänst, polis och "
                   "fritid). Enligt beslut i § 38/2023 ska lägesbilden lämnas till nämnden två gånger per år.",
                   "Mikael Berg, Polisen, och Sofia Lund, enhetschef, föredrar ärendet."],
             underlag=["Tjänsteskrivelse 2024-02-27", "Lägesbild centrala Östersund, Polisen region Mitt"],
             forslag=["Socialnämnden tar emot informationen och lägger den till handlingarna."],
             beslut=["Socialnämnden tar emot informationen och lägger den till handlingarna."],
             skickas=["Polisen lokalpolisområde Östersund", "Enheten för barn och unga"]),
        Item("§ 48", "Verksamhetsplan för det brottsförebyggande arbetet 2024", "SN 2023/0412",
             desc=["Socialnämnden ansvarar enligt reglementet för att samordna kommunens "
                   "brottsförebyggande arbete i samverkan med Polisen. Förvaltningen har tagit fram en "
                   "verksamhetsplan som bygger på medborgarlöftet för 2024 och på den lokala "
                   "lägesbilden.",
                   "Planen har tre fokusområden: narkotika i offentlig miljö, otrygghet kring "
                   "resecentrum kvällstid och motorburen ungdom på Odenslund. För varje område anges "
                   "ansvarig, aktivitet och hur uppföljningen ska ske."],
             underlag=["Tjänsteskrivelse 2024-02-20", "Förslag till verksamhetsplan 2024",
                       "Medborgarlöfte 2024 för Östersunds kommun"],
             forslag=["1. Socialnämnden antar verksamhetsplan för det brottsförebyggande arbetet 2024.",
                      "2. Verksamhetsplanen följs upp vid nämndens sammanträde i september 2024."],
             beslut=["1. Socialnämnden antar verksamhetsplan för det brottsförebyggande arbetet 2024.",
                     "2. Verksamhetsplanen följs upp vid nämndens sammanträde i september 2024."],
             skickas=["Kommunstyrelsen", "Polisen lokalpolisområde Östersund"]),
        Item("§ 49", "Uppföljning av ekonomiskt bistånd februari 2024", "SN 2024/0008",
             desc=["Kostnaderna för ekonomiskt bistånd uppgår till 18,4 miljoner kronor till och med "
                   "februari, vilket är 1,2 miljoner kronor mer än budget för perioden. Antalet hushåll "
                   "med försörjningsstöd har ökat från 1 104 till 1 187."],
             underlag=["Tjänsteskrivelse 2024-03-04", "Månadsrapport ekonomiskt bistånd"],
             beslut=["Socialnämnden godkänner uppföljningen."]),
        Item("§ 50", "Yttrande över motion om fältassistenter kvällstid", "SN 2023/0388",
             desc=["Jonas Ekman (C) har i en motion till kommunfullmäktige föreslagit att "
                   "fältassistenterna ska arbeta kvällstid även under vardagar i centrala Östersund. "
                   "Kommunstyrelsen har begärt socialnämndens yttrande.",
                   "Förvaltningen bedömer att utökad kvällstjänstgöring kräver två nya tjänster till en "
                   "kostnad om 1,4 miljoner kronor per år och att det saknas finansiering inom ram."],
             underlag=["Tjänsteskrivelse 2024-02-22", "Motion från Jonas Ekman (C) 2023-10-30"],
             forslag=["Socialnämnden överlämnar förvaltningens tjänsteskrivelse som sitt yttrande."],
             yrkanden=["Anna Forsberg (S) yrkar bifall till förvaltningens förslag.",
                       "Maria Holm (C) yrkar att nämnden ska tillstyrka motionen."],
             proposition="Ordföranden ställer förvaltningens förslag mot Maria Holms yrkande och finner "
                         "att socialnämnden beslutar enligt förvaltningens förslag.",
             beslut=["Socialnämnden överlämnar förvaltningens tjänsteskrivelse som sitt yttrande."],
             reservation="Maria Holm (C) reserverar sig mot beslutet till förmån för eget yrkande.",
             skickas=["Kommunstyrelsen"]),
        Item("§ 51", "Redovisning av delegationsbeslut", "SN 2024/0002",
             desc=["Förteckning över beslut fattade med stöd av delegation under februari 2024 "
                   "redovisas."],
             beslut=["Socialnämnden godkänner redovisningen av delegationsbeslut."]),
        Item("§ 52", "Meddelanden", "SN 2024/0003",
             desc=["Följande meddelanden redovisas:",
                   "- Inspektionen för vård och omsorg, beslut 2024-02-14 om tillsyn av HVB Granen.",
                   "- Kommunfullmäktige § 23/2024, Budget 2024 med plan för 2025–2026."],
             beslut=["Meddelandena läggs till handlingarna."]),
    ],
)


# --------------------------------------------------------------------------------------
# 2. Ciceron: Skellefteå, Kommunstyrelsen (title beside number, "forts." headers)
# --------------------------------------------------------------------------------------

SKELLEFTEA_KS = Meeting(
    key="ciceron-skelleftea-kommunstyrelsen-2023-11-28",
    family="heldout-ciceron", fmt="pdf", kind="minutes",
    body="Kommunstyrelsen", municipality="Skellefteå", date="2023-11-28",
    front={
        "org": "SKELLEFTEÅ KOMMUN",
        "plats": "Stadshuset, Ridderstads sal, tisdagen den 28 november 2023 kl. 09.00–15.40",
        "ledamoter": ["Lorents Burman (S), ordförande", "Ulrika Andersson (M)", "Peter Lundqvist (S)",
                      "Maria Sundqvist (C)", "Jan Nilsson (SD)", "Kristina Öhman (S)", "Tomas Berglund (KD)",
                      "Helena Marklund (V)", "Oskar Lindgren (S)"],
        "ersattare": ["Britt-Marie Nordlund (S) för Lars-Åke Holmgren (S)"],
        "ovriga": ["Kristina Sundin Jonsson, kommundirektör", "Ida Karlsson, kommunsekreterare",
                   "Fredrik Ekman, säkerhetschef, § 205"],
        "justerare": "Ulrika Andersson (M) och Maria Sundqvist (C)",
        "justering": "Stadshuset, 2023-12-04",
        "paragrafer": "§§ 203–210",
        "sekreterare": "Ida Karlsson", "ordforande": "Lorents Burman",
        "justerande": "Ulrika Andersson    Maria Sundqvist",
        "anslag_upp": "2023-12-05", "anslag_ned": "2023-12-27",
        "forvaring": "Kommunledningskontoret, Stadshuset",
    },
    extra={"title_inline": True, "forts": True},
    items=[
        Item("§ 203", "Fastställande av föredragningslista",
             beslut=["Föredragningslistan fastställs."]),
        Item("§ 204", "Budget 2024 och verksamhetsplan 2024–2026 för Skellefteå kommun", "KS-2023-00612",
             desc=["Kommunledningskontoret har sammanställt förslag till budget för 2024 och "
                   "verksamhetsplan för åren 2024–2026. Förslaget bygger på ett resultat om 2 procent "
                   "av skatteintäkter och generella statsbidrag och en oförändrad skattesats om "
                   "22,89 kronor.",
                   "Nämndernas ramar räknas upp med 2,5 procent. Socialnämnden tillförs därutöver 35 "
                   "miljoner kronor för ökade volymer inom äldreomsorgen. Investeringsbudgeten uppgår till "
                   "1 450 miljoner kronor, varav 620 miljoner kronor avser skolor och förskolor i "
                   "centrala Skellefteå."],
             underlag=["Tjänsteskrivelse 2023-11-10", "Förslag till budget 2024 och verksamhetsplan 2024–2026",
                       "Protokollsutdrag från kommunstyrelsens arbetsutskott 2023-11-14, § 311"],
             forslag=["Kommunstyrelsen föreslår kommunfullmäktige besluta",
                      "1. Skattesatsen för 2024 fastställs till 22,89 kronor.",
                      "2. Budget 2024 och verksamhetsplan 2024–2026 fastställs.",
                      "3. Kommunstyrelsen får rätt att under 2024 nyupplåna 900 miljoner kronor."],
             yrkanden=["Lorents Burman (S) yrkar bifall till arbetsutskottets förslag.",
                       "Ulrika Andersson (M) yrkar bifall till Moderaternas budgetförslag.",
                       "Jan Nilsson (SD) yrkar bifall till Sverigedemokraternas budgetförslag."],
             proposition="Ordföranden ställer först Moderaternas och Sverigedemokraternas förslag mot "
                         "varandra och finner att Moderaternas förslag är motförslag. Därefter ställs "
                         "arbetsutskottets förslag mot Moderaternas förslag och ordföranden finner att "
                         "kommunstyrelsen beslutar enligt arbetsutskottets förslag.",
             beslut=["Kommunstyrelsen föreslår kommunfullmäktige besluta",
                     "1. Skattesatsen för 2024 fastställs till 22,89 kronor.",
                     "2. Budget 2024 och verksamhetsplan 2024–2026 fastställs.",
                     "3. Kommunstyrelsen får rätt att under 2024 nyupplåna 900 miljoner kronor."],
             reservation="Ulrika Andersson (M), Tomas Berglund (KD) och Jan Nilsson (SD) reserverar sig "
                         "mot beslutet till förmån för egna yrkanden.",
             skickas=["Kommunfullmäktige"]),
        Item("§ 205", "Medborgarlöfte 2024 mellan Skellefteå kommun och Polisen", "KS-2023-00871",
             desc=["Skellefteå kommun och lokalpolisområde Skellefteå har sedan 2017 tecknat "
                   "medborgarlöften. Löftet för 2024 bygger på medborgardialoger under hösten och på "
                   "den gemensamma lägesbilden. Otrygghet i centrum kvällstid, motorburen ungdom på "
                   "Kanalgatan och skadegörelse i form av klotter vid Campus lyfts fram.",
                   "Kommunen lovar att genomföra minst fyra trygghetsvandringar, att öka "
                   "belysningen i gångtunnlarna vid Lasarettsvägen och att sanera anmält klotter inom 48 "
                   "timmar. Polisen lovar att genomföra riktade trafikkontroller av EPA- och A-traktorer "
                   "fredag och lördag kväll under perioden april–september.",
                   "Fredrik Ekman, säkerhetschef, föredrar ärendet."],
             underlag=["Tjänsteskrivelse 2023-11-08", "Medborgarlöfte 2024, Skellefteå",
                       "Sammanställning av medborgardialoger hösten 2023"],
             forslag=["Kommunstyrelsen godkänner medborgarlöfte 2024 och uppdrar åt kommundirektören att "
                      "underteckna löftet."],
             beslut=["Kommunstyrelsen godkänner medborgarlöfte 2024 och uppdrar åt kommundirektören att "
                     "underteckna löftet."],
             anteckning="Helena Marklund (V) lämnar en protokollsanteckning: Vi ser gärna att "
                        "medborgarlöftet i större utsträckning riktar sig till ungdomar i ytterområdena.",
             skickas=["Polisen lokalpolisområde Skellefteå", "Samhällsbyggnadsförvaltningen",
                      "Fritidsförvaltningen"]),
        Item("§ 206", "Detaljplan för del av Morö Backe 2:4, kvarteret Tallen", "KS-2022-00540",
             desc=["Planens syfte är att möjliggöra cirka 120 nya bostäder i flerbostadshus samt en "
                   "förskola med sex avdelningar. Planförslaget har varit utställt för granskning "
                   "under tiden 4 september–2 oktober 2023. Inkomna synpunkter har sammanställts i ett "
                   "granskningsutlåtande."],
             underlag=["Tjänsteskrivelse 2023-11-02", "Plankarta med bestämmelser", "Planbeskrivning",
                       "Granskningsutlåtande 2023-10-20"],
             forslag=["Kommunstyrelsen föreslår kommunfullmäktige att anta detaljplan för del av Morö "
                      "Backe 2:4, kvarteret Tallen."],
             beslut=["Kommunstyrelsen föreslår kommunfullmäktige att anta detaljplan för del av Morö "
                     "Backe 2:4, kvarteret Tallen."],
             skickas=["Kommunfullmäktige", "Samhällsbyggnadsförvaltningen"]),
        Item("§ 207", "Svar på medborgarförslag om fler papperskorgar och belysning i Nordanåparken",
             "KS-2023-00317",
             desc=["I ett medborgarförslag föreslås att kommunen sätter upp fler papperskorgar och "
                   "bättre belysning i Nordanåparken, eftersom området upplevs som otryggt och "
                   "nedskräpat kvällstid. Samhällsbyggnadsförvaltningen planerar att byta belysningen "
                   "längs gångstråket under 2024 inom befintlig budget."],
             forslag=["Medborgarförslaget anses besvarat."],
             beslut=["Medborgarförslaget anses besvarat."],
             skickas=["Förslagsställaren", "Samhällsbyggnadsförvaltningen"]),
        Item("§ 208", "Revidering av riktlinjer för kameraövervakning", "KS-2023-00755",
             desc=["Riktlinjerna för kommunens kameraövervakning behöver anpassas till "
                   "kamerabevakningslagen (2018:1200) och till Integritetsskyddsmyndighetens praxis. "
                   "Förslaget klargör ansvar, gallringsfrister och hur behovet av bevakning ska prövas "
                   "innan tillstånd söks, bland annat vid resecentrum och Campus."],
             underlag=["Tjänsteskrivelse 2023-10-30", "Förslag till reviderade riktlinjer"],
             beslut=["Kommunstyrelsen antar reviderade riktlinjer för kameraövervakning."],
             skickas=["Samtliga förvaltningar"]),
        Item("§ 209", "Delegationsbeslut",
             desc=["Redovisning av beslut fattade med stöd av delegation under perioden 2023-10-17 – "
                   "2023-11-20."],
             beslut=["Redovisningen godkänns."]),
        Item("§ 210", "Anmälningsärenden",
             desc=["Protokoll från kommunstyrelsens arbetsutskott 2023-11-14 samt protokoll från "
                   "Brottsförebyggande rådet 2023-11-06 anmäls."],
             beslut=["Anmälningsärendena läggs till handlingarna."]),
    ],
)


# --------------------------------------------------------------------------------------
# 3. Lex/Formpipe: Ronneby, Miljö- och byggnadsnämnden (margin column)
# --------------------------------------------------------------------------------------

RONNEBY_MBN = Meeting(
    key="lex-ronneby-miljo-och-byggnadsnamnden-2024-04-17",
    family="heldout-lex", fmt="pdf", kind="minutes",
    body="Miljö- och byggnadsnämnden", municipality="Ronneby", date="2024-04-17",
    front={
        "org": "Ronneby kommun",
        "plats": "Stadshuset, sammanträdesrum Ronnebyån, onsdagen den 17 april 2024, kl. 13:00–16:45",
        "ledamoter": ["Kenneth Michaelsson (C), ordförande", "Anna Carlbrant (S), vice ordförande",
                      "Ola Robertsson (SD)", "Peter Bowin (V)", "Lova Necksten (MP)", "Roger Gardell (L)",
                      "Johnny Håkansson (M)"],
        "ersattare": ["Lars Sandberg (SD) ersätter Nicolas Westrup (SD)"],
        "ovriga": ["Ulrika Svensson, förvaltningschef", "Matilda Wahlström, planarkitekt, § 36",
                   "Jenny Persson, nämndsekreterare"],
        "justerare": "Anna Carlbrant (S)",
        "justering": "2024-04-22, Miljö- och byggnadsförvaltningen",
        "paragrafer": "§§ 34–41",
        "sekreterare": "Jenny Persson", "ordforande": "Kenneth Michaelsson", "justerande": "Anna Carlbrant",
        "anslag_upp": "2024-04-23", "anslag_ned": "2024-05-15",
        "forvaring": "Miljö- och byggnadsförvaltningen",
    },
    items=[
        Item("§ 34", "Val av justerare",
             beslut=["Miljö- och byggnadsnämnden utser Anna Carlbrant (S) att justera protokollet."]),
        Item("§ 35", "Information från förvaltningen", "MBN 2024-000004",
             desc=["Förvaltningschefen informerar om handläggningstider för bygglov, som under första "
                   "kvartalet i medeltal var fyra veckor, och om rekryteringen av två "
                   "miljöinspektörer."],
             beslut=["Miljö- och byggnadsnämnden tar emot informationen."]),
        Item("§ 36", "Detaljplan för Kalleberga 24:1 m.fl., samrådsbeslut", "MBN 2023-000412",
             desc=["Planområdet ligger i Kallinge cirka 300 meter söder om centrum. Syftet med planen är "
                   "att pröva lämpligheten för bostäder i form av radhus och mindre flerbostadshus "
                   "samt att säkerställa en allmän gång- och cykelväg mot Kallinge centrum.",
                   "Planen handläggs med standardförfarande enligt plan- och bygglagen (2010:900). "
                   "Matilda Wahlström, planarkitekt, föredrar ärendet."],
             underlag=["Tjänsteskrivelse 2024-04-02", "Plankarta", "Planbeskrivning", "Behovsbedömning"],
             forslag=["Miljö- och byggnadsnämnden beslutar att skicka ut förslag till detaljplan för "
                      "Kalleberga 24:1 m.fl. på samråd."],
             beslut=["Miljö- och byggnadsnämnden beslutar att skicka ut förslag till detaljplan för "
                     "Kalleberga 24:1 m.fl. på samråd."],
             skickas=["Planenheten"]),
        Item("§ 37", "Strandskyddsdispens för komplementbyggnad på fastigheten Järnavik 3:18",
             "MBN 2024-000056",
             desc=["Sökanden ansöker om strandskyddsdispens för uppförande av ett förråd om 15 "
                   "kvadratmeter inom 100 meter från strandlinjen. Platsen är redan ianspråktagen "
                   "som hemfridszon till bostadshuset."],
             underlag=["Ansökan inkommen 2024-02-12", "Situationsplan", "Tjänsteskrivelse 2024-03-28"],
             forslag=["Dispens medges med stöd av 7 kap. 18 c § punkt 1 miljöbalken."],
             yrkanden=["Lova Necksten (MP) yrkar avslag på ansökan.",
                       "Kenneth Michaelsson (C) yrkar bifall till förvaltningens förslag."],
             proposition="Ordföranden ställer förslagen mot varandra och finner att nämnden bifaller "
                         "förvaltningens förslag.",
             beslut=["Dispens medges med stöd av 7 kap. 18 c § punkt 1 miljöbalken."],
             reservation="Lova Necksten (MP) reserverar sig mot beslutet.",
             skickas=["Sökanden", "Länsstyrelsen Blekinge län"]),
        Item("§ 38", "Riktlinje för sanering av klotter och skadegörelse på allmän plats", "MBN 2024-000071",
             desc=["Antalet anmälda klotterskador på kommunens fastigheter och på allmän plats har "
                   "ökat, främst i Ronneby centrum och vid Ronneby station. Förvaltningen föreslår en "
                   "riktlinje som innebär att klotter med kränkande innehåll ska saneras inom 24 "
                   "timmar och övrigt klotter inom fem arbetsdagar.",
                   "Riktlinjen har tagits fram i samråd med tekniska förvaltningen, AB Ronnebyhus och "
                   "kommunens brottsförebyggande råd."],
             underlag=["Tjänsteskrivelse 2024-03-25", "Förslag till riktlinje"],
             beslut=["1. Miljö- och byggnadsnämnden antar riktlinje för sanering av klotter och "
                     "skadegörelse på allmän plats.",
                     "2. Riktlinjen gäller från och med 2024-05-01."],
             skickas=["Tekniska förvaltningen", "AB Ronnebyhus", "Brottsförebyggande rådet"]),
        Item("§ 39", "Tillsynsplan för miljö- och hälsoskydd 2024", "MBN 2024-000019",
             desc=["Enligt miljötillsynsförordningen (2011:13) ska nämnden varje år fastställa en "
                   "tillsynsplan. Planen omfattar bland annat tillsyn av enskilda avlopp i Listerby "
                   "och Johannishus samt en projektinriktad tillsyn av tobaks- och "
                   "receptfria läkemedelsförsäljare."],
             beslut=["Miljö- och byggnadsnämnden fastställer tillsynsplan för miljö- och hälsoskydd 2024."]),
        Item("§ 40", "Delegationsbeslut",
             desc=["Redovisning av delegationsbeslut fattade under perioden 2024-03-01 – 2024-03-31."],
             beslut=["Redovisningen läggs till handlingarna."]),
        Item("§ 41", "Meddelanden",
             desc=["Länsstyrelsens beslut 2024-03-19 om överprövning av bygglov på Vambåsa 4:12 "
                   "redovisas."],
             beslut=["Meddelandena läggs till handlingarna."]),
    ],
)


# --------------------------------------------------------------------------------------
# 4. Lex/Formpipe: Ludvika, Kommunfullmäktige (margin, long wrapped titles, appendix)
# --------------------------------------------------------------------------------------

LUDVIKA_KF = Meeting(
    key="lex-ludvika-kommunfullmaktige-2024-06-17",
    family="heldout-lex", fmt="pdf", kind="minutes",
    body="Kommunfullmäktige", municipality="Ludvika", date="2024-06-17",
    extra={"appendix": True},
    front={
        "org": "Ludvika kommun",
        "plats": "Folkets hus, Lyktan, måndagen den 17 juni 2024 kl. 18.00–21.50",
        "ledamoter": ["Enligt bifogad närvaro- och omröstningslista, Bilaga 1"],
        "ersattare": ["Enligt Bilaga 1"],
        "ovriga": ["Mats Sjöström, kommundirektör", "Therese Hedberg, kommunsekreterare"],
        "justerare": "Annika Hoffman (M) och Ronny Hedlund (S)",
        "justering": "Kommunkansliet, 2024-06-24",
        "paragrafer": "§§ 87–94",
        "sekreterare": "Therese Hedberg", "ordforande": "Bo Brännström",
        "justerande": "Annika Hoffman    Ronny Hedlund",
        "anslag_upp": "2024-06-25", "anslag_ned": "2024-07-17",
        "forvaring": "Kommunkansliet, Stadshuset",
    },
    items=[
        Item("§ 87", "Upprop och val av justerare",
             desc=["Upprop förrättas. 45 ledamöter är närvarande enligt Bilaga 1."],
             beslut=["Kommunfullmäktige utser Annika Hoffman (M) och Ronny Hedlund (S) att justera "
                     "protokollet."]),
        Item("§ 88", "Allmänhetens frågestund",
             desc=["Inga frågor har anmälts till dagens frågestund."],
             beslut=["Informationen noteras."]),
        Item("§ 89", "Årsredovisning 2023 för Ludvika kommun och kommunkoncernen", "KS 2024/0118",
             desc=["Kommunens resultat för 2023 uppgår till 41,2 miljoner kronor och koncernens till "
                   "96,7 miljoner kronor. Balanskravsresultatet är positivt. Av de elva finansiella och "
                   "verksamhetsmässiga målen har sju uppnåtts helt och tre delvis."],
             underlag=["Kommunstyrelsens protokoll 2024-05-21, § 102", "Årsredovisning 2023"],
             beslut=["Kommunfullmäktige godkänner årsredovisning 2023 för Ludvika kommun och "
                     "kommunkoncernen."]),
        Item("§ 90", "Ansvarsfrihet för kommunstyrelsen och nämnderna för verksamhetsåret 2023",
             "KS 2024/0131",
             desc=["Revisorerna tillstyrker i sin revisionsberättelse att styrelse och nämnder "
                   "beviljas ansvarsfrihet. Ledamöter som omfattas av prövningen deltar inte i "
                   "beslutet."],
             beslut=["Kommunfullmäktige beviljar kommunstyrelsen och nämnderna ansvarsfrihet för "
                     "verksamhetsåret 2023."]),
        Item("§ 91", "Svar på motion från Sverigedemokraterna om trygghetskameror vid Ludvika resecentrum "
                     "och i Marnäsparken", "KS 2023/0456",
             desc=["Sverigedemokraterna föreslår i en motion att kommunen ska ansöka om tillstånd för "
                   "kamerabevakning vid resecentrum och i Marnäsparken. Kommunstyrelsen konstaterar "
                   "att kommunen sedan 2023 har kamerabevakning vid resecentrum och att Polisen "
                   "bedömer att brottsligheten i Marnäsparken inte motiverar bevakning i dag."],
             underlag=["Kommunstyrelsens protokoll 2024-05-21, § 109", "Motion 2023-09-25"],
             forslag=["Motionen avslås."],
             yrkanden=["Anders Wallin (SD) yrkar bifall till motionen.",
                       "Ronny Hedlund (S) yrkar bifall till kommunstyrelsens förslag."],
             proposition="Ordföranden ställer proposition på yrkandena och finner att fullmäktige "
                         "bifaller kommunstyrelsens förslag. Votering begärs och genomförs. Den som "
                         "bifaller kommunstyrelsens förslag röstar ja, den som bifaller motionen röstar "
                         "nej. Omröstningen utfaller med 34 ja-röster och 11 nej-röster, se Bilaga 1.",
             beslut=["Motionen avslås."],
             reservation="Sverigedemokraternas ledamöter reserverar sig mot beslutet.",
             skickas=["Motionären"]),
        Item("§ 92", "Medborgarförslag om belysning i gångtunneln vid Lyviksberget", "KS 2024/0203",
             desc=["Ett medborgarförslag har inkommit om att förbättra belysningen i gångtunneln vid "
                   "Lyviksberget, som upplevs som otrygg kvällstid."],
             beslut=["Medborgarförslaget överlämnas till kommunstyrelsen för beredning."],
             skickas=["Kommunstyrelsen"]),
        Item("§ 93", "Val av ersättare i Brottsförebyggande rådet efter Lena Ahlgren (L)", "KS 2024/0022",
             desc=["Lena Ahlgren (L) har begärt entledigande från uppdraget som ersättare i "
                   "Brottsförebyggande rådet."],
             beslut=["1. Lena Ahlgren (L) entledigas från uppdraget.",
                     "2. Till ny ersättare för tiden till och med 2026-12-31 väljs Jan Persson (L)."],
             skickas=["Den valda", "Brottsförebyggande rådet", "Löneenheten"]),
        Item("§ 94", "Anmälan av nya motioner och interpellationer",
             desc=["Följande anmäls: motion från Vänsterpartiet om fritidsgårdarnas öppettider "
                   "sommartid; interpellation från Moderaterna om trygghetsvärdar i centrum."],
             beslut=["Motionen överlämnas till kommunstyrelsen för beredning. Interpellationen får "
                     "ställas och besvaras vid nästa sammanträde."]),
    ],
)


# --------------------------------------------------------------------------------------
# 5. Platina: Tranås, Kommunstyrelsen ("KS § 112   Dnr KS 2023/415")
# --------------------------------------------------------------------------------------

TRANAS_KS = Meeting(
    key="platina-tranas-kommunstyrelsen-2023-11-06",
    family="heldout-platina", fmt="pdf", kind="minutes",
    body="Kommunstyrelsen", municipality="Tranås", date="2023-11-06",
    agenda_list=True,
    extra={"prefix": "KS"},
    front={
        "org": "Tranås kommun",
        "plats": "Stadshuset, sessionssalen, 2023-11-06 kl. 08:30–12:00",
        "ledamoter": ["Ann-Katrin Löfgren (M), ordförande", "Stefan Vaskovic (S), vice ordförande",
                      "Eva Hedberg (KD)", "Jonas Ferm (SD)", "Madeleine Sjöberg (S)", "Johan Ottosson (C)",
                      "Lars Stenbäck (L)"],
        "ersattare": ["Anders Tegnér (S) tjänstgör för Lise Johansson (S)"],
        "ovriga": ["Martin Ekström, kommundirektör", "Caroline Ljung, kommunsekreterare",
                   "Jesper Svensson, ekonomichef, § 113", "Sara Lindahl, säkerhetssamordnare, §§ 114, 117"],
        "justerare": "Stefan Vaskovic (S)",
        "justering": "Kommunkansliet 2023-11-09",
        "paragrafer": "112–119",
        "sekreterare": "Caroline Ljung", "ordforande": "Ann-Katrin Löfgren", "justerande": "Stefan Vaskovic",
        "anslag_upp": "2023-11-10", "anslag_ned": "2023-12-02",
        "forvaring": "Kommunkansliet",
    },
    items=[
        Item("§ 112", "Godkännande av dagordning", "KS 2023/6",
             beslut=["Dagordningen godkänns."]),
        Item("§ 113", "Budget 2024 och plan 2025–2026", "KS 2023/329",
             desc=["Budgetberedningen har lämnat förslag till budget 2024 och plan för 2025–2026. "
                   "Förslaget innebär ett resultat om 14,3 miljoner kronor för 2024. Skattesatsen "
                   "föreslås vara oförändrad, 22,41 kronor."],
             underlag=["Tjänsteskrivelse 2023-10-23", "Budget 2024 och plan 2025–2026"],
             forslag=["Kommunstyrelsen föreslår kommunfullmäktige att fastställa budget 2024 och plan "
                      "2025–2026 samt skattesatsen 22,41 kronor."],
             yrkanden=["Madeleine Sjöberg (S) yrkar bifall till Socialdemokraternas budgetförslag.",
                       "Ann-Katrin Löfgren (M) yrkar bifall till förslaget."],
             proposition="Ordföranden ställer förslagen mot varandra och finner att kommunstyrelsen "
                         "bifaller budgetberedningens förslag.",
             beslut=["Kommunstyrelsen föreslår kommunfullmäktige att fastställa budget 2024 och plan "
                     "2025–2026 samt skattesatsen 22,41 kronor."],
             reservation="Socialdemokraternas ledamöter reserverar sig mot beslutet till förmån för "
                         "eget yrkande.",
             skickas=["Kommunfullmäktige"]),
        Item("§ 114", "Svar på motion om åtgärder mot motorburen ungdom i centrum", "KS 2023/415",
             desc=["Jonas Ferm (SD) föreslår i en motion att kommunen ska införa lokala "
                   "trafikföreskrifter som förbjuder EPA- och A-traktorer att stanna på Storgatan "
                   "mellan klockan 22 och 05 under fredagar och lördagar.",
                   "Säkerhetssamordnaren har, i samråd med Polisen och tekniska förvaltningen, utrett "
                   "frågan. Samrådet visar att problemen med motorburen ungdom främst uppstår på "
                   "parkeringen vid Tranåsbadet och att en lokal trafikföreskrift för Storgatan "
                   "riskerar att flytta problemen. I stället föreslås fältarbete kvällstid och en "
                   "dialogträff med ungdomar och vårdnadshavare under våren 2024."],
             underlag=["Tjänsteskrivelse 2023-10-18", "Motion från Jonas Ferm (SD) 2023-03-27",
                       "Kommunstyrelsens arbetsutskotts protokoll 2023-10-23, § 201"],
             forslag=["Motionen anses besvarad."],
             yrkanden=["Jonas Ferm (SD) yrkar bifall till motionen.",
                       "Eva Hedberg (KD) yrkar bifall till arbetsutskottets förslag."],
             proposition="Ordföranden ställer proposition på arbetsutskottets förslag och Jonas Ferms "
                         "yrkande och finner att kommunstyrelsen bifaller arbetsutskottets förslag.",
             beslut=["Kommunstyrelsen föreslår kommunfullmäktige att anse motionen besvarad."],
             reservation="Jonas Ferm (SD) reserverar sig mot beslutet.",
             skickas=["Kommunfullmäktige"]),
        Item("§ 115", "Detaljplan för del av Norrmalm 3:1, Ängaryd", "KS 2022/188",
             desc=["Syftet med detaljplanen är att möjliggöra verksamheter och lättare industri i "
                   "anslutning till riksväg 32. Planen har varit föremål för granskning. Trafikverket "
                   "har inga invändningar."],
             underlag=["Tjänsteskrivelse 2023-10-12", "Planhandlingar", "Granskningsutlåtande"],
             beslut=["Kommunstyrelsen föreslår kommunfullmäktige att anta detaljplan för del av Norrmalm "
                     "3:1, Ängaryd."],
             skickas=["Kommunfullmäktige", "Samhällsbyggnadsförvaltningen"]),
        Item("§ 116", "Taxor och avgifter 2024 för kommunstyrelsens verksamheter", "KS 2023/351",
             desc=["Taxorna räknas upp med prisindex för kommunal verksamhet, 3,8 procent. Taxan för "
                   "uthyrning av Tranås stadshus festsal höjs därutöver med 500 kronor per tillfälle."],
             beslut=["Kommunstyrelsen föreslår kommunfullmäktige att anta taxor och avgifter 2024."],
             skickas=["Kommunfullmäktige"]),
        Item("§ 117", "Rapport från trygghetsvandringar hösten 2023", "KS 2023/402",
             desc=["Under september och oktober genomfördes trygghetsvandringar i Södra Vi, Norrby och "
                   "centrum tillsammans med Polisen, Tranåsbostäder och boende. Sammanlagt 46 "
                   "synpunkter lämnades, främst om trasig belysning, buskage vid gångstråk och "
                   "klotter vid järnvägsstationen.",
                   "Tekniska förvaltningen har åtgärdat 28 av synpunkterna. Resterande ingår i "
                   "investeringsplanen för 2024."],
             beslut=["Kommunstyrelsen tar emot rapporten."],
             skickas=["Tekniska förvaltningen", "Tranåsbostäder AB"]),
        Item("§ 118", "Redovisning av delegationsbeslut", "KS 2023/7",
             beslut=["Redovisningen godkänns."]),
        Item("§ 119", "Meddelanden", "KS 2023/8",
             desc=["Cirkulär 23:41 från Sveriges Kommuner och Regioner om budgetförutsättningar för "
                   "åren 2023–2027."],
             beslut=["Meddelandena läggs till handlingarna."]),
    ],
)


# --------------------------------------------------------------------------------------
# 6. Platina: Härnösand, Utbildningsnämnden (title on the number line, dnr right)
# --------------------------------------------------------------------------------------

HARNOSAND_UN = Meeting(
    key="platina-harnosand-utbildningsnamnden-2024-02-08",
    family="heldout-platina", fmt="pdf", kind="minutes",
    body="Utbildningsnämnden", municipality="Härnösand", date="2024-02-08",
    extra={"prefix": "UN", "inline": True},
    front={
        "org": "Härnösands kommun",
        "plats": "Rådhuset, sal Mittpunkten, 8 februari 2024 kl. 13.15–16.30",
        "ledamoter": ["Fredrik Bergström (S), ordförande", "Maria Nordin (M)", "Leif Nyström (C)",
                      "Anneli Svahn (SD)", "Hampus Forsberg (S)"],
        "ersattare": ["Linda Hedman (V) ersättare för Nils Olsson (V)"],
        "ovriga": ["Jonas Nygren, förvaltningschef", "Malin Viklund, nämndsekreterare",
                   "Emma Ångman, skolkurator, § 9"],
        "justerare": "Maria Nordin (M)",
        "justering": "Utbildningsförvaltningen 2024-02-13",
        "paragrafer": "§§ 7–13",
        "sekreterare": "Malin Viklund", "ordforande": "Fredrik Bergström", "justerande": "Maria Nordin",
        "anslag_upp": "2024-02-14", "anslag_ned": "2024-03-07",
        "forvaring": "Utbildningsförvaltningen",
    },
    items=[
        Item("§ 7", "Val av justerare",
             beslut=["Maria Nordin (M) utses att justera protokollet."]),
        Item("§ 8", "Ekonomisk uppföljning januari 2024", "UN 2024/12",
             desc=["Nämnden har en prognos om ett underskott på 3,2 miljoner kronor för helåret, "
                   "främst inom gymnasieskolans interkommunala ersättningar."],
             beslut=["Utbildningsnämnden godkänner den ekonomiska uppföljningen."]),
        Item("§ 9", "Elevhälsans lägesbild om narkotika och droger bland gymnasieelever", "UN 2024/19",
             desc=["Elevhälsan redovisar resultat från drogvaneenkäten för årskurs 2 på gymnasiet. "
                   "Andelen elever som uppger att de någon gång använt narkotika har ökat från 9 till "
                   "13 procent. Skolan samverkar med socialtjänstens fältgrupp och Polisen inom "
                   "ramen för SSPF.",
                   "Emma Ångman, skolkurator, föredrar ärendet."],
             beslut=["Utbildningsnämnden tar emot informationen."],
             skickas=["Socialnämnden", "Brottsförebyggande rådet"]),
        Item("§ 10", "Skolplacering och upptagningsområden för förskoleklass hösten 2024", "UN 2023/221",
             desc=["Förvaltningen föreslår att upptagningsområdet för Högslättens skola justeras så att "
                   "Saltviksområdet i stället tillhör Brännans skola."],
             forslag=["Utbildningsnämnden fastställer förändrade upptagningsområden från hösten 2024."],
             beslut=["Utbildningsnämnden fastställer förändrade upptagningsområden från hösten 2024."],
             skickas=["Rektorer berörda skolor"]),
        Item("§ 11", "Handlingsplan mot skadegörelse och klotter i skolans lokaler", "UN 2024/03",
             desc=["Skadegörelsen i skolans lokaler kostade 1,1 miljoner kronor under 2023. "
                   "Handlingsplanen innebär att all skadegörelse polisanmäls, att klotter saneras inom "
                   "ett dygn och att eleverna involveras i trivselråd."],
             beslut=["Utbildningsnämnden antar handlingsplanen."]),
        Item("§ 12", "Delegationsbeslut", "UN 2024/1",
             beslut=["Redovisningen godkänns."]),
        Item("§ 13", "Anmälningsärenden", "UN 2024/2",
             desc=["Skolinspektionens beslut 2024-01-22 efter kvalitetsgranskning av Härnösands "
                   "gymnasium anmäls."],
             beslut=["Anmälningsärendena läggs till handlingarna."]),
    ],
)


# --------------------------------------------------------------------------------------
# 7. W3D3: Vimmerby, Socialnämnden ("§ 14 Dnr 2024.012 SN")
# --------------------------------------------------------------------------------------

VIMMERBY_SN = Meeting(
    key="w3d3-vimmerby-socialnamnden-2024-02-21",
    family="heldout-w3d3", fmt="pdf", kind="minutes",
    body="Socialnämnden", municipality="Vimmerby", date="2024-02-21",
    front={
        "org": "VIMMERBY KOMMUN",
        "plats": "Kommunhuset, Rådhussalen, onsdag 21 februari 2024 kl. 09:00–14:30",
        "ledamoter": ["Ulrika Blomqvist (C), ordförande", "Nils-Erik Jonsson (S)", "Åsa Gustafsson (M)",
                      "Rolf Axelsson (SD)", "Ingrid Fält (KD)"],
        "ersattare": ["Magnus Carlsson (S) ersätter Kristina Sandberg (S)"],
        "ovriga": ["Jenny Lindberg, socialchef", "Kjell Petersson, sekreterare",
                   "Hanna Rosén, IFO-chef §§ 16–17"],
        "justerare": "Nils-Erik Jonsson (S)",
        "justering": "2024-02-26",
        "paragrafer": "14–20",
        "sekreterare": "Kjell Petersson", "ordforande": "Ulrika Blomqvist", "justerande": "Nils-Erik Jonsson",
        "anslag_upp": "2024-02-27", "anslag_ned": "2024-03-20",
        "forvaring": "Socialförvaltningen",
    },
    items=[
        Item("§ 14", "Fastställande av dagordning", None,
             beslut=["Dagordningen fastställs."]),
        Item("§ 15", "Månadsuppföljning ekonomi januari 2024", "2024.012 SN",
             desc=["Socialnämnden redovisar ett överskott om 0,4 miljoner kronor efter januari. "
                   "Kostnaderna för externa placeringar av barn och unga är lägre än budgeterat."],
             beslut=["Socialnämnden godkänner månadsuppföljningen."]),
        Item("§ 16", "Lägesbild ungdomar och narkotika i Vimmerby tätort", "2024.019 SN",
             desc=["IFO-chefen redovisar att socialtjänsten under 2023 tog emot 64 orosanmälningar som "
                   "gällde ungdomar och narkotika, jämfört med 41 året innan. Ökningen märks främst "
                   "kring Stångåvallen och busstationen under helgkvällar.",
                   "Samverkan sker i EST-gruppen (Effektiv samordning för trygghet) varannan vecka."],
             beslut=["Socialnämnden tar emot lägesbilden."]),
        Item("§ 17", "Avtal om samverkan kring unga lagöverträdare med Polisen i Kalmar län", "2023.244 SN",
             desc=["Avtalet reglerar hur socialtjänsten och Polisen samverkar vid förhör med barn "
                   "under 18 år och hur snabba insatser ska sättas in efter brott. Avtalet gäller "
                   "2024-03-01 – 2026-02-28."],
             forslag=["Socialnämnden godkänner avtalet och ger socialchefen i uppdrag att teckna det."],
             beslut=["Socialnämnden godkänner avtalet och ger socialchefen i uppdrag att teckna det."],
             skickas=["Polisen lokalpolisområde Västervik", "IFO"]),
        Item("§ 18", "Internkontrollplan 2024", "2024.006 SN",
             desc=["Internkontrollplanen omfattar kontroll av att utredningstider hålls inom "
                   "barnavården, att attestregler följs och att placeringar följs upp enligt plan."],
             beslut=["Socialnämnden antar internkontrollplan 2024."]),
        Item("§ 19", "Rapportering av ej verkställda beslut kvartal 4 2023", "2024.002 SN",
             desc=["Två beslut om bostad med särskild service enligt LSS har inte verkställts inom tre "
                   "månader. Rapporten lämnas till Inspektionen för vård och omsorg och till "
                   "kommunfullmäktige."],
             beslut=["Socialnämnden godkänner rapporten och överlämnar den till kommunfullmäktige."],
             skickas=["Kommunfullmäktige", "IVO"]),
        Item("§ 20", "Delegationsbeslut och meddelanden", "2024.001 SN",
             beslut=["Redovisningen godkänns och meddelandena läggs till handlingarna."]),
    ],
)


# --------------------------------------------------------------------------------------
# 8. Two columns: Sandviken, Folkhälsorådet (numbered points, printed in two columns)
# --------------------------------------------------------------------------------------

SANDVIKEN_FHR = Meeting(
    key="twocolumn-sandviken-folkhalsoradet-2023-05-09",
    family="heldout-twocolumn", fmt="pdf", kind="minutes",
    body="Folkhälsorådet", municipality="Sandviken", date="2023-05-09",
    front={
        "org": "Sandvikens kommun",
        "plats": "Stadshuset, rum Göranssonska, 9 maj 2023 kl. 13.00–15.30",
        "ledamoter": ["Peter Kärnström (S), ordförande", "Åsa Jonsson (S)", "Tony Bengtsson (M)",
                      "Karin Holm, Region Gävleborg", "Ali Hassan, Polisen"],
        "ovriga": ["Sanna Wik, folkhälsostrateg (sekreterare)", "Jan Björk, drogförebyggande samordnare"],
        "justerare": "Tony Bengtsson (M)",
    },
    items=[
        Item("1", "Mötets öppnande",
             desc=["Ordföranden hälsar välkommen och förklarar mötet öppnat."]),
        Item("2", "Val av justerare",
             beslut=["Tony Bengtsson (M) utses att justera minnesanteckningarna."]),
        Item("3", "Föregående mötes anteckningar",
             desc=["Anteckningarna från 2023-02-14 gås igenom. Uppdraget att ta fram en "
                   "karta över mötesplatser för äldre är klart och presenteras i september."],
             beslut=["Anteckningarna läggs till handlingarna."]),
        Item("4", "ANDT-lägesbild: alkohol, narkotika, doping och tobak bland unga",
             desc=["Jan Björk redovisar resultat från Liv och hälsa ung. Andelen elever i årskurs 9 "
                   "som har använt narkotika ligger kvar på 6 procent, medan användningen av snus "
                   "bland flickor har fördubblats sedan 2020. Vitt snus säljs i butiker nära "
                   "skolorna i Sandviken centrum.",
                   "Polisen ser en ökad försäljning av cannabis via sociala medier till ungdomar. "
                   "Rådet diskuterar hur föräldrautbildningen Effekt kan nå fler vårdnadshavare."],
             beslut=["Rådet tar emot lägesbilden. Folkhälsostrategen bjuder in skolornas "
                     "elevhälsa till nästa möte."]),
        Item("5", "Trygghetsvandringar i Björksätra och Norrsätra",
             desc=["Under april genomfördes trygghetsvandringar med boende, Sandvikenhus och Polisen. "
                   "Synpunkterna gällde främst belysning vid Björksätra torg och mopeder som kör på "
                   "gång- och cykelvägar kvällstid. En åtgärdslista tas fram av tekniska kontoret."]),
        Item("6", "Medel för folkhälsoinsatser 2023",
             desc=["Rådet har 450 000 kronor att fördela. Fyra ansökningar har inkommit: "
                   "sommarlovsaktiviteter i Årsunda, nattvandrarföreningen, seniorträffar i Storvik "
                   "och en kampanj mot langning av alkohol."],
             beslut=["Rådet beviljar samtliga fyra ansökningar enligt förslag, totalt 390 000 kronor."]),
        Item("7", "Kampanj mot våld i nära relationer under hösten",
             desc=["Region Gävleborg och kommunen planerar en gemensam kampanj under vecka 47 med "
                   "affischer i kollektivtrafiken, information i vårdcentralernas väntrum och ett "
                   "öppet föredrag i Folkets hus. Kvinnojouren i Sandviken medverkar.",
                   "Karin Holm påpekar att kampanjen även bör nå äldre kvinnor och personer med "
                   "funktionsnedsättning, som sällan söker stöd. Rådet är enigt om att materialet "
                   "ska finnas på lätt svenska, arabiska, somaliska och tigrinja."],
             beslut=["Rådet ställer sig bakom kampanjen. Folkhälsostrategen återrapporterar i "
                     "december."]),
        Item("8", "Uppföljning av handlingsplanen för psykisk hälsa",
             desc=["Av planens tolv aktiviteter är åtta påbörjade. Utbildningen i första hjälpen "
                   "till psykisk hälsa har nått 140 anställda i skola och socialtjänst. Väntetiden "
                   "till ungdomsmottagningen har minskat från fyra till två veckor sedan januari.",
                   "Det saknas fortfarande en mötesplats för unga vuxna 18–25 år i Sandviken "
                   "centrum. Frågan lyfts till kommunstyrelsens budgetberedning."]),
        Item("9", "Information från Region Gävleborg om Liv och hälsa vuxen",
             desc=["Karin Holm presenterar de första resultaten från regionens enkät till vuxna. "
                   "Andelen som uppger nedsatt psykiskt välbefinnande är högre i Sandviken än i "
                   "länet som helhet, särskilt bland kvinnor 30–44 år. Andelen som röker dagligen "
                   "har fortsatt att minska och är nu 7 procent.",
                   "Skillnaderna mellan stadsdelarna är stora. I Björksätra och Nordanbäck uppger "
                   "nästan var tredje invånare att de avstått från att gå ut ensam på kvällen av "
                   "oro för att bli utsatt för brott. Rådet diskuterar hur resultaten kan användas i "
                   "arbetet med medborgarlöftet och i kommunens trygghetsskapande arbete.",
                   "Regionen erbjuder en fördjupad analys på stadsdelsnivå under hösten."],
             beslut=["Rådet tar emot informationen och ber om den fördjupade analysen till mötet i "
                     "december."]),
        Item("10", "Övriga frågor och nästa möte",
             desc=["Ali Hassan informerar om att Polisen genomför en trafikinsats mot mopeder och "
                   "EPA-traktorer i centrum under maj och juni.",
                   "Nästa möte hålls 12 september 2023 kl. 13.00 i Stadshuset."]),
    ],
)


# --------------------------------------------------------------------------------------
# 9. NetPublicator: Kalix, Kommunfullmäktige (title on the number line, dnr below)
# --------------------------------------------------------------------------------------

KALIX_KF = Meeting(
    key="netpublicator-kalix-kommunfullmaktige-2024-05-27",
    family="heldout-netpublicator", fmt="pdf", kind="minutes",
    body="Kommunfullmäktige", municipality="Kalix", date="2024-05-27",
    agenda_list=True,
    front={
        "org": "Kalix kommun",
        "plats": "Kalix Folkets hus, Stora salen, kl. 09:00–15:15",
        "ledamoter": ["Kenneth Mäkitalo (S), ordförande", "Catarina Sandlund (S)", "Tommy Nilsson (SD)",
                      "Ingela Nordström (C)", "Mattias Dahlberg (M)", "Stina Tiensuu (V)", "Peter Lauri (S)"],
        "ersattare": ["Jan-Olov Eriksson (S) för Margareta Henricsson (S)"],
        "ovriga": ["Erik Janhagen, kommunchef", "Linda Bergqvist, nämndsekreterare"],
        "justerare": "Ingela Nordström (C) och Stina Tiensuu (V)",
        "justering": "Kommunkontoret, 2024-05-31 kl. 10.00",
        "paragrafer": "§§ 45–51",
        "sekreterare": "Linda Bergqvist", "ordforande": "Kenneth Mäkitalo",
        "justerande": "Ingela Nordström    Stina Tiensuu",
        "anslag_upp": "2024-06-03", "anslag_ned": "2024-06-25",
        "forvaring": "Kommunkontoret",
    },
    items=[
        Item("§ 45", "Val av justerare och tid för justering",
             beslut=["Ingela Nordström (C) och Stina Tiensuu (V) utses att justera protokollet "
                     "2024-05-31."]),
        Item("§ 46", "Årsredovisning 2023 för Kalix kommun", "2024/89",
             desc=["Kalix kommun redovisar ett resultat om 22,6 miljoner kronor för 2023. "
                   "Nettoinvesteringarna uppgick till 146 miljoner kronor."],
             underlag=["Kommunstyrelsens beslut 2024-04-15, § 71", "Årsredovisning 2023"],
             beslut=["Kommunfullmäktige godkänner årsredovisningen för 2023."]),
        Item("§ 47", "Revisionsberättelse och ansvarsfrihet för år 2023", "2024/102",
             desc=["Revisorerna tillstyrker att ansvarsfrihet beviljas för styrelse, nämnder och "
                   "enskilda ledamöter."],
             beslut=["Kommunfullmäktige beviljar ansvarsfrihet för år 2023."]),
        Item("§ 48", "Handlingsplan mot våld och brott i Kalix kommun 2024–2027", "2023/433",
             desc=["Handlingsplanen är framtagen av Brottsförebyggande rådet och bygger på en lokal "
                   "lägesbild. Prioriterade områden är våld i nära relationer, narkotika bland unga "
                   "och otrygghet i centrum, där motorburen ungdom och skadegörelse vid Strandgatan "
                   "lyfts fram.",
                   "Planen omfattar bland annat nattvandringar, samverkan enligt SSPF, årliga "
                   "trygghetsvandringar och ett medborgarlöfte tillsammans med Polisen."],
             underlag=["Kommunstyrelsens beslut 2024-04-15, § 76", "Handlingsplan mot våld och brott 2024–2027"],
             yrkanden=["Catarina Sandlund (S) yrkar bifall till kommunstyrelsens förslag.",
                       "Tommy Nilsson (SD) yrkar tillägg om att kommunen ska utreda "
                       "kamerabevakning vid Strandgatan."],
             proposition="Ordföranden ställer först proposition på kommunstyrelsens förslag och "
                         "finner det bifallet. Därefter ställs proposition på Tommy Nilssons "
                         "tilläggsyrkande och ordföranden finner det avslaget.",
             beslut=["Kommunfullmäktige antar handlingsplan mot våld och brott i Kalix kommun 2024–2027."],
             reservation="Tommy Nilsson (SD) reserverar sig till förmån för eget tilläggsyrkande.",
             skickas=["Brottsförebyggande rådet", "Samtliga nämnder"]),
        Item("§ 49", "Detaljplan för Näsbyn 6:8, Kalix hamn", "2022/301",
             desc=["Detaljplanen möjliggör en ny gästhamn med servicebyggnad och parkering."],
             beslut=["Kommunfullmäktige antar detaljplan för Näsbyn 6:8, Kalix hamn."]),
        Item("§ 50", "Svar på interpellation om fritidsgårdarnas öppettider", "2024/117",
             desc=["Stina Tiensuu (V) har ställt en interpellation till kultur- och fritidsnämndens "
                   "ordförande om fritidsgårdarnas öppettider på helger. Ordföranden Peter Lauri (S) "
                   "besvarar interpellationen."],
             beslut=["Interpellationen anses besvarad."]),
        Item("§ 51", "Anmälningar",
             desc=["Länsstyrelsens beslut om tillsyn av överförmyndarnämnden anmäls."],
             beslut=["Anmälningarna läggs till handlingarna."]),
    ],
)


# --------------------------------------------------------------------------------------
# 10. NetPublicator: Borgholm, kallelse (an agenda, not minutes)
# --------------------------------------------------------------------------------------

BORGHOLM_KALLELSE = Meeting(
    key="netpublicator-borgholm-kallelse-ksau-2024-10-15",
    family="heldout-netpublicator", fmt="pdf", kind="agenda",
    body="Kommunstyrelsens arbetsutskott", municipality="Borgholm", date="2024-10-15",
    front={
        "org": "Borgholms kommun",
        "plats": "Kommunkontoret, Mittplånet, 2024-10-15 kl. 08:30",
        "ordforande": "Ilko Corkovic", "sekreterare": "Emma Ljunggren",
    },
    items=[
        Item("1", "Val av justerare"),
        Item("2", "Godkännande av dagordning"),
        Item("3", "Information: trygghetsläget i Borgholm sommaren 2024", "2024/134-KS",
             desc=["Föredragande: Jonas Lindgren, säkerhetssamordnare, och lokalpolisområde Kalmar."]),
        Item("4", "Medborgarlöfte 2025 med Polisen", "2024/167-KS",
             desc=["Föredragande: Jonas Lindgren, säkerhetssamordnare."]),
        Item("5", "Ansökan om bidrag till nattvandrare på Öland", "2024/171-KS",
             desc=["Föredragande: Emma Ljunggren, kanslichef."]),
        Item("6", "Delårsrapport augusti 2024", "2024/120-KS",
             desc=["Föredragande: Maria Ohlsson, ekonomichef."]),
        Item("7", "Detaljplan för Solberga 3:54, planuppdrag", "2024/155-KS",
             desc=["Föredragande: Johan Sandström, planarkitekt."]),
        Item("8", "Delegationsbeslut"),
    ],
)


# --------------------------------------------------------------------------------------
# 11. Word (heading styles): Töreboda, Brottsförebyggande rådet
# --------------------------------------------------------------------------------------

TOREBODA_BRA = Meeting(
    key="word-toreboda-brottsforebyggande-radet-2024-09-10",
    family="heldout-word", fmt="docx", kind="minutes",
    body="Brottsförebyggande rådet", municipality="Töreboda", date="2024-09-10",
    body_alternatives=["Brottsförebyggande rådet (BRÅ)"],
    extra={"styles": True},
    front={
        "org": "Töreboda kommun",
        "plats": "Kommunhuset, Sammanträdesrum Kanalen, tisdag 10 september 2024 kl. 13.30–15.30",
        "ledamoter": ["Eva Eriksson (S), ordförande", "Anders Söderberg (C)", "Lena Dahlén (M)"],
        "ovriga": ["Fredrik Åberg, kommunpolis", "Lina Holm, fältsekreterare",
                   "Johanna Ek, räddningstjänsten Östra Skaraborg", "Per Svensson, Törebodabostäder",
                   "Maja Ström, säkerhetssamordnare (sekreterare)"],
        "justerare": "Anders Söderberg (C)",
        "paragrafer": "§§ 9–15",
        "sekreterare": "Maja Ström", "ordforande": "Eva Eriksson", "justerande": "Anders Söderberg",
    },
    items=[
        Item("§ 9", "Mötets öppnande och val av justerare",
             beslut=["Anders Söderberg (C) utses att justera protokollet."]),
        Item("§ 10", "Lägesbild från Polisen",
             desc=["Kommunpolisen redovisar att antalet anmälda brott i Töreboda är i stort sett "
                   "oförändrat jämfört med 2023. Bostadsinbrotten har minskat. Polisen har under "
                   "sommaren haft flera ärenden med motorburen ungdom vid Kanalen och Ica-parkeringen "
                   "där A-traktorer kört i hög hastighet."]),
        Item("§ 11", "Motorburen ungdom vid Kanalen – åtgärder inför hösten", "KS 2024/98",
             desc=["Rådet diskuterar åtgärder. Fältsekreteraren har haft dialog med ett tjugotal "
                   "ungdomar, som efterfrågar en plats där de kan träffas med sina fordon.",
                   "Rådet föreslår att kommunen utreder en anvisad träffplats vid Övergården och att "
                   "Polisen gör riktade kontroller under september."],
             beslut=["1. Rådet ger säkerhetssamordnaren i uppdrag att utreda en anvisad träffplats.",
                     "2. Frågan följs upp på rådets möte i november."]),
        Item("§ 12", "Klotter och skadegörelse i centrum",
             desc=["Törebodabostäder rapporterar klotter på sju fastigheter i centrum sedan juni. "
                   "Rådet konstaterar att snabb sanering är viktig och att anmälan ska göras varje gång."]),
        Item("§ 13", "Uppföljning av medborgarlöftet 2024", "KS 2023/301",
             desc=["Av medborgarlöftets sex aktiviteter är fyra genomförda. Trygghetsvandringen i "
                   "Moholm flyttas till oktober."],
             beslut=["Rådet godkänner uppföljningen."]),
        Item("§ 14", "Information från räddningstjänsten",
             desc=["Räddningstjänsten har haft tre anlagda bränder i containrar vid skolorna sedan "
                   "skolstarten."]),
        Item("§ 15", "Övriga frågor och nästa möte",
             desc=["Nästa möte hålls tisdag 12 november 2024 kl. 13.30."]),
    ],
)


# --------------------------------------------------------------------------------------
# 12. Word (bold runs only, "3." numbering, dnr on its own line): Ockelbo, KSAU
# --------------------------------------------------------------------------------------

OCKELBO_KSAU = Meeting(
    key="word-ockelbo-kommunstyrelsens-arbetsutskott-2024-01-24",
    family="heldout-word", fmt="docx", kind="minutes",
    body="Kommunstyrelsens arbetsutskott", municipality="Ockelbo", date="2024-01-24",
    extra={"styles": False},
    front={
        "org": "OCKELBO KOMMUN",
        "plats": "Kommunkontoret, Sammanträdesrum Wij, 2024-01-24 kl. 08.30–11.45",
        "ledamoter": ["Emil Wiklund (S), ordförande", "Ann-Christin Ahl (C)", "Kenth Lindström (M)"],
        "ovriga": ["Johan Wigh, kommundirektör", "Annika Persson, sekreterare"],
        "justerare": "Ann-Christin Ahl (C)",
        "justering": "2024-01-29",
        "paragrafer": "1–7",
        "sekreterare": "Annika Persson", "ordforande": "Emil Wiklund", "justerande": "Ann-Christin Ahl",
    },
    items=[
        Item("§ 1", "Godkännande av dagordning",
             beslut=["Dagordningen godkänns."]),
        Item("§ 2", "Trygghetskameror vid Ockelbo resecentrum", "KS 2023/211",
             desc=["Kommunen har fått tillstånd från Integritetsskyddsmyndigheten för kamerabevakning "
                   "av perrongerna och cykelgaraget vid resecentrum. Installationen kostar 280 000 "
                   "kronor och föreslås finansieras av kommunstyrelsens oförutsedda medel."],
             forslag=["Arbetsutskottet föreslår kommunstyrelsen att avsätta 280 000 kronor ur "
                      "kommunstyrelsens oförutsedda medel för kamerabevakning vid resecentrum."],
             beslut=["Arbetsutskottet föreslår kommunstyrelsen att avsätta 280 000 kronor ur "
                     "kommunstyrelsens oförutsedda medel för kamerabevakning vid resecentrum."]),
        Item("§ 3", "Remiss: Regional strategi för brottsförebyggande arbete i Gävleborg", "KS 2023/240",
             desc=["Länsstyrelsen Gävleborg har skickat en regional strategi på remiss. Kommunens "
                   "säkerhetssamordnare har tagit fram ett förslag till yttrande som framhåller "
                   "behovet av stöd till små kommuner."],
             beslut=["Arbetsutskottet föreslår kommunstyrelsen att avge yttrande enligt förslaget."]),
        Item("§ 4", "Föreningsbidrag till Ockelbo nattvandrare 2024", "KS 2024/7",
             desc=["Föreningen ansöker om 25 000 kronor för västar, telefoner och fika."],
             beslut=["Arbetsutskottet beviljar 25 000 kronor ur kommunstyrelsens bidragsanslag."]),
        Item("§ 5", "Detaljplan för Åbyggeby 15:2, planbesked", "KS 2023/198",
             desc=["Sökanden vill uppföra fyra fritidshus. Förvaltningen bedömer att platsen är "
                   "lämplig och att planarbetet kan inledas under 2024."],
             beslut=["Arbetsutskottet föreslår kommunstyrelsen att lämna positivt planbesked."]),
        Item("§ 6", "Information om budgetläget 2024",
             desc=["Kommundirektören informerar om att kostnaderna för försörjningsstöd och "
                   "placeringar ökar."]),
        Item("§ 7", "Delegationsbeslut", "KS 2024/1",
             beslut=["Redovisningen läggs till handlingarna."]),
    ],
)


# --------------------------------------------------------------------------------------
# 13. Notes (Markdown): Höör, Trygghetsrådet
# --------------------------------------------------------------------------------------

HOOR_TR = Meeting(
    key="notes-hoor-trygghetsradet-2024-04-09",
    family="heldout-notes", fmt="md", kind="minutes",
    body="Trygghetsrådet", municipality="Höör", date="2024-04-09",
    items=[
        Item("1", "Välkommen och presentationsrunda",
             desc=["Ordföranden Anders Jönsson hälsade alla välkomna. Ny i rådet är Sofie Nyman från "
                   "Höörs fastighets AB."]),
        Item("2", "Lägesbild från polisen",
             desc=["Kommunpolis Jimmy Olsson berättade att inbrotten i fritidshus runt Ringsjön har "
                   "ökat under vintern. Det har också kommit flera klagomål om motorburen ungdom vid "
                   "Nya torg och Ica Kvantum på fredagskvällar.",
                   "- 12 anmälda inbrott i fritidshus januari–mars",
                   "- 3 ingripanden mot A-traktorer vid Nya torg",
                   "- Narkotikaförsäljning i anslutning till stationen är fortsatt ett problem"]),
        Item("3", "Trygghetsvandring i Höör centrum 2024",
             desc=["Trygghetsvandringen genomförs tisdag 14 maj kl. 18.30 med start vid stationen. "
                   "Fastighetsägare, Polisen och föreningar bjuds in. Tekniska avdelningen tar med "
                   "karta över belysningspunkter."]),
        Item("4", "Medborgarlöftet – uppföljning första kvartalet",
             desc=["Ingen av de tre aktiviteterna är genomförd ännu. Föräldramötet om droger i "
                   "årskurs 8 flyttas till hösten."]),
        Item("5", "Klotter på Frostaskolan",
             desc=["Skolan har haft omfattande klotter under påsklovet. Saneringen är klar. Rådet "
                   "diskuterade om kameror behövs men var överens om att först pröva "
                   "belysning och fler vuxna ute."]),
        Item("6", "Övriga frågor",
             desc=["Räddningstjänsten påminner om eldningsförbudet. Nästa möte 11 juni kl. 15.00."]),
    ],
)


# --------------------------------------------------------------------------------------
# 14. Notes (TXT, "Punkt N"): Lerum, EST-gruppen
# --------------------------------------------------------------------------------------

LERUM_EST = Meeting(
    key="notes-lerum-est-gruppen-2023-10-03",
    family="heldout-notes", fmt="txt", kind="minutes",
    body="EST-gruppen", municipality="Lerum", date="2023-10-03",
    body_alternatives=["EST-gruppen Lerum", "EST"],
    items=[
        Item("1", "Inledning och föregående anteckningar",
             desc=["Inga kvarstående punkter från föregående möte."], shown_number="Punkt 1"),
        Item("2", "Händelser sedan förra mötet",
             desc=["Polisen: Två rån mot ungdomar vid Lerums station 27 och 29 september, misstänkta "
                   "gärningspersoner 15–17 år. Bråk utanför pizzerian i Gråbo lördag kväll.",
                   "Fältgruppen: Oro kring en grupp om sex–sju ungdomar som samlas vid Aspenäs "
                   "skolgård efter kl. 21. Signaler om att några av dem säljer cannabis.",
                   "Lerums bostäder: Klotter i trapphus på Torstensgatan samt en anlagd brand i "
                   "ett soprum."], shown_number="Punkt 2"),
        Item("3", "Bedömning av läget",
             desc=["Gruppen bedömer läget som förhöjt kring stationen och Aspenäs. Ingen "
                   "koppling mellan rånen och bränderna kan ses i dagsläget."], shown_number="Punkt 3"),
        Item("4", "Åtgärder till nästa möte",
             desc=["- Fältgruppen och Polisen gör gemensam närvaro vid stationen fredagar och "
                   "lördagar kl. 20–24.",
                   "- Socialtjänsten kallar vårdnadshavare till de identifierade ungdomarna till "
                   "orosamtal.",
                   "- Lerums bostäder sanerar klotter och byter lås till soprum.",
                   "- Säkerhetssamordnaren informerar skolorna i Aspenäs och Floda."],
             shown_number="Punkt 4"),
        Item("5", "Information utåt",
             desc=["Ingen information går ut i kommunens kanaler. Polisen lägger ut en kort "
                   "händelserapport på polisen.se."], shown_number="Punkt 5"),
        Item("6", "Nästa möte",
             desc=["Tisdag 17 oktober kl. 09.00 via Teams."], shown_number="Punkt 6"),
    ],
)


# --------------------------------------------------------------------------------------
# 15. Notes (TXT, unnumbered headings): Strömstad, Folkhälsorådet
# --------------------------------------------------------------------------------------

STROMSTAD_FHR = Meeting(
    key="notes-stromstad-folkhalsoradet-2024-11-20",
    family="heldout-notes", fmt="txt", kind="minutes",
    body="Folkhälsorådet", municipality="Strömstad", date="2024-11-20",
    items=[
        Item(None, "Föregående minnesanteckningar",
             desc=["Godkändes utan ändringar."]),
        Item(None, "Lägesbild ANDT",
             desc=["Folkhälsosamordnaren Karin Lindahl gick igenom CAN:s drogvaneundersökning för "
                   "Strömstad 2024. Alkoholkonsumtionen bland gymnasieelever minskar, men fler "
                   "uppger att de har blivit erbjudna narkotika. Gränshandeln med Norge gör att "
                   "tobak och snus är lättillgängligt.",
                   "Polisen berättade om en ökning av ringa narkotikabrott i centrum och vid "
                   "Strömstiernaskolan under hösten."]),
        Item(None, "Psykisk hälsa bland unga",
             desc=["Ungdomsmottagningen har längre väntetider än tidigare, i snitt tre veckor. "
                   "Rådet ser behov av att informera om stödlinjer via skolornas lärplattform."]),
        Item(None, "Trygghetsvandring Canningområdet",
             desc=["Vandringen genomfördes 24 oktober med 14 deltagare. Synpunkter på mörka "
                   "gångstråk och nedskräpning vid badplatsen. Tekniska förvaltningen har fått "
                   "listan och återkommer om åtgärder."]),
        Item(None, "Fördelning av folkhälsomedel 2025",
             desc=["Rådet föreslår att 200 000 kronor avsätts för sommarlovsaktiviteter och 80 000 "
                   "kronor för föräldrautbildning. Beslut tas av kommunstyrelsen."]),
        Item(None, "Övrigt",
             desc=["Mötesplan för 2025 skickas ut av sekreteraren. Nästa möte blir i februari."]),
    ],
)


# --------------------------------------------------------------------------------------
# 16. Flattened web copy (one line per page): Mörbylånga, Brottsförebyggande rådet
# --------------------------------------------------------------------------------------

MORBYLANGA_BRA = Meeting(
    key="flattened-morbylanga-brottsforebyggande-radet-2023-06-13",
    family="heldout-flattened", fmt="txt", kind="minutes",
    body="Brottsförebyggande rådet", municipality="Mörbylånga", date="2023-06-13",
    front={
        "org": "Mörbylånga kommun",
        "plats": "Kommunhuset, Ölandsrummet, 2023-06-13 kl. 13.00–15.00",
        "ledamoter": ["Matheus Enholm (M), ordförande", "Marie-Louise Strand (S)", "Per Nilsson (C)"],
        "ovriga": ["Cecilia Ek, kommunpolis", "Karl Johansson, säkerhetssamordnare (sekreterare)",
                   "Sara Öberg, socialtjänsten"],
        "justerare": "Marie-Louise Strand (S)",
        "paragrafer": "§§ 18–23",
        "sekreterare": "Karl Johansson", "ordforande": "Matheus Enholm", "justerande": "Marie-Louise Strand",
    },
    items=[
        Item("§ 18", "Val av justerare",
             beslut=["Marie-Louise Strand (S) utses att justera protokollet."]),
        Item("§ 19", "Lägesbild inför sommarsäsongen", "KS 2023/0190",
             desc=["Kommunpolisen redovisar att antalet besökare på södra Öland väntas öka under "
                   "sommaren. Erfarenheter från 2022 visar problem med berusade ungdomar vid "
                   "Grönhögens hamn och motorburen ungdom i Färjestaden kvällstid."],
             beslut=["Rådet tar emot lägesbilden."]),
        Item("§ 20", "Sommarinsatser 2023: nattvandring och fältarbete", "KS 2023/0205",
             desc=["Socialtjänsten anställer fyra sommarfältare som arbetar torsdag–lördag i "
                   "Färjestaden och Grönhögen. Nattvandrarna i Mörbylånga har anmält 22 vuxna."],
             beslut=["1. Rådet ställer sig bakom sommarinsatserna.",
                     "2. Säkerhetssamordnaren sammanställer erfarenheterna till mötet i september."]),
        Item("§ 21", "Klotter på badplatser och toaletter", "KS 2023/0211",
             desc=["Klotter och skadegörelse på kommunens badplatstoaletter kostade 140 000 kronor "
                   "under 2022. Tekniska enheten inför veckovis tillsyn."],
             beslut=["Rådet tar emot informationen."]),
        Item("§ 22", "Medborgarlöfte 2023 – halvårsuppföljning", "KS 2022/0644",
             desc=["Två av fyra aktiviteter är genomförda: trygghetsvandring i Färjestaden och "
                   "föräldramöte om droger i årskurs 7."],
             beslut=["Rådet godkänner uppföljningen."]),
        Item("§ 23", "Övriga frågor",
             desc=["Nästa möte 12 september 2023 kl. 13.00."]),
    ],
)


MEETINGS: list[Meeting] = [
    OSTERSUND_SN, SKELLEFTEA_KS, RONNEBY_MBN, LUDVIKA_KF, TRANAS_KS, HARNOSAND_UN, VIMMERBY_SN,
    SANDVIKEN_FHR, KALIX_KF, BORGHOLM_KALLELSE, TOREBODA_BRA, OCKELBO_KSAU, HOOR_TR, LERUM_EST,
    STROMSTAD_FHR, MORBYLANGA_BRA,
]


# --------------------------------------------------------------------------------------
# Item bodies as blocks: ("h", heading) / ("p", paragraph) / ("li", bullet) / ("gap", mm)
# --------------------------------------------------------------------------------------


def item_blocks(it: Item, beslut_heading: str = "Beslut", beslut_first: bool = False,
                desc_heading: str = "Ärendebeskrivning") -> list[tuple[str, str]]:
    """The named sections of an item in the order protocols print them."""
    def paras(lines: list[str]) -> list[tuple[str, str]]:
        return [("li", s[2:]) if s.startswith("- ") else ("p", s) for s in lines]

    desc = [("h", desc_heading)] + paras(it.desc) if it.desc else []
    beslut = [("h", beslut_heading)] + paras(it.beslut) if it.beslut else []
    out: list[tuple[str, str]] = []
    if beslut_first:
        out += beslut
    out += desc
    if it.underlag:
        out += [("h", "Beslutsunderlag")] + [("li", u) for u in it.underlag]
    if it.forslag:
        out += [("h", "Förslag till beslut")] + paras(it.forslag)
    if it.yrkanden:
        out += [("h", "Yrkanden")] + paras(it.yrkanden)
    if it.proposition:
        out += [("h", "Propositionsordning"), ("p", it.proposition)]
    if not beslut_first:
        out += beslut
    if it.reservation:
        out += [("h", "Reservation"), ("p", it.reservation)]
    if it.anteckning:
        out += [("h", "Protokollsanteckning"), ("p", it.anteckning)]
    if it.skickas:
        out += [("h", "Beslutet skickas till")] + [("p", s) for s in it.skickas]
    return out


def owner_genitive(body: str) -> str:
    """'Socialnämnden' -> 'Socialnämndens' (for the '<body>s beslut' heading)."""
    return body if body.endswith("s") else body + "s"


# --------------------------------------------------------------------------------------
# PDF machinery (fpdf2)
# --------------------------------------------------------------------------------------

FONT_SETS = {
    "liberation-sans": ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf",
                        "liberation/LiberationSans-Italic.ttf"),
    "liberation-serif": ("liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Bold.ttf",
                         "liberation/LiberationSerif-Italic.ttf"),
    "dejavu-sans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSans-Oblique.ttf"),
    "dejavu-condensed": ("dejavu/DejaVuSansCondensed.ttf", "dejavu/DejaVuSansCondensed-Bold.ttf",
                         "dejavu/DejaVuSansCondensed-Oblique.ttf"),
    "dejavu-serif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf", "dejavu/DejaVuSerif-Italic.ttf"),
}


def new_pdf(m: Meeting, fonts: str, header, footer, *, left: float = 20, top: float = 38,
            bottom: float = 28):
    """An A4 FPDF whose header/footer callbacks draw the template's running furniture."""
    from fpdf import FPDF

    class Proto(FPDF):
        def header(self):  # noqa: D401 - fpdf hook
            header(self)

        def footer(self):  # noqa: D401 - fpdf hook
            footer(self)

    pdf = Proto(format="A4", unit="mm")
    reg, bold, ital = FONT_SETS[fonts]
    pdf.add_font("F", "", str(FONTS / reg))
    pdf.add_font("F", "B", str(FONTS / bold))
    pdf.add_font("F", "I", str(FONTS / ital))
    pdf.set_margins(left, top, 20)
    pdf.set_auto_page_break(True, bottom)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(f"Protokoll {m.body} {m.date}" if m.kind == "minutes" else f"Kallelse {m.body} {m.date}")
    pdf.set_author(m.front.get("sekreterare", m.front.get("org", "")))
    pdf.meeting = m
    pdf.cont = None  # label printed under the header when an item runs on to a new page
    pdf.item_pages = {}
    pdf.body_top = top
    return pdf


def need(pdf, mm: float) -> None:
    """Start a new page unless ``mm`` millimetres are left (keeps headings with their text)."""
    if pdf.get_y() + mm > pdf.h - pdf.b_margin:
        pdf.cont = None
        pdf.add_page()


def write_blocks(pdf, blocks, x: float, w: float, size: float = 10.5, lh: float = 5.2,
                 heading_margin: tuple[float, float] | None = None) -> None:
    """Write section blocks in a column starting at ``x``; headings optionally in the margin."""
    pending_margin = False
    margin_bottom = (0, 0.0)  # (page, y) where the last margin heading ends; the next section starts below
    for kind, text in blocks:
        if kind == "h":
            if heading_margin:
                if margin_bottom[0] == pdf.page_no() and pdf.get_y() < margin_bottom[1]:
                    pdf.set_y(margin_bottom[1])
                need(pdf, 14)
                mx, mw = heading_margin
                y = pdf.get_y() + 2
                pdf.set_font("F", "B", size - 1)
                pdf.set_xy(mx, y)
                pdf.multi_cell(mw, lh, text, align="L")
                margin_bottom = (pdf.page_no(), pdf.get_y())
                pdf.set_xy(x, y)
                pending_margin = True
                continue
            need(pdf, 16)
            pdf.ln(2)
            pdf.set_x(x)
            pdf.set_font("F", "B", size)
            pdf.multi_cell(w, lh, text, align="L", new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            if not pending_margin:
                pdf.set_x(x)
            pdf.set_font("F", "", size)
            pdf.multi_cell(w, lh, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.2)
        elif kind == "li":
            if not pending_margin:
                pdf.set_x(x)
            pdf.set_font("F", "", size)
            pdf.cell(5, lh, "–")
            pdf.multi_cell(w - 5, lh, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pending_margin = False


def label_rows(pdf, rows, x: float, label_w: float, w: float, size: float = 10, lh: float = 5.2) -> None:
    """Front matter as label | value rows (value may be several lines)."""
    for label, value in rows:
        lines = value if isinstance(value, list) else [value]
        need(pdf, lh * (len(lines) + 1))
        y = pdf.get_y()
        pdf.set_font("F", "B", size)
        pdf.set_xy(x, y)
        pdf.multi_cell(label_w - 2, lh, label, align="L")
        y_label = pdf.get_y()
        pdf.set_xy(x + label_w, y)
        pdf.set_font("F", "", size)
        for line in lines:
            pdf.set_x(x + label_w)
            pdf.multi_cell(w - label_w, lh, line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), y_label) + 2.5)


def sign_line(pdf, x: float, label: str, name: str, right: str = "", size: float = 10) -> None:
    y = pdf.get_y()
    pdf.set_font("F", "B", size)
    pdf.set_xy(x, y + 6)
    pdf.cell(40, 5, label)
    pdf.set_font("F", "", size)
    pdf.cell(75, 5, "…" * 22)
    if right:
        pdf.cell(40, 5, right)
    pdf.set_xy(x + 40, y + 11)
    pdf.cell(75, 5, name)
    pdf.set_y(y + 19)


def anslag_block(pdf, m: Meeting, x: float, w: float, size: float = 9.5) -> None:
    f = m.front
    need(pdf, 50)
    pdf.ln(3)
    pdf.set_draw_color(0)
    y0 = pdf.get_y()
    pdf.set_xy(x, y0 + 2)
    pdf.set_font("F", "B", size + 1)
    pdf.cell(w, 6, "ANSLAG/BEVIS", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(x + 2)
    pdf.set_font("F", "", size)
    pdf.multi_cell(w - 4, 5, "Protokollet är justerat. Justeringen har tillkännagivits genom anslag.",
                   align="L", new_x="LMARGIN", new_y="NEXT")
    rows = [("Organ", m.body), ("Sammanträdesdatum", m.date),
            ("Datum då anslaget sätts upp", f.get("anslag_upp", "")),
            ("Datum då anslaget tas ned", f.get("anslag_ned", "")),
            ("Förvaringsplats för protokollet", f.get("forvaring", "")),
            ("Underskrift", "…" * 20 + "  " + f.get("sekreterare", ""))]
    for label, value in rows:
        pdf.set_x(x + 2)
        pdf.set_font("F", "B", size)
        pdf.cell(58, 5.5, label)
        pdf.set_font("F", "", size)
        pdf.cell(w - 62, 5.5, value, new_x="LMARGIN", new_y="NEXT")
    pdf.rect(x, y0, w, pdf.get_y() - y0 + 2)
    pdf.set_y(pdf.get_y() + 4)


def front_rows(m: Meeting, style: str = "ciceron") -> list[tuple[str, object]]:
    f = m.front
    beslutande = (["Ledamöter"] + f["ledamoter"]) if style != "plain" else f["ledamoter"]
    if f.get("ersattare"):
        beslutande += ["", "Tjänstgörande ersättare"] + f["ersattare"]
    rows = [("Plats och tid", f["plats"]), ("Beslutande", beslutande)]
    if f.get("ovriga"):
        rows.append(("Övriga deltagare" if style != "lex" else "Övriga närvarande", f["ovriga"]))
    rows.append(("Utses att justera", f["justerare"]))
    if f.get("justering"):
        rows.append(("Justeringens plats och tid", f["justering"]))
    return rows


def signatures(pdf, m: Meeting, x: float) -> None:
    f = m.front
    need(pdf, 60)
    pdf.set_font("F", "B", 10)
    pdf.set_x(x)
    pdf.cell(40, 6, "Underskrifter", new_x="LMARGIN", new_y="NEXT")
    sign_line(pdf, x, "Sekreterare", f["sekreterare"], f"Paragrafer {f['paragrafer']}")
    sign_line(pdf, x, "Ordförande", f["ordforande"])
    sign_line(pdf, x, "Justerande", f["justerande"])


def box_footer(pdf, labels=("Justerandes sign", "Utdragsbestyrkande"), y_off: float = 22) -> None:
    """The two signature boxes at the foot of every page of a Swedish protocol."""
    y = pdf.h - y_off
    pdf.set_draw_color(0)
    pdf.set_font("F", "", 7.5)
    x = pdf.w - 20 - 2 * 42
    for label in labels:
        pdf.rect(x, y, 40, 12)
        pdf.set_xy(x + 1, y + 1)
        pdf.cell(38, 3.5, label)
        x += 42


def agenda_table(pdf, m: Meeting, pages: dict, x: float, w: float, title: str = "Ärendelista",
                 dotted: bool = False, with_dnr: bool = True, prefix: str = "") -> None:
    pdf.set_font("F", "B", 13)
    pdf.set_x(x)
    pdf.cell(w, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for it in m.items:
        num = f"{prefix} {it.number}".strip() if it.number else ""
        page = str(pages.get(it.number, ""))
        pdf.set_font("F", "", 10)
        y = pdf.get_y()
        pdf.set_xy(x, y)
        pdf.cell(22, 5.5, num)
        tw = w - 22 - (32 if with_dnr else 0) - 10
        title_text = it.title
        if dotted:
            while pdf.get_string_width(title_text + " .") < tw - 2:
                title_text += " ."
        pdf.multi_cell(tw, 5.5, title_text, align="L")
        y2 = pdf.get_y()
        if with_dnr:
            pdf.set_xy(x + 22 + tw, y)
            pdf.cell(32, 5.5, it.dnr or "")
        pdf.set_xy(x + w - 10, y)
        pdf.cell(10, 5.5, page, align="R")
        pdf.set_y(max(y2, y + 5.5) + 1)


# --------------------------------------------------------------------------------------
# Family renderers
# --------------------------------------------------------------------------------------


def two_pass(render, m: Meeting) -> bytes:
    """Render twice so an agenda list can print the page each item starts on."""
    pages: dict = {}
    for _ in range(2):
        pdf = render(m, pages)
        pages = dict(pdf.item_pages)
    return bytes(pdf.output())


def start_item(pdf, it: Item, room: float = 40) -> None:
    pdf.cont = None
    need(pdf, room)
    pdf.item_pages[it.number] = pdf.page_no()


def render_ciceron(m: Meeting, pages: dict):
    inline = m.extra.get("title_inline", False)

    def header(pdf):
        pdf.set_font("F", "B", 11)
        pdf.set_xy(20, 12)
        pdf.cell(70, 5, m.front["org"])
        pdf.set_xy(95, 12)
        pdf.cell(60, 5, "SAMMANTRÄDESPROTOKOLL")
        pdf.set_font("F", "", 8)
        pdf.set_xy(165, 11)
        pdf.cell(25, 4, "Sida")
        pdf.set_font("F", "", 10)
        pdf.set_xy(165, 15)
        pdf.cell(25, 5, f"{pdf.page_no()}({{nb}})")
        pdf.set_font("F", "", 8)
        pdf.set_xy(95, 19)
        pdf.cell(60, 4, "Sammanträdesdatum")
        pdf.set_font("F", "", 10)
        pdf.set_xy(95, 23)
        pdf.cell(60, 5, m.date)
        pdf.set_font("F", "B", 10)
        pdf.set_xy(20, 23)
        pdf.cell(70, 5, m.body)
        pdf.line(20, 30, 190, 30)
        if pdf.cont:
            pdf.set_font("F", "B", 10)
            pdf.set_xy(20, 33)
            pdf.cell(60, 5, pdf.cont)
            pdf.set_xy(20, 40)
        else:
            pdf.set_xy(20, 34)

    pdf = new_pdf(m, "liberation-sans" if not inline else "dejavu-sans", header, box_footer, top=34)
    pdf.add_page()
    label_rows(pdf, front_rows(m), 20, 48, 170)
    signatures(pdf, m, 20)
    anslag_block(pdf, m, 20, 170)
    if m.agenda_list:
        pdf.add_page()
        agenda_table(pdf, m, pages, 20, 170)
    pdf.add_page()
    beslut_h = owner_genitive(m.body) + " beslut"
    for it in m.items:
        start_item(pdf, it)
        pdf.ln(4)
        y = pdf.get_y()
        if inline:
            pdf.set_font("F", "B", 11.5)
            pdf.set_xy(20, y)
            pdf.cell(20, 6, it.number)
            pdf.set_xy(40, y)
            pdf.multi_cell(150, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
            if it.dnr:
                pdf.set_font("F", "", 9)
                pdf.set_x(40)
                pdf.cell(100, 5, f"Dnr {it.dnr}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            pdf.cont = f"Forts. {it.number}"
            write_blocks(pdf, item_blocks(it, beslut_h, beslut_first=True,
                                          desc_heading="Sammanfattning av ärendet"), 40, 150, size=10)
        else:
            pdf.set_font("F", "B", 11)
            pdf.set_xy(20, y)
            pdf.cell(30, 6, it.number)
            if it.dnr:
                pdf.set_font("F", "", 10)
                pdf.set_xy(120, y)
                pdf.cell(70, 6, f"Dnr {it.dnr}", align="R")
            pdf.set_xy(20, y + 7)
            pdf.set_font("F", "B", 12.5)
            pdf.multi_cell(170, 6.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
            write_blocks(pdf, item_blocks(it, beslut_h), 20, 170)
        pdf.cont = None
    return pdf


def lex_header(m: Meeting, word: str = "PROTOKOLL"):
    def header(pdf):
        pdf.set_font("F", "B", 13)
        pdf.set_xy(20, 11)
        pdf.cell(80, 6, m.front["org"])
        pdf.set_font("F", "B", 11)
        pdf.set_xy(110, 11)
        pdf.cell(50, 5, word)
        pdf.set_font("F", "", 8)
        pdf.set_xy(110, 17)
        pdf.cell(40, 4, "Sammanträdesdatum")
        pdf.set_xy(165, 17)
        pdf.cell(25, 4, "Sida")
        pdf.set_font("F", "", 10.5)
        pdf.set_xy(20, 21)
        pdf.cell(80, 5, m.body)
        pdf.set_xy(110, 21)
        pdf.cell(40, 5, m.date)
        pdf.set_xy(165, 21)
        pdf.cell(25, 5, f"{pdf.page_no()} ({{nb}})")
        pdf.line(20, 28, 190, 28)
        pdf.set_xy(pdf.l_margin, 34)
    return header


def render_lex(m: Meeting, pages: dict):
    margin_heads = m.extra.get("appendix", False)  # Ludvika: section headings in the margin too
    pdf = new_pdf(m, "liberation-serif", lex_header(m), box_footer, left=60, top=34)
    pdf.add_page()
    label_rows(pdf, front_rows(m, "lex"), 20, 40, 170, size=10.5)
    signatures(pdf, m, 20)
    anslag_block(pdf, m, 20, 170)
    pdf.add_page()
    beslut_h = owner_genitive(m.body) + " beslut"
    for it in m.items:
        start_item(pdf, it)
        pdf.ln(5)
        y = pdf.get_y()
        pdf.set_font("F", "B", 12)
        pdf.set_xy(20, y)
        pdf.cell(36, 6, it.number)
        if it.dnr:
            pdf.set_font("F", "", 8.5)
            pdf.set_xy(20, y + 6.5)
            pdf.cell(38, 4.5, f"Dnr {it.dnr}")
        pdf.set_font("F", "B", 12)
        pdf.set_xy(60, y)
        pdf.multi_cell(130, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), y + 12 if it.dnr else y))
        pdf.ln(1)
        write_blocks(pdf, item_blocks(it, beslut_h), 60, 130, size=11, lh=5.4,
                     heading_margin=(20, 38) if margin_heads else None)
    if m.extra.get("appendix"):
        pdf.add_page()
        pdf.set_font("F", "B", 13)
        pdf.set_x(20)
        pdf.cell(170, 7, "Bilaga 1", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(20)
        pdf.set_font("F", "B", 11)
        pdf.cell(170, 6, f"Närvaro- och omröstningslista, Kommunfullmäktige {m.date}, § 91",
                 new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        members = [("Bo Brännström", "S", "Ja"), ("Ronny Hedlund", "S", "Ja"), ("Annika Hoffman", "M", "Ja"),
                   ("Anders Wallin", "SD", "Nej"), ("Karin Sandberg", "S", "Ja"), ("Mikael Ahlberg", "SD", "Nej"),
                   ("Lena Nises", "V", "Ja"), ("Johan Sand", "C", "Ja"), ("Marie Sjöberg", "SD", "Nej"),
                   ("Per Ohlsson", "KD", "Ja"), ("Jan Persson", "L", "Ja"), ("Sofia Berglund", "MP", "Ja")]
        pdf.set_font("F", "B", 10)
        for col, w in (("Ledamot", 60), ("Parti", 20), ("Närvarande", 30), ("§ 91", 20)):
            pdf.set_x(20) if col == "Ledamot" else None
            pdf.cell(w, 6, col, border=1)
        pdf.ln(6)
        pdf.set_font("F", "", 10)
        for name, party, vote in members:
            pdf.set_x(20)
            for val, w in ((name, 60), (party, 20), ("X", 30), (vote, 20)):
                pdf.cell(w, 5.5, val, border=1)
            pdf.ln(5.5)
        pdf.ln(3)
        pdf.set_x(20)
        pdf.multi_cell(170, 5, "Sammanlagt 45 närvarande ledamöter. Omröstning § 91: 34 ja, 11 nej.",
                       new_x="LMARGIN", new_y="NEXT")
    return pdf


def render_platina(m: Meeting, pages: dict):
    prefix = m.extra["prefix"]
    inline = m.extra.get("inline", False)

    def header(pdf):
        pdf.set_draw_color(0)
        cells = [(20, 50, m.front["org"], m.body if inline else ""), (70, 60, "SAMMANTRÄDESPROTOKOLL",
                 "" if inline else m.body), (130, 35, "Sammanträdesdatum", m.date),
                 (165, 25, "Sida", f"{pdf.page_no()} ({{nb}})")]
        for x, w, top, bottom in cells:
            pdf.rect(x, 10, w, 16)
            pdf.set_font("F", "B" if top == m.front["org"] else "", 9 if top != m.front["org"] else 11)
            pdf.set_xy(x + 1.5, 11.5)
            pdf.cell(w - 3, 5, top)
            pdf.set_font("F", "B" if bottom == m.body else "", 10)
            pdf.set_xy(x + 1.5, 19)
            pdf.cell(w - 3, 5, bottom)
        pdf.set_xy(20, 34)

    pdf = new_pdf(m, "liberation-sans" if not inline else "dejavu-condensed", header, box_footer, top=34)
    pdf.add_page()
    label_rows(pdf, front_rows(m), 20, 46, 170)
    signatures(pdf, m, 20)
    anslag_block(pdf, m, 20, 170)
    if m.agenda_list:
        pdf.add_page()
        agenda_table(pdf, m, pages, 20, 170, prefix=prefix)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it)
        pdf.ln(4)
        y = pdf.get_y()
        shown = it.number.replace("§", f"{prefix} §")
        if inline:
            pdf.set_font("F", "B", 11.5)
            pdf.set_xy(20, y)
            pdf.cell(25, 6, shown)
            pdf.set_xy(45, y)
            pdf.multi_cell(145, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
            if it.dnr:
                pdf.set_font("F", "", 9.5)
                pdf.set_x(45)
                pdf.cell(100, 5, f"Diarienummer: {it.dnr}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
            write_blocks(pdf, item_blocks(it, owner_genitive(m.body) + " beslut", beslut_first=True,
                                          desc_heading="Sammanfattning"), 45, 145, size=10)
        else:
            pdf.set_font("F", "B", 11)
            pdf.set_xy(20, y)
            pdf.cell(40, 6, shown)
            if it.dnr:
                pdf.set_font("F", "", 10)
                pdf.set_xy(120, y)
                pdf.cell(70, 6, f"Dnr {it.dnr}", align="R")
            pdf.set_xy(20, y + 8)
            pdf.set_font("F", "B", 13)
            pdf.multi_cell(170, 6.5, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
            write_blocks(pdf, item_blocks(it, "Beslut"), 20, 170)
    return pdf


def render_w3d3(m: Meeting, pages: dict):
    def header(pdf):
        pdf.set_font("F", "B", 12)
        pdf.set_xy(20, 12)
        pdf.cell(70, 6, m.front["org"])
        pdf.set_font("F", "B", 11)
        pdf.set_xy(100, 12)
        pdf.cell(50, 6, "PROTOKOLL")
        pdf.set_font("F", "", 10)
        pdf.set_xy(160, 12)
        pdf.cell(30, 6, f"Sida {pdf.page_no()}({{nb}})", align="R")
        pdf.set_xy(20, 19)
        pdf.cell(70, 5, m.body)
        pdf.set_xy(100, 19)
        pdf.cell(60, 5, f"Sammanträdesdatum {m.date}")
        pdf.set_xy(20, 34)

    def footer(pdf):
        pdf.set_font("F", "", 8.5)
        pdf.set_xy(20, pdf.h - 18)
        pdf.cell(170, 4, "Justerare  …………………………        Utdragsbestyrkande  …………………………")

    pdf = new_pdf(m, "liberation-sans", header, footer, top=34, bottom=24)
    pdf.add_page()
    pdf.set_font("F", "B", 16)
    pdf.cell(170, 9, "Protokoll", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    label_rows(pdf, front_rows(m), 20, 46, 170)
    signatures(pdf, m, 20)
    anslag_block(pdf, m, 20, 170)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it)
        pdf.ln(4)
        pdf.set_font("F", "B", 11)
        head = it.number + (f"   Dnr {it.dnr}" if it.dnr else "")
        pdf.cell(170, 6, head, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font("F", "B", 12)
        pdf.multi_cell(170, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        write_blocks(pdf, item_blocks(it, "Beslut"), 20, 170, size=10.5)
    return pdf


def render_twocolumn(m: Meeting, pages: dict):
    def header(pdf):
        pdf.set_font("F", "B", 11)
        pdf.set_xy(15, 11)
        pdf.cell(90, 5, m.front["org"])
        pdf.set_xy(115, 11)
        pdf.cell(80, 5, "MINNESANTECKNINGAR", align="R")
        pdf.set_font("F", "", 9.5)
        pdf.set_xy(115, 16.5)
        pdf.cell(80, 5, f"{m.body} {m.date}", align="R")
        pdf.line(15, 24, 195, 24)
        pdf.set_xy(15, 30)

    def footer(pdf):
        pdf.set_font("F", "", 8.5)
        pdf.set_xy(15, pdf.h - 14)
        pdf.cell(180, 4, f"Sida {pdf.page_no()} av {{nb}}", align="C")

    pdf = new_pdf(m, "dejavu-serif", header, footer, left=15, top=30, bottom=22)
    pdf.set_right_margin(15)
    pdf.add_page()
    pdf.set_font("F", "B", 17)
    pdf.cell(180, 9, f"{m.body} – minnesanteckningar", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("F", "", 10)
    pdf.cell(180, 6, f"Tid och plats: {m.front['plats']}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    f = m.front
    with pdf.text_columns(ncols=2, gutter=8, text_align="LEFT", line_height=1.3) as cols:
        def para(text: str, style: str = "", size: float = 10, after: float = 2):
            pdf.set_font("F", style, size)
            with cols.paragraph(text_align="LEFT", bottom_margin=after) as par:
                par.write(text)

        para("Närvarande", "B", 10, 0.5)
        para("; ".join(f["ledamoter"]) + ".")
        para("Övriga", "B", 10, 0.5)
        para("; ".join(f["ovriga"]) + ".", after=4)
        for it in m.items:
            para(f"{it.number}. {it.title}", "B", 10.5, 1)
            for line in it.desc:
                para(line)
            if it.beslut:
                para("Beslut", "B", 9.5, 0.5)
                for line in it.beslut:
                    para(line)
            para("", after=2)
        para(f"Vid anteckningarna: {f['ovriga'][0].split(',')[0]}", after=1)
        para(f"Justeras: {f['justerare']}")
    for it in m.items:
        pdf.item_pages[it.number] = 1
    return pdf


def render_netpublicator(m: Meeting, pages: dict):
    word = "PROTOKOLL" if m.kind == "minutes" else "KALLELSE"

    def header(pdf):
        pdf.set_font("F", "B", 12)
        pdf.set_xy(20, 12)
        pdf.cell(80, 6, m.front["org"])
        pdf.set_font("F", "B", 10)
        pdf.set_xy(130, 10)
        pdf.cell(60, 4.5, word, align="R")
        pdf.set_font("F", "", 9)
        pdf.set_xy(130, 14.5)
        pdf.cell(60, 4.5, m.body, align="R")
        pdf.set_xy(130, 19)
        pdf.cell(60, 4.5, m.date, align="R")
        pdf.set_draw_color(120)
        pdf.line(20, 26, 190, 26)
        pdf.set_xy(20, 32)

    def footer(pdf):
        pdf.set_font("F", "", 8)
        pdf.set_xy(20, pdf.h - 16)
        if m.kind == "minutes":
            pdf.cell(120, 4, "Justerandes signatur: ……………  ……………    Utdragsbestyrkande: ……………")
        pdf.set_xy(150, pdf.h - 16)
        pdf.cell(40, 4, f"Sida {pdf.page_no()} av {{nb}}", align="R")

    pdf = new_pdf(m, "dejavu-sans" if m.kind == "minutes" else "liberation-sans", header, footer,
                  top=32, bottom=24)
    pdf.add_page()
    if m.kind == "agenda":
        return render_kallelse(pdf, m)
    pdf.set_font("F", "B", 20)
    pdf.cell(170, 11, m.body, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("F", "", 11)
    pdf.cell(170, 6, f"Protokoll från sammanträde {sv_weekday(m.date)}en den {sv_date_long(m.date)}",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    label_rows(pdf, front_rows(m), 20, 50, 170, size=9.5)
    signatures(pdf, m, 20)
    anslag_block(pdf, m, 20, 170, size=9)
    pdf.add_page()
    agenda_table(pdf, m, pages, 20, 170, title="Innehållsförteckning", dotted=True, with_dnr=False)
    pdf.add_page()
    for it in m.items:
        start_item(pdf, it)
        pdf.ln(5)
        pdf.set_font("F", "B", 13)
        pdf.multi_cell(170, 6.5, f"{it.number} {it.title}", align="L", new_x="LMARGIN", new_y="NEXT")
        if it.dnr:
            pdf.set_font("F", "", 9)
            pdf.cell(170, 5, f"Dnr {it.dnr}", new_x="LMARGIN", new_y="NEXT")
        write_blocks(pdf, item_blocks(it, owner_genitive(m.body) + " beslut"), 20, 170, size=10)
    return pdf


def render_kallelse(pdf, m: Meeting):
    f = m.front
    pdf.set_font("F", "B", 18)
    pdf.cell(170, 10, "Kallelse", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("F", "", 11)
    pdf.multi_cell(170, 6, f"{m.body} kallas till sammanträde.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    label_rows(pdf, [("Tid", f"{sv_weekday(m.date).capitalize()} {sv_date_long(m.date)} kl. 08:30"),
                     ("Plats", "Kommunkontoret, Mittplånet, Borgholm"),
                     ("Ordförande", f["ordforande"]), ("Sekreterare", f["sekreterare"])], 20, 35, 170)
    pdf.set_font("F", "", 10)
    pdf.multi_cell(170, 5, "Förhinder anmäls till sekreteraren senast dagen före sammanträdet. "
                   "Ersättare tjänstgör endast vid ordinarie ledamots förhinder. Handlingarna finns i "
                   "appen Netpublicator och på kommunens webbplats.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("F", "B", 13)
    pdf.cell(170, 8, "Föredragningslista", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("F", "B", 9.5)
    pdf.cell(12, 6, "Nr", border="B")
    pdf.cell(118, 6, "Ärende", border="B")
    pdf.cell(40, 6, "Dnr", border="B", new_x="LMARGIN", new_y="NEXT")
    for it in m.items:
        need(pdf, 22)
        pdf.item_pages[it.number] = pdf.page_no()
        y = pdf.get_y() + 3
        pdf.set_font("F", "B", 10.5)
        pdf.set_xy(20, y)
        pdf.cell(12, 6, it.number)
        pdf.set_xy(32, y)
        pdf.multi_cell(118, 6, it.title, align="L", new_x="LMARGIN", new_y="NEXT")
        y2 = pdf.get_y()
        if it.dnr:
            pdf.set_font("F", "", 9.5)
            pdf.set_xy(150, y)
            pdf.cell(40, 6, it.dnr)
        pdf.set_y(y2)
        for line in it.desc:
            pdf.set_font("F", "I", 9.5)
            pdf.set_x(32)
            pdf.multi_cell(118, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(32)
        pdf.set_font("F", "", 9.5)
        if it.dnr:
            pdf.multi_cell(118, 5, "Handlingar bifogas.", align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.get_y() + 6)
    pdf.ln(6)
    pdf.set_font("F", "", 10.5)
    pdf.cell(85, 6, f["ordforande"])
    pdf.cell(85, 6, f["sekreterare"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("F", "I", 9.5)
    pdf.cell(85, 5, "Ordförande")
    pdf.cell(85, 5, "Sekreterare", new_x="LMARGIN", new_y="NEXT")
    return pdf


PDF_RENDERERS = {
    "heldout-ciceron": render_ciceron,
    "heldout-lex": render_lex,
    "heldout-platina": render_platina,
    "heldout-w3d3": render_w3d3,
    "heldout-twocolumn": render_twocolumn,
    "heldout-netpublicator": render_netpublicator,
}


# --------------------------------------------------------------------------------------
# DOCX (python-docx): a plain Word protocol from a small council
# --------------------------------------------------------------------------------------


def render_docx(m: Meeting, path: Path) -> None:
    from docx import Document as Docx
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    f = m.front
    styled = m.extra.get("styles", False)
    doc = Docx()
    doc.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    doc.core_properties.modified = FIXED_DATE.replace(tzinfo=None)
    doc.core_properties.author = f.get("sekreterare", "")
    doc.core_properties.title = ""
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri" if styled else "Times New Roman"
    normal.font.size = Pt(11)
    sec = doc.sections[0]
    sec.left_margin = sec.right_margin = Cm(2.2)

    hp = sec.header.paragraphs[0]
    hp.text = f"{f['org']}\tPROTOKOLL\t{m.date}"
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(8), WD_TAB_ALIGNMENT.CENTER)
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    if not styled:
        sec.header.add_paragraph(m.body)
    fp = sec.footer.paragraphs[0]
    fp.text = "Justerandes signatur …………………\tUtdragsbestyrkande …………………"

    def bold_para(text: str, size: float | None = None, italic: bool = False):
        p = doc.add_paragraph()
        r = p.add_run(text)
        r.bold = not italic
        r.italic = italic
        if size:
            r.font.size = Pt(size)
        return p

    def plain(text: str):
        if text.startswith("- "):
            return doc.add_paragraph(text[2:], style="List Bullet")
        return doc.add_paragraph(text)

    if styled:
        doc.add_paragraph(f"{m.body} (BRÅ)", style="Title")
        doc.add_paragraph("Protokoll från sammanträde", style="Subtitle")
        table = doc.add_table(rows=0, cols=2)
        rows = [("Plats och tid", f["plats"]), ("Beslutande", "\n".join(f["ledamoter"])),
                ("Övriga deltagare", "\n".join(f["ovriga"])), ("Utses att justera", f["justerare"]),
                ("Paragrafer", f["paragrafer"])]
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text = label
            cells[0].paragraphs[0].runs[0].bold = True
            cells[1].text = value
        doc.add_paragraph()
    else:
        bold_para(f["org"], 14)
        bold_para("PROTOKOLL", 12)
        doc.add_paragraph(f"{m.body}\nSammanträdesdatum {m.date}")
        for label, value in (("Plats och tid", f["plats"]), ("Beslutande", ", ".join(f["ledamoter"])),
                             ("Övriga närvarande", ", ".join(f["ovriga"])),
                             ("Utses att justera", f["justerare"]),
                             ("Justeringens tid och plats", f["justering"] + ", kommunkontoret"),
                             ("Paragrafer", f["paragrafer"])):
            p = doc.add_paragraph()
            r = p.add_run(label + ":")
            r.bold = True
            p.add_run("\t" + value)
        doc.add_paragraph()
        doc.add_paragraph(f"Sekreterare\t……………………………\n\t{f['sekreterare']}")
        doc.add_paragraph(f"Ordförande\t……………………………\n\t{f['ordforande']}")
        doc.add_paragraph(f"Justerande\t……………………………\n\t{f['justerande']}")
        doc.add_page_break()

    for it in m.items:
        if styled:
            doc.add_heading(f"{it.number} {it.title}", level=2)
            if it.dnr:
                doc.add_paragraph(f"Dnr {it.dnr}")
        else:
            bold_para(f"{it.number}\t{it.title}", 12)
            if it.dnr:
                bold_para(f"Dnr {it.dnr}", italic=True)
        for kind, text in item_blocks(it, "Beslut" if styled else "Arbetsutskottets beslut",
                                      desc_heading="Ärendet" if styled else "Ärendebeskrivning"):
            if kind == "h":
                bold_para(text)
            else:
                plain(("- " if kind == "li" else "") + text)
    if styled:
        doc.add_paragraph()
        doc.add_paragraph(f"Vid protokollet\n\n……………………………\n{f['sekreterare']}, sekreterare")
        doc.add_paragraph(f"Justeras\n\n……………………………\t……………………………\n"
                          f"{f['ordforande']}, ordförande\t{f['justerande']}, justerare")
    doc.save(str(path))


# --------------------------------------------------------------------------------------
# Text: informal notes (Markdown / TXT) and a flattened web copy
# --------------------------------------------------------------------------------------


def render_markdown_notes(m: Meeting) -> str:
    out = [f"# Minnesanteckningar – {m.body}", "",
           f"**Höörs kommun**  ",
           f"**Datum:** {sv_weekday(m.date)} {sv_date_long(m.date)}, kl. 15.00–16.45  ",
           "**Plats:** Kommunhuset, sammanträdesrum Ringsjön", "",
           "**Närvarande:** Anders Jönsson (ordförande, KS), Jimmy Olsson (kommunpolis), "
           "Lisa Hansson (socialtjänsten), Sofie Nyman (Höörs fastighets AB), Karim Said (räddningstjänsten "
           "Skåne Mitt), Petra Lund (säkerhetssamordnare, antecknar)", "",
           "**Förhinder:** Tomas Ek (fritid)", "", "---", ""]
    for it in m.items:
        out += [f"## {it.number}. {it.title}", ""]
        for line in it.desc:
            out.append(line)
            if not line.startswith("- "):
                out.append("")
        if out[-1] != "":
            out.append("")
    out += ["---", "", "*Vid anteckningarna: Petra Lund*", ""]
    return "\n".join(out)


def render_txt_notes(m: Meeting) -> str:
    if m.key.startswith("notes-lerum"):
        out = ["LERUMS KOMMUN", "EST-gruppen (Effektiv samordning för trygghet) – minnesanteckningar", "",
               f"Datum: {sv_date_long(m.date)}, kl. 09.00–10.15",
               "Plats: Lerums kommunhus, rum Aspen och Teams", "",
               "Deltagare: Maria Fors (säkerhetssamordnare, sammankallande), Oskar Lind (Polisen), "
               "Amira Jusic (fältgruppen), Henrik Bergh (socialtjänsten), Ulla Stake (Lerums bostäder), "
               "Johan Winther (räddningstjänsten Storgöteborg)", "",
               "OBS! Anteckningarna innehåller uppgifter om enskilda och lämnas inte ut utan "
               "sekretessprövning.", "", ""]
        for it in m.items:
            out += [f"{it.shown_number} {it.title}"]
            out += it.desc
            out += ["", ""]
        out += ["Antecknat av Maria Fors"]
        return "\n".join(out) + "\n"
    out = ["Strömstads kommun", "Minnesanteckningar Folkhälsorådet", "",
           f"Tid: {sv_weekday(m.date)} {sv_date_long(m.date)}, kl. 13.00–15.30",
           "Plats: Stadshuset, sammanträdesrum Kosterhavet", "",
           "Närvarande: Lars Tysklind (ordförande), Kent Hansson, Karin Lindahl "
           "(folkhälsosamordnare), Anna-Lena Karlsson (Västra Götalandsregionen), Erik Holm (Polisen), "
           "Mona Sjöström (elevhälsan)", "Frånvarande: Ida Hedberg", "", ""]
    for it in m.items:
        out += [it.title]
        out += it.desc
        out += [""]
    out += ["", "Vid anteckningarna", "Karin Lindahl"]
    return "\n".join(out) + "\n"


def flattened_pages(m: Meeting) -> list[str]:
    """The protocol's pages as a web page copy gives them: one line per page, furniture inline."""
    f = m.front
    head = lambda n, total: (f"{f['org'].upper()} SAMMANTRÄDESPROTOKOLL Sida {n} ({total}) "  # noqa: E731
                             f"{m.body} Sammanträdesdatum {m.date}")
    foot = "Justerandes sign Utdragsbestyrkande"
    front = " ".join([
        f"Plats och tid {f['plats']}", "Beslutande " + ", ".join(f["ledamoter"]),
        "Övriga deltagare " + ", ".join(f["ovriga"]), f"Utses att justera {f['justerare']}",
        f"Justeringens plats och tid Kommunhuset 2023-06-16",
        f"Underskrifter Sekreterare ................................ Paragrafer {f['paragrafer']} "
        f"{f['sekreterare']} Ordförande ................................ {f['ordforande']} "
        f"Justerande ................................ {f['justerande']}",
        f"ANSLAG/BEVIS Protokollet är justerat. Justeringen har tillkännagivits genom anslag. Organ {m.body} "
        f"Sammanträdesdatum {m.date} Datum då anslaget sätts upp 2023-06-19 Datum då anslaget tas ned "
        "2023-07-11 Förvaringsplats för protokollet Kommunledningskontoret"])
    bodies = []
    for it in m.items:
        parts = [it.number + (f" Dnr {it.dnr}" if it.dnr else ""), it.title]
        for kind, text in item_blocks(it, "Brottsförebyggande rådets beslut"):
            parts.append(("– " if kind == "li" else "") + text)
        bodies.append(" ".join(parts))
    # The body runs on from page to page, so items break across page lines as on paper.
    words = " ".join(bodies).split(" ")
    n = 3
    cut = [round(len(words) * k / n) for k in range(n + 1)]
    total = 1 + n
    pages = [f"{head(1, total)} {front} {foot}"]
    for k in range(n):
        pages.append(f"{head(k + 2, total)} {' '.join(words[cut[k]:cut[k + 1]])} {foot}")
    return pages


# --------------------------------------------------------------------------------------
# Gold labels and main
# --------------------------------------------------------------------------------------

EXT = {"pdf": ".pdf", "docx": ".docx", "md": ".md", "txt": ".txt"}


def gold_for(m: Meeting) -> dict:
    meeting = {"kind": m.kind, "body": m.body, "municipality": m.municipality, "date": m.date}
    if m.body_alternatives:
        meeting["body_alternatives"] = m.body_alternatives
    return {
        "source": f"tests/data/heldout/docs/{m.key}{EXT[m.fmt]}",
        "family": m.family,
        "synthetic": True,
        "heldout": True,
        "meeting": meeting,
        "agenda_list": m.agenda_list,
        "items": [{"number": it.number, "dnr": it.dnr, "title": it.title} for it in m.items],
    }


def page_count(path: Path) -> int | None:
    if path.suffix != ".pdf":
        return None
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    GOLD.mkdir(parents=True, exist_ok=True)
    for m in MEETINGS:
        path = DOCS / f"{m.key}{EXT[m.fmt]}"
        if m.fmt == "pdf":
            path.write_bytes(two_pass(PDF_RENDERERS[m.family], m))
        elif m.fmt == "docx":
            render_docx(m, path)
        elif m.fmt == "md":
            path.write_text(render_markdown_notes(m), encoding="utf-8")
        elif m.family == "heldout-flattened":
            path.write_text("\n".join(flattened_pages(m)) + "\n", encoding="utf-8")
        else:
            path.write_text(render_txt_notes(m), encoding="utf-8")
        (GOLD / f"{m.key}.json").write_text(
            json.dumps(gold_for(m), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{path.relative_to(ROOT)}  pages={page_count(path)}  items={len(m.items)}")


if __name__ == "__main__":
    main()
