"""Reference data every deployment needs: the data-need themes, THL's national phenomena, forums (a welfare group for
each of the county's municipalities) and the default events of the HYTE annual clock.

The municipalities come from the county setup (app/workflow/admin/county.py), not from here.

Loading is idempotent: rows are matched by code, missing ones are added, existing ones are
left as the administrator may have edited them.
"""
from __future__ import annotations

import sqlalchemy as sa

from app.codes import EscalationLevel
from app.extensions import db
from app.models import Forum, Municipality, NationalPhenomenon, Theme
from app.workflow.compilations.clock_events import seed_default_events

# THL's national phenomena (seed 000), version 1 of the classification; the administrator adds and retires
# phenomena from there (app/workflow/phenomena/coding.py). Code, label, and the form's one-line explanation.
NATIONAL_PHENOMENA = (
    ("homelessness", "Asunnottomuus", "Homelessness"),
    ("mental_health", "Mielenterveys", "Mental health"),
    ("substances_and_addictions", "Päihteet ja riippuvuudet", "Substances and addictions"),
    ("economic_situation", "Taloudellinen tilanne ja toimeentulo", "Economic situation and income"),
)
EXPLANATIONS = {  # the same as migration 4f2a8c1d9e07 gives the rows it finds
    "homelessness": ("Asunnon puute, asunnon menettämisen uhka tai asuminen tilapäisesti muiden luona tai ensisuojassa.",
                     "Lack of a home, the threat of losing it, or living temporarily with others or in a shelter.",
                     "Brist på bostad, hot om att förlora den eller tillfälligt boende hos andra eller i härbärge."),
    "mental_health": ("Mielenterveyden ongelmat ja mielenterveyspalvelujen saatavuus.",
                      "Mental health problems and the availability of mental health services.",
                      "Psykiska problem och tillgången till mentalvårdstjänster."),
    "substances_and_addictions": ("Alkoholin, huumeiden ja lääkkeiden käyttö sekä peli- ja muut riippuvuudet "
                                  "ja niiden palvelut.",
                                  "Use of alcohol, drugs and medicines, gambling and other addictions, and their "
                                  "services.",
                                  "Bruk av alkohol, droger och läkemedel, spel- och andra beroenden samt tjänsterna "
                                  "för dem."),
    "economic_situation": ("Toimeentulo, velat, etuudet ja köyhyys: rahan riittäminen elämiseen.",
                           "Income, debt, benefits and poverty: whether money is enough to live on.",
                           "Utkomst, skulder, förmåner och fattigdom: om pengarna räcker till att leva."),
}

# Swedish labels of the phenomena and themes above and below, as a Finland-Swedish social worker writes them.
LABELS_SV = {
    "homelessness": "Bostadslöshet",
    "mental_health": "Psykisk hälsa",
    "substances_and_addictions": "Rusmedel och beroenden",
    "economic_situation": "Ekonomisk situation och utkomst",
    "service_processes": "Klientrelation och serviceprocesser",
    "service_needs": "Servicebehov",
    "service_use": "Användning av tjänster",
    "effectiveness": "Verkningsfullhet",
    "substance_use_and_mental_health": "Rusmedel och psykisk hälsa",
    "social_context": "Samhälleligt och socialt sammanhang",
    "income": "Utkomst",
    "employment_and_education": "Sysselsättning, studier och skolgång",
    "social_relations_and_inclusion": "Sociala relationer och delaktighet",
    "housing": "Boende",
    "functioning_and_health": "Funktionsförmåga och hälsa",
    "regional_differences": "Regionala skillnader",
    "client_experiences": "Klienternas erfarenheter",
    "special_client_groups": "Särskilda klientgrupper",
}

