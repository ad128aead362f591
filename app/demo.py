"""Demo data: a plausible Pohjois-Savo organisation, a user for every role, sample reports and compilations.

Every step matches existing rows by code or e-mail, so seeding twice changes nothing.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.codes import (
    Nature,
    NodeKind,
    Phenomenon,
    PopulationGroup,
    ProfessionGroup,
    ReportStatus,
    Role,
)
from app.demo_texts import REPORT_TEMPLATES
from app.extensions import db
from app.models import (
    Forum,
    SiteSetting,
    Municipality,
    NationalPhenomenon,
    OrgNode,
    OutboxMessage,
    Report,
    RoleAssignment,
    Theme,
    User,
    utcnow,
)
from app.workflow.admin.county import setup_county
from app.workflow.cases.operations import perform
from app.workflow.cases.release import release_filing
from app.workflow.cases.routing import responsible_users
from app.workflow.cases.transitions import TRANSITIONS, Action
from app.workflow.phenomena.coding import confirm_coding
from app.workflow.reports.filing import ReportInput, file_report

# How a demo report reaches each status, and the notes its handler writes on the way.
PATHS = {
    ReportStatus.RECEIVED: (),
    ReportStatus.IN_HANDLING: (Action.START_HANDLING,),
    ReportStatus.WAITING_FOR_REPORTER: (Action.START_HANDLING, Action.ASK_REPORTER),
    ReportStatus.FORWARDED: (Action.START_HANDLING, Action.TAKE_FORWARD),
    ReportStatus.RESOLVED: (Action.START_HANDLING, Action.TAKE_FORWARD, Action.RESOLVE),
    ReportStatus.CLOSED: (Action.START_HANDLING, Action.CLOSE),
}
NOTES = {
    Action.START_HANDLING: "Raportti on otettu käsittelyyn.",
    Action.ASK_REPORTER: "Kiitos raportista. Voisitko kertoa, kuinka usein olet havainnut tämän viime kuukausina?",
    Action.TAKE_FORWARD: "Ilmiö koskee useaa yksikköä, joten se viedään laajemmin käsiteltäväksi.",
    Action.RESOLVE: "Asiasta on sovittu toimenpiteet, ja ne on kirjattu yksiköiden toimintasuunnitelmiin.",
    Action.CLOSE: "Ilmiö on jo käsitelty aiemman raportin yhteydessä, joten erillisiä toimenpiteitä ei tehdä.",
}

# (code, name, [(service area code, name, [(unit code, unit name, municipality name)])])
TREE = (
    ("PSP", "Perhe- ja sosiaalipalvelut", (
        ("PSP-LAPSI", "Lapsiperheiden palvelut", (
            ("PSP-LAPSI-LS-KUO", "Lastensuojelun avohuolto, Kuopio", "Kuopio"),
            ("PSP-LAPSI-LS-IIS", "Lastensuojelun avohuolto, Iisalmi", "Iisalmi"),
            ("PSP-LAPSI-LS-VAR", "Lastensuojelun avohuolto, Varkaus", "Varkaus"),
            ("PSP-LAPSI-PS-SII", "Perhesosiaalityö, Siilinjärvi", "Siilinjärvi"),
            ("PSP-LAPSI-PS-SUO", "Perhesosiaalityö, Suonenjoki", "Suonenjoki"),
            ("PSP-LAPSI-PS-KIU", "Perhesosiaalityö, Kiuruvesi", "Kiuruvesi"),
        )),
        ("PSP-AIK", "Aikuissosiaalityö", (
            ("PSP-AIK-KUO", "Aikuissosiaalityö, Kuopio", "Kuopio"),
            ("PSP-AIK-NUO-KUO", "Nuorten sosiaalityö, Kuopio", "Kuopio"),
            ("PSP-AIK-IIS", "Aikuissosiaalityö, Iisalmi", "Iisalmi"),
            ("PSP-AIK-VAR", "Aikuissosiaalityö, Varkaus", "Varkaus"),
            ("PSP-AIK-LEP", "Aikuissosiaalityö, Leppävirta", "Leppävirta"),
            ("PSP-AIK-LAP", "Aikuissosiaalityö, Lapinlahti", "Lapinlahti"),
            ("PSP-AIK-JOR", "Joroisten sosiaalityö", "Joroinen"),
        )),
        ("PSP-VAM", "Vammaispalvelut", (
            ("PSP-VAM-KUO", "Vammaispalvelut, Kuopio", "Kuopio"),
            ("PSP-VAM-IIS", "Vammaispalvelut, Ylä-Savo", "Iisalmi"),
            ("PSP-VAM-VAR", "Vammaispalvelut, Varkaus", "Varkaus"),
        )),
    )),
    ("IKA", "Ikääntyneiden palvelut", (
        ("IKA-ASOH", "Asiakasohjaus ja kotihoito", (
            ("IKA-ASOH-KUO", "Ikääntyneiden asiakasohjaus, Kuopio", "Kuopio"),
            ("IKA-ASOH-IIS", "Ikääntyneiden asiakasohjaus, Iisalmi", "Iisalmi"),
            ("IKA-ASOH-VAR", "Ikääntyneiden asiakasohjaus, Varkaus", "Varkaus"),
            ("IKA-KH-PIE", "Kotihoito, Pielavesi", "Pielavesi"),
            ("IKA-KH-RAU", "Kotihoito, Rautalampi", "Rautalampi"),
            ("IKA-KH-TUU", "Kotihoito, Tuusniemi", "Tuusniemi"),
            ("IKA-KH-KAA", "Kotihoito, Kaavi", "Kaavi"),
        )),
        ("IKA-ASU", "Asumispalvelut", (
            ("IKA-ASU-KEI", "Palveluasuminen, Keitele", "Keitele"),
            ("IKA-ASU-SON", "Palveluasuminen, Sonkajärvi", "Sonkajärvi"),
            ("IKA-ASU-VIE", "Palveluasuminen, Vieremä", "Vieremä"),
            ("IKA-ASU-KUO", "Palveluasuminen, Kuopio", "Kuopio"),
        )),
    )),
    ("TER", "Terveys- ja sairaanhoitopalvelut", (
        ("TER-SOTE", "Sote-keskukset", (
            ("TER-SOTE-KUO", "Sote-keskus, Kuopio keskusta", "Kuopio"),
            ("TER-SOTE-SII", "Sote-keskus, Siilinjärvi", "Siilinjärvi"),
            ("TER-SOTE-IIS", "Sote-keskus, Iisalmi", "Iisalmi"),
            ("TER-SOTE-VAR", "Sote-keskus, Varkaus", "Varkaus"),
            ("TER-SOTE-SUO", "Sote-keskus, Suonenjoki", "Suonenjoki"),
            ("TER-SOTE-LEP", "Sote-keskus, Leppävirta", "Leppävirta"),
            ("TER-SOTE-RAV", "Sote-keskus, Rautavaara", "Rautavaara"),
            ("TER-SOTE-TER", "Sote-keskus, Tervo", "Tervo"),
            ("TER-SOTE-VES", "Sote-keskus, Vesanto", "Vesanto"),
        )),
        ("TER-MTP", "Mielenterveys- ja päihdepalvelut", (
            ("TER-MTP-PKL-KUO", "Päihdeklinikka, Kuopio", "Kuopio"),
            ("TER-MTP-MT-IIS", "Mielenterveyspalvelut, Iisalmi", "Iisalmi"),
            ("TER-MTP-VAR", "Mielenterveys- ja päihdepalvelut, Varkaus", "Varkaus"),
            ("TER-MTP-JOR", "Mielenterveys- ja päihdepalvelut, Joroinen", "Joroinen"),
        )),
    )),
)

# (e-mail, name, [(role, node code or None, municipality name or None)])
USERS = (
    ("tyontekija@sora.example", "Tiina Työntekijä", ((Role.EMPLOYEE, "PSP-AIK-KUO", None),)),
    ("esihenkilo@sora.example", "Eero Esihenkilö",
     ((Role.SUPERVISOR, "PSP-AIK-KUO", None), (Role.SUPERVISOR, "PSP-AIK-NUO-KUO", None))),
    ("kasittelija@sora.example", "Kaisa Käsittelijä", ((Role.HANDLER, "PSP-AIK", None),)),
    ("kasittelija.ika@sora.example", "Kalle Käsittelijä", ((Role.HANDLER, "IKA", None),)),
    ("kasittelija.perhe@sora.example", "Pirjo Perhepalvelut", ((Role.HANDLER, "PSP", None),)),
    ("kasittelija.terveys@sora.example", "Teemu Terveyspalvelut", ((Role.HANDLER, "TER", None),)),
    ("sosiaalijohtaja@sora.example", "Sanna Sosiaalijohtaja", ((Role.SOCIAL_DIRECTOR, None, None),)),
    ("tyoryhma@sora.example", "Toni Työryhmä", ((Role.WORKING_GROUP, None, None),)),
    ("jaosto@sora.example", "Jaana Jaosto", ((Role.REVIEW_BODY, None, None),)),
    ("hyte.kuopio@sora.example", "Heli Hyvinvointikoordinaattori", ((Role.WELFARE_COORDINATOR, None, "Kuopio"),)),
    ("hyte.alue@sora.example", "Harri Hyvinvointikoordinaattori", ((Role.WELFARE_COORDINATOR, None, None),)),
    ("paakayttaja@sora.example", "Paula Pääkäyttäjä", ((Role.ADMIN, None, None),)),
    ("vastuuhenkilo@sora.example", "Veera Vastuuhenkilö",
     ((Role.CONTACT_PERSON, "PSP-AIK-KUO", None), (Role.EMPLOYEE, "PSP-AIK-KUO", None))),
    ("vastuuhenkilo.varkaus@sora.example", "Ville Vastuuhenkilö", ((Role.CONTACT_PERSON, "PSP-AIK-VAR", None),)),
)

DEMO_REPORTER_NAMES = ("Maija Meikäläinen", "Matti Virtanen", "Liisa Korhonen", "Jussi Hyvönen", "Anni Kinnunen")


def seed_organisation() -> None:
    municipalities = {m.name: m for m in db.session.scalars(sa.select(Municipality))}
    nodes = {n.code: n for n in db.session.scalars(sa.select(OrgNode))}

    def ensure(code: str, name: str, kind: NodeKind, parent: OrgNode | None, municipality: str | None) -> OrgNode:
        if code not in nodes:
            nodes[code] = OrgNode(code=code, name=name, kind=kind, parent=parent,
                                  municipality=municipalities[municipality] if municipality else None)
            db.session.add(nodes[code])
        return nodes[code]

    for division_code, division_name, areas in TREE:
        division = ensure(division_code, division_name, NodeKind.DIVISION, None, None)
        for area_code, area_name, units in areas:
            area = ensure(area_code, area_name, NodeKind.SERVICE_AREA, division, None)
            for unit_code, unit_name, municipality in units:
                ensure(unit_code, unit_name, NodeKind.UNIT, area, municipality)
    db.session.flush()


def seed_users(password: str) -> list[User]:
    nodes = {n.code: n for n in db.session.scalars(sa.select(OrgNode))}
    municipalities = {m.name: m for m in db.session.scalars(sa.select(Municipality))}
    users = []
    for email, name, roles in USERS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name)
            user.set_password(password)
            user.roles = [
                RoleAssignment(role=role, org_node=nodes[node] if node else None,
                               municipality=municipalities[municipality] if municipality else None)
                for role, node, municipality in roles
            ]
            db.session.add(user)
        users.append(user)
    db.session.flush()
    return users


def seed_reports(count: int, *, now: datetime | None = None, seed: int = 2026) -> int:
    """File sample reports until the database holds `count`; returns how many were added."""
    existing = db.session.scalar(sa.select(sa.func.count()).select_from(Report)) or 0
    missing = max(0, count - existing)
    if not missing:
        return 0
    now = now or utcnow()
    rng = random.Random(seed + existing)
    units = list(db.session.scalars(sa.select(OrgNode).where(OrgNode.kind == NodeKind.UNIT).order_by(OrgNode.code)))
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    national = {p.code: p for p in db.session.scalars(sa.select(NationalPhenomenon))}
    all_municipalities = list(db.session.scalars(sa.select(Municipality).order_by(Municipality.code)))
    employee = db.session.scalar(sa.select(User).where(User.email == USERS[0][0]))
    users = list(db.session.scalars(sa.select(User)))
    forums = list(db.session.scalars(sa.select(Forum).where(Forum.active.is_(True)).order_by(Forum.code)))
    moments = sorted(now - timedelta(days=rng.uniform(0, 730)) for _ in range(missing))
    statuses = list(PATHS)
    filed: list[int] = []
    for index, moment in enumerate(moments):
        template = rng.choice(REPORT_TEMPLATES)
        unit = rng.choice(units)
        named = rng.random() < 0.4
        by_employee = named and employee is not None and rng.random() < 0.3
        scope = rng.random()
        coded = [national[code] for code in template["national_phenomena"] if code in national]
        suggested = bool(coded) and rng.random() < 0.6  # most reporters who see a fitting phenomenon tick it
        data = ReportInput(
            unit=unit,
            nature=Nature(template["nature"]),
            phenomenon=Phenomenon(template["phenomenon"]),
            description=template["description"],
            profession_group=rng.choice([*ProfessionGroup, None]),
            themes=[themes[code] for code in template["themes"] if code in themes],
            national_phenomena=coded if suggested else (),
            population_group=PopulationGroup(template["population_group"]) if template["population_group"] else None,
            municipalities=rng.sample(all_municipalities, 2) if scope > 0.9 else (),
            whole_county=0.8 < scope <= 0.9,
            significance=template["significance"],
            proposed_actions=template["proposed_actions"] or None,
            available_to_help=rng.choice([True, False, None]),
            made_by_team=rng.random() < 0.25,
            with_client=rng.random() < 0.1,
            reporter_name=(employee.name if by_employee else rng.choice(DEMO_REPORTER_NAMES)) if named else None,
            reporter_email=(employee.email if by_employee else None) if named else None,
        )
        made = file_report(data, author=employee if by_employee else None, now=moment)
        report = made.report or release_filing(made.held, moment)  # type: ignore[arg-type]  # the past is released
        target = statuses[index] if index < len(statuses) else rng.choice(statuses)
        if (now - moment).days < 14 and target not in (ReportStatus.RECEIVED, ReportStatus.IN_HANDLING):
            target = ReportStatus.RECEIVED
        handlers = responsible_users(report.handling_node, users)
        _progress(report, PATHS[target], handlers, forums, rng, now)
        # Handled reports have their phenomena confirmed; a few new ones still show only the reporter's pick.
        if handlers and (report.first_handled_at is not None or not suggested or rng.random() < 0.3):
            confirm_coding(report, coded, rng.choice(handlers), now=report.first_handled_at or report.last_step_at)
        filed.append(report.id)
    # The demo's history happened before anyone was there to read mail: only new events are mailed.
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.report_id.in_(filed)))
    return missing


def _progress(report: Report, path: tuple[Action, ...], handlers: list[User], forums: list[Forum],
              rng: random.Random, now: datetime) -> None:
    """Walk a demo report along the workflow, a few days between steps, never past `now`."""
    moment = report.created_at
    for action in path:
        moment = min(moment + timedelta(days=rng.uniform(1, 20)), now)
        fitting = [f for f in forums if f.municipality_id in (None, report.unit.municipality_id)]
        perform(action, report, rng.choice(handlers), note=NOTES[action], is_public=True,
                forum=rng.choice(fitting) if TRANSITIONS[action].needs_forum else None, now=moment)


DEMO_SUMMARY = (
    "Kauden raporteissa toistuvat asumisen kustannukset, toimeentulon niukkuus ja mielenterveys- ja "
    "päihdepalvelujen saatavuus. Myönteisiä raportteja tuli yhteisvastaanotoista ja jalkautuvasta työstä, "
    "joita kannattaa laajentaa muihin kuntiin."
)
DEMO_THEME_TEXTS = {
    "housing": ("Kohtuuhintaisia vuokra-asuntoja on liian vähän, ja vuokrat ylittävät asumistuen rajat "
                "erityisesti Kuopiossa ja Siilinjärvellä.",
                "Kunnat ja hyvinvointialue laativat yhteisen asunnottomuuden ennaltaehkäisyn suunnitelman."),
    "substance_use_and_mental_health": ("Hoitoon pääsyä joudutaan odottamaan, ja asiakkaat putoavat palvelujen väliin.",
                                        "Matalan kynnyksen yhteispäivystys sosiaali- ja terveyspalveluihin."),
}


def seed_compilations(now: datetime | None = None) -> None:
    """A published compilation of the half-year before last and a draft of the latest one; once only."""
    from app.codes import CompilationAction
    from app.workflow.compilations import operations as compilations
    from app.workflow.compilations.periods import HELSINKI, latest_ended

    now = now or utcnow()
    group = db.session.scalar(sa.select(User).where(User.email == "tyoryhma@sora.example"))
    body = db.session.scalar(sa.select(User).where(User.email == "jaosto@sora.example"))
    if group is None or body is None:
        return
    latest = latest_ended(now.astimezone(HELSINKI).date())
    published, draft = latest.previous(), latest
    if compilations.find(published) is None:
        compilation = compilations.open_compilation(published, group, now)
        compilations.save_texts(compilation, group, DEMO_SUMMARY, DEMO_THEME_TEXTS)
        start, end = published.bounds()
        numbers = db.session.scalars(sa.select(Report.number).where(Report.created_at >= start, Report.created_at < end)
                                     .order_by(Report.significance.desc().nulls_last(), Report.id).limit(2)).all()
        for number in numbers:
            compilations.highlight_report(compilation, group, number)
        compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, group)
        compilations.perform(CompilationAction.APPROVE, compilation, body, note="Hyväksytty jaoston kokouksessa.")
    if compilations.find(draft) is None:
        compilation = compilations.open_compilation(draft, group, now)
        compilations.save_texts(compilation, group, "Luonnos: yhteenveto kirjoitetaan työryhmän kokouksessa.", {})


DEMO_GROUPS = (
    # (name, theme the reports carry, half-years back, description, observations, proposal, national phenomena)
    ("Kohtuuhintaisten asuntojen puute", "housing", 1,
     "Raportit kertovat samasta asiasta eri puolilta hyvinvointialuetta: kohtuuhintaisia vuokra-asuntoja on liian "
     "vähän, ja asiakkaiden vuokrat ylittävät asumistuen rajat.",
     "Ilmiö näkyy sekä kaupungeissa että pienissä kunnissa. Asunnon menettämisen uhka johtaa usein "
     "toimeentulotuen tarpeeseen.",
     "Hyvinvointialue ja kunnat laativat yhteisen asunnottomuuden ennaltaehkäisyn suunnitelman.", ("homelessness",)),
    ("Päihde- ja mielenterveyspalvelujen jonot", "substance_use_and_mental_health", 0,
     "Asiakkaat odottavat päihde- ja mielenterveyspalveluihin pääsyä viikkoja, ja tilanne kriisiytyy odottaessa.",
     "Jonot ovat pisimmät aikuissosiaalityön asiakkailla.",
     "Matalan kynnyksen yhteisvastaanotto laajennetaan kaikkiin seutukuntiin.",
     ("mental_health", "substances_and_addictions")),
)


def seed_groups(now: datetime | None = None) -> None:
    """Two phenomenon groups with a proposal each, the older one followed up; once only.

    Seeded before the compilations, so the published one carries its group.
    """
    from app.codes import FollowUpStatus
    from app.models import NationalPhenomenon, PhenomenonGroup, ReportNationalPhenomenon, report_theme
    from app.workflow.compilations.periods import HELSINKI, latest_ended
    from app.workflow.phenomena import follow_ups, groups

    if db.session.scalar(sa.select(PhenomenonGroup.id).limit(1)) is not None:
        return
    now = now or utcnow()
    group = db.session.scalar(sa.select(User).where(User.email == "tyoryhma@sora.example"))
    if group is None:
        return
    latest = latest_ended(now.astimezone(HELSINKI).date())
    forum = db.session.scalar(sa.select(Forum).where(Forum.code == "sote-management"))
    for name, theme, back, description, observations, proposal, national in DEMO_GROUPS:
        period = latest.previous() if back else latest
        start, end = period.bounds()
        # The half-year's reports that carry the theme or a handler's coding of the group's phenomena.
        coded = (sa.select(ReportNationalPhenomenon.report_id).join(NationalPhenomenon)
                 .where(ReportNationalPhenomenon.confirmed.is_(True), NationalPhenomenon.code.in_(national)))
        themed = (sa.select(report_theme.c.report_id).join(Theme, Theme.id == report_theme.c.theme_id)
                  .where(Theme.code == theme))
        ids = db.session.scalars(
            sa.select(Report.id).where(sa.or_(Report.id.in_(coded), Report.id.in_(themed)),
                                       Report.created_at >= start, Report.created_at < end).order_by(Report.id).limit(8)).all()
        made = groups.create_group(group, groups.GroupText(name, description, observations, national), ids, now)
        added = groups.add_proposal(made, group, proposal, now)
        if back and forum is not None:
            follow_ups.record_follow_up(group, follow_ups.FollowUpInput(
                forum, "", (now - timedelta(days=30)).date(),
                "Johtoryhmä käsitteli ehdotuksen ja antoi asumisen palvelualueelle tehtäväksi valmistella "
                "suunnitelman yhdessä kuntien kanssa.", FollowUpStatus.IN_PROGRESS), proposal=added, now=now)


# The municipal welfare (HYTE) groups, named in the genitive as the municipalities of Pohjois-Savo name them.
GENITIVES = {
    "Iisalmi": "Iisalmen", "Joroinen": "Joroisten", "Kaavi": "Kaavin", "Keitele": "Keiteleen",
    "Kiuruvesi": "Kiuruveden", "Kuopio": "Kuopion", "Lapinlahti": "Lapinlahden", "Leppävirta": "Leppävirran",
    "Pielavesi": "Pielaveden", "Rautalampi": "Rautalammin", "Rautavaara": "Rautavaaran",
    "Siilinjärvi": "Siilinjärven", "Sonkajärvi": "Sonkajärven", "Suonenjoki": "Suonenjoen", "Tervo": "Tervon",
    "Tuusniemi": "Tuusniemen", "Varkaus": "Varkauden", "Vesanto": "Vesannon", "Vieremä": "Vieremän",
}


# The demo county's channels for the other notifications (the settings page's links).
OTHER_CHANNELS = {
    "shortcoming_notification": "https://www.pshyvinvointialue.fi/epakohtailmoitus",
    "patient_safety": "https://www.pshyvinvointialue.fi/potilas-ja-asiakasturvallisuus",
    "occupational_safety": "https://intra.pshyvinvointialue.fi/tyoturvallisuusilmoitus",
    "data_protection": "https://www.pshyvinvointialue.fi/tietosuoja",
    "indoor_air": "https://intra.pshyvinvointialue.fi/sisailmailmoitus",
}


def seed_county() -> None:
    """The demo serves Pohjois-Savo (county 13), its welfare groups named as its municipalities name them."""
    setup_county("13")
    if db.session.get(SiteSetting, "OTHER_CHANNELS") is None:
        db.session.add(SiteSetting(key="OTHER_CHANNELS", value=OTHER_CHANNELS))
    for forum in db.session.scalars(sa.select(Forum).where(Forum.code.like("hyte-%"))):
        if forum.municipality is not None and forum.municipality.name in GENITIVES:
            forum.name = f"{GENITIVES[forum.municipality.name]} hyvinvointiryhmä (HYTE)"
    db.session.flush()


def seed_campaign() -> None:
    """A reminder twice a year to adult social work, as Vasso reminds its staff (seed 003)."""
    from app.models import Campaign
    from app.workflow.campaigns.reminders import CampaignInput, add_months, save_campaign

    if db.session.scalar(sa.select(Campaign.id).limit(1)) is not None:
        return
    admin = db.session.scalar(sa.select(User).where(User.email == "paakayttaja@sora.example"))
    area = db.session.scalar(sa.select(OrgNode).where(OrgNode.code == "PSP-AIK"))
    if admin is None or area is None:
        return
    today = utcnow().date()
    save_campaign(CampaignInput(
        title="Muistathan sosiaalisen raportoinnin?",
        message="Näetkö asiakastyössä ilmiöitä, joista päättäjien pitäisi tietää? Tee sosiaalinen raportti: "
                "se vie muutaman minuutin, ja sen voi tehdä nimettömänä.",
        nodes=[area], first_on=add_months(today.replace(day=1), 1), every_months=6), admin)


DEMO_INDICATORS = {
    "homelessness": ("Asunnottomat yksinäiset / 1 000 asukasta", 0.6),
    "mental_health": ("Mielenterveyden häiriöihin sairaalahoitoa saaneet 25–64-vuotiaat / 1 000 vastaavanikäistä", 7.0),
    "substances_and_addictions": ("Alkoholijuomien myynti asukasta kohden 100 %:n alkoholina, litraa", 8.5),
    "economic_situation": ("Toimeentulotukea saaneet henkilöt vuoden aikana, % asukkaista", 6.5),
}
"""One indicator beside each national phenomenon, named as THL's are, with invented values: the demo has no
network to fetch Sotkanet's, and says on every title that the values are made up."""


