"""From reports to phenomena in a real browser, as issue 17's journey: the working group opens the weak
signals from the menu, makes a phenomenon group of one with a click (its reports prefilled), names and
describes it, writes a proposal, records what came of it (the forum, a date, the response, a status) and
opens the running half-year's compilation, whose draft shows the group, its proposal and the follow-up.
axe-core checks every page the journey passes."""
from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from browser_tools import log_in
from helpers import add_report
from playwright.sync_api import Page, expect

from app.codes import FollowUpStatus
from app.extensions import db
from app.models import PhenomenonGroup, ProposalFollowUp, utcnow
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import period_of

NAME = "Nuorten aikuisten asunnottomuus"
DESCRIPTION = "Asunnottomat nuoret aikuiset jäävät päihdepalvelujen jonoihin eri puolilla hyvinvointialuetta."
OBSERVATIONS = "Sama havainto tulee aikuissosiaalityöstä ja vammaispalveluista."
PROPOSAL = "Nuorille aikuisille matalan kynnyksen päihdepalvelu asumisneuvonnan yhteyteen."
RESPONSE = "Jaosto vei ehdotuksen palvelustrategian valmisteluun."
DATED = date(2026, 3, 12)

# The texts of tests/phenomena/test_similarity.py: two that meet over Finnish inflected forms
# ("asunnottomuudesta" ~ "asunnottomuus", "päihdepalveluihin" ~ "päihdepalvelut") and two unlike ones.
HOMELESS_YOUNG = "Asunnottomuudesta kärsivät nuoret aikuiset eivät pääse päihdepalveluihin, koska jonot ovat pitkät."
HOMELESS_AGAIN = ("Nuorten asunnottomuus on lisääntynyt, ja päihdepalvelut eivät ehdi vastata "
                  "nuorten aikuisten tarpeisiin.")
HOME_CARE = "Kotihoidon henkilöstöä on iltaisin liian vähän, ja ikäihmisten käynnit lyhenevät."
SCHOOL_BUS = "Koulukuljetusten aikataulut eivät sovi erityisoppilaiden koulupäiviin."


def saved(page: Page, message: str) -> None:
    expect(page.get_by_role("status").filter(has_text=message)).to_be_visible()