# The data-need themes of THL working paper 16/2022 (seed 003, table 3, "Väestöryhmittäisiä tietotarpeita"):
# what municipalities said they need to know. No theme implies a national phenomenon.
THEMES = (
    ("service_processes", "Asiakkuus ja palveluprosessit", "Client relationship and service processes"),
    ("service_needs", "Palvelutarpeet", "Service needs"),
    ("service_use", "Palvelujen käyttö", "Use of services"),
    ("effectiveness", "Vaikuttavuus", "Effectiveness"),
    ("substance_use_and_mental_health", "Päihteet ja mielenterveys", "Substance use and mental health"),
    ("social_context", "Yhteiskunnallinen ja sosiaalinen konteksti", "Societal and social context"),
    ("income", "Toimeentulo", "Income"),
    ("employment_and_education", "Työllisyys, opinnot ja koulunkäynti", "Employment, studies and schooling"),
    ("social_relations_and_inclusion", "Sosiaaliset suhteet ja osallisuus", "Social relations and inclusion"),
    ("housing", "Asuminen", "Housing"),
    ("functioning_and_health", "Toimintakyky ja terveys", "Functional ability and health"),
    ("regional_differences", "Alueelliset erot", "Regional differences"),
    ("client_experiences", "Asiakkaiden kokemukset", "Clients' experiences"),
    ("special_client_groups", "Erityiset asiakasryhmät", "Special client groups"),
)


# Forums a report can be taken to, from the work unit up to legislation (seed 004).
FORUMS = (
    ("unit-development", "Työyksikön kehittämispalaveri", EscalationLevel.UNIT),
    ("structural-working-group", "Rakenteellisen sosiaalityön työryhmä", EscalationLevel.COUNTY),
    ("customer-experience", "Asiakaskokemusjaosto", EscalationLevel.COUNTY),
    ("sote-management", "Sosiaali- ja terveyspalvelujen johtoryhmä", EscalationLevel.COUNTY),
    ("kela-employment", "Yhteistyöryhmä Kelan ja työllisyyspalvelujen kanssa", EscalationLevel.COUNTY),
    ("psychiatry", "Yhteistyöryhmä psykiatrian palvelujen kanssa", EscalationLevel.COUNTY),
    ("thl-network", "THL:n rakenteellisen sosiaalityön valtakunnallinen verkosto", EscalationLevel.NATIONAL),
    ("stm", "Sosiaali- ja terveysministeriö", EscalationLevel.MINISTRY),
)


def load_reference_data() -> None:
    """Add what is missing; flush, the caller commits."""
    session = db.session

    phenomena = set(session.scalars(sa.select(NationalPhenomenon.code)))
    for position, (code, label_fi, label_en) in enumerate(NATIONAL_PHENOMENA):
        if code not in phenomena:
            explanation_fi, explanation_en, explanation_sv = EXPLANATIONS[code]
            session.add(NationalPhenomenon(code=code, label_fi=label_fi, label_en=label_en,
                                           label_sv=LABELS_SV.get(code), position=position, added_in_version=1,
                                           explanation_fi=explanation_fi, explanation_en=explanation_en,
                                           explanation_sv=explanation_sv))

    themes = set(session.scalars(sa.select(Theme.code)))
    for position, (code, label_fi, label_en) in enumerate(THEMES):
        if code not in themes:
            session.add(Theme(code=code, label_fi=label_fi, label_en=label_en, label_sv=LABELS_SV.get(code),
                              position=position))
    forums = set(session.scalars(sa.select(Forum.code)))
    session.add_all(Forum(code=code, name=name, level=level) for code, name, level in FORUMS if code not in forums)
    for municipality in session.scalars(sa.select(Municipality).where(Municipality.retired.is_(False))):
        code = f"hyte-{municipality.code}"
        if code not in forums:  # the administrator may rename it (e.g. "Kajaanin hyvinvointiryhmä")
            session.add(Forum(code=code, name=f"Hyvinvointiryhmä (HYTE), {municipality.name}",
                              level=EscalationLevel.COUNTY, municipality=municipality))
    session.flush()
    seed_default_events()