def seed_indicators(seed: int = 17) -> None:
    """The demo's indicators, imported through the same operation as a real file (made-up values)."""
    from app.codes import AreaKind, IndicatorSource
    from app.models import Indicator
    from app.workflow.admin.county import configured_code
    from app.workflow.phenomena import coding, indicators

    if db.session.scalar(sa.select(sa.func.count()).select_from(Indicator)):
        return
    rng = random.Random(seed)
    areas = ([indicators.Area(AreaKind.MUNICIPALITY, m.code) for m in db.session.scalars(sa.select(Municipality))]
             + [indicators.Area(AreaKind.COUNTY, configured_code() or "13"), indicators.Area(AreaKind.COUNTRY, indicators.COUNTRY_CODE)])
    for code, (title, level) in DEMO_INDICATORS.items():
        phenomenon = coding.phenomenon_by_code(code)
        if phenomenon is None:
            continue
        rows = []
        for area in areas:
            value = level * rng.uniform(0.7, 1.3)
            for year in range(2016, 2025):
                value = max(0.1, value * rng.uniform(0.93, 1.09))
                rows.append(indicators.Row(f"demo-{code}", area, year, round(value, 1)))
        parsed = indicators.ParsedFile(rows=rows, titles={f"demo-{code}": {"fi": f"Esimerkki, keksityt arvot: {title}"}},
                                       source=IndicatorSource.THL_EXCEL)
        indicators.store(parsed, phenomenon, None)


def seed_demo(reports: int, password: str) -> list[User]:
    seed_county()
    seed_organisation()
    users = seed_users(password)
    seed_reports(reports)
    seed_groups()
    seed_compilations()
    seed_campaign()
    seed_indicators()
    return users