def file_reports(org) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Two reports of two units that describe one phenomenon, and two unlike ones, as a small archive holds.

    Committed and released: on SQLite an open transaction of the test would hold the lock the server's
    requests wait for."""
    reports = {
        "kuopio": add_report(org["unit"], description=HOMELESS_YOUNG),
        "varkaus": add_report(org["other_unit"], description=HOMELESS_AGAIN),
        "home_care": add_report(org["unit"], description=HOME_CARE),
        "school": add_report(org["other_unit"], description=SCHOOL_BUS),
    }
    numbers = {key: report.number for key, report in reports.items()}
    db.session.commit()
    db.session.remove()
    return numbers


def test_the_working_group_turns_a_weak_signal_into_a_phenomenon_and_sees_it_in_the_draft(browsing, org):
    forum = org["forum"].name
    numbers = file_reports(org)
    period = period_of(utcnow())

    group = browsing.person("working_group")
    log_in(group, "w@t.example")

    # the weak signal: the two like reports of two units, not the unlike ones; the menu's Ilmiöt opens the
    # phenomena, whose own tabs hold the weak signals
    group.locator("nav.menu").get_by_role("link", name="Ilmiöt", exact=True).click()
    group.get_by_role("link", name="Heikot signaalit", exact=True).click()
    expect(group.get_by_role("heading", level=1)).to_have_text("Heikot signaalit")
    signal = group.locator("section.signal")
    expect(signal).to_have_count(1)
    expect(signal).to_contain_text(numbers["kuopio"])
    expect(signal).to_contain_text(numbers["varkaus"])
    expect(signal.locator("dl.facts")).to_contain_text("asunnottomuus")
    expect(signal.locator("dl.facts")).to_contain_text("Kuopio")
    expect(signal.locator("dl.facts")).to_contain_text("Varkaus")
    for unlike in (numbers["home_care"], numbers["school"]):
        expect(group.locator("main")).not_to_contain_text(unlike)
    suggested = signal.get_by_role("heading", level=2).inner_text()

    # one click to the new group's form, its reports ticked and the signal's name offered
    signal.get_by_role("link", name="Tee tästä ilmiö").click()
    expect(group.get_by_role("heading", level=1)).to_have_text("Uusi ilmiö")
    expect(group.get_by_label("Ilmiön nimi")).to_have_value(suggested)
    reports = group.get_by_role("group", name="Raportit")
    expect(reports.get_by_role("checkbox")).to_have_count(2)
    for key in ("kuopio", "varkaus"):
        expect(reports.get_by_role("checkbox", name=re.compile(f"^{numbers[key]}"))).to_be_checked()
    group.get_by_label("Ilmiön nimi").fill(NAME)
    group.get_by_label("Kuvaus").fill(DESCRIPTION)
    group.get_by_label("Havainnot").fill(OBSERVATIONS)
    group.get_by_role("group", name="THL:n valtakunnalliset ilmiöt").get_by_role(
        "checkbox", name="Asunnottomuus").check()
    group.get_by_role("button", name="Luo ilmiö").click()
    saved(group, "Ilmiö luotu.")
    expect(group.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(group.get_by_text(DESCRIPTION)).to_be_visible()
    expect(group.locator("dl.facts")).to_contain_text("Asunnottomuus")
    for key in ("kuopio", "varkaus"):
        expect(group.get_by_role("link", name=numbers[key], exact=True)).to_be_visible()
    expect(group.get_by_text("Ehdotuksia ei ole vielä.")).to_be_visible()

    # the proposal
    group.get_by_label("Ehdotus", exact=True).fill(PROPOSAL)
    group.get_by_role("button", name="Lisää ehdotus").click()
    saved(group, "Ehdotus lisätty.")
    proposal = group.locator("section.case-action").filter(has=group.get_by_role("button", name="Tallenna ehdotus"))
    expect(proposal.get_by_label("Ehdotus 1")).to_have_value(PROPOSAL)
    expect(proposal).to_contain_text("Seurantaa ei ole vielä kirjattu.")

    # what came of it
    proposal.get_by_role("link", name="Kirjaa seuranta").click()
    expect(group.get_by_role("heading", level=1)).to_have_text("Mitä ehdotuksesta seurasi")
    expect(group.locator("blockquote")).to_contain_text(PROPOSAL)
    group.get_by_label("Päivämäärä").fill(DATED.isoformat())
    group.get_by_label("Tilanne").select_option(label="Työn alla")
    group.get_by_label("Vastaus tai päätös").fill(RESPONSE)
    expect(group.get_by_label("Näytetään raportoijille ja julkisella tulossivulla")).to_be_checked()
    group.get_by_role("button", name="Tallenna seuranta").click()  # to whom it went is forgotten: refused
    expect(group.get_by_role("alert")).to_contain_text("Valitse foorumi tai kirjoita, mille toimielimelle")
    expect(group.get_by_label("Vastaus tai päätös")).to_have_value(RESPONSE)
    expect(group.get_by_label("Päivämäärä")).to_have_value(DATED.isoformat())
    group.get_by_label("Foorumi").select_option(label=forum)
    group.get_by_role("button", name="Tallenna seuranta").click()
    saved(group, "Seuranta kirjattu.")
    expect(group.get_by_role("heading", level=1)).to_have_text(NAME)
    follow_ups = group.locator("ul.follow-ups")
    for shown in ("Työn alla", forum, "12.3.2026", RESPONSE):
        expect(follow_ups).to_contain_text(shown)

    # the signal is a phenomenon now: the weak signals no longer offer it
    group.get_by_role("link", name="Heikot signaalit", exact=True).click()
    expect(group.locator("section.signal")).to_have_count(0)
    expect(group.get_by_text("Heikkoja signaaleja ei nyt löydy")).to_be_visible()

    # the running half-year's compilation: opened here if it is not, and its draft shows the group
    group.get_by_role("link", name="Puolivuotiskoosteet", exact=True).click()
    expect(group.get_by_role("heading", level=1)).to_have_text("Puolivuotiskoosteet")
    opened = compilations.find(period) is not None
    db.session.remove()
    if not opened:
        group.get_by_label("Puolivuotiskausi").select_option(period.code)
        group.get_by_role("button", name="Avaa kooste").click()
        saved(group, "Kooste avattu")
    else:
        group.get_by_role("link", name=period.code).click()
    expect(group.get_by_role("heading", level=1)).to_have_text(f"Sosiaalisen raportoinnin kooste {period.label}")
    expect(group.locator(".facts")).to_contain_text("Luonnos")
    shown = group.locator("section.phenomenon-group")
    expect(shown).to_have_count(1)
    expect(shown.get_by_role("heading", level=3)).to_contain_text(NAME)
    expect(shown).to_contain_text("raportteja: 2")
    for text in (DESCRIPTION, OBSERVATIONS, PROPOSAL, RESPONSE, forum, "Työn alla"):
        expect(shown).to_contain_text(text)
    expect(shown.get_by_role("row", name=re.compile("^Kuopio"))).to_be_visible()
    expect(shown.get_by_role("row", name=re.compile("^Varkaus"))).to_be_visible()
    for number in numbers.values():
        expect(shown).not_to_contain_text(number)  # the draft names no report, as the publication will not

    db.session.remove()
    made = db.session.scalars(sa.select(PhenomenonGroup)).one()
    assert made.name == NAME and made.description == DESCRIPTION and made.observations == OBSERVATIONS
    assert sorted(r.number for r in made.reports) == sorted([numbers["kuopio"], numbers["varkaus"]])
    assert [p.code for p in made.national_phenomena] and made.national_phenomena[0].label_fi == "Asunnottomuus"
    assert made.created_by.email == "w@t.example"
    (proposal_row,) = made.proposals
    assert proposal_row.text == PROPOSAL
    follow_up = db.session.scalars(sa.select(ProposalFollowUp)).one()
    assert follow_up.proposal_id == proposal_row.id and follow_up.forum.name == forum
    assert follow_up.dated_on == DATED and follow_up.status == FollowUpStatus.IN_PROGRESS
    assert follow_up.response == RESPONSE and follow_up.public
    draft = compilations.find(period)
    assert draft is not None
    (in_draft,) = compilations.content_of(period, draft)["groups"]
    assert in_draft["name"] == NAME and [p["text"] for p in in_draft["proposals"]] == [PROPOSAL]
    db.session.remove()
