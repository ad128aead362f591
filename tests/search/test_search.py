"""The inbox's search box: report numbers in any form, Finnish words in any inflection, exactly what the user may see.

Each case runs on SQLite (FTS5) and PostgreSQL (tsvector + GIN) alike, with the same expected answers.
"""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers import login

from app.extensions import db
from app.models import ReportSearch
from app.workflow.cases.operations import answer_question, perform
from app.workflow.cases.transitions import Action
from app.workflow.search.query import report_number
from app.workflow.search.text_analysis import terms


@pytest.mark.parametrize(("typed", "number"), [
    ("sr 2026 00044", "SR-2026-00044"), ("SR-2026-44", "SR-2026-00044"), ("Sr2026-044", "SR-2026-00044"),
    ("2026/44", "SR-2026-00044"), (" sr-2026-00044 ", "SR-2026-00044"), ("sr202600044", "SR-2026-00044"),
    ("SR2026044", "SR-2026-00044"), ("sr20", None), ("sr 2026 a44", "SR-2026-A00044"),
    ("SR-2026-A00044", "SR-2026-A00044"), ("2026 A 44", "SR-2026-A00044"), ("SR-2026-B44", None),
    ("asunnottomuus", None), ("XX 2026 44", None), ("2026", None), ("sr 2026 44 kela", None),
])
def test_a_typed_report_number_is_read_in_any_spacing_and_case(typed, number):
    assert report_number(typed, "SR") == number


@pytest.mark.parametrize(("query", "text"), [
    ("asunnottomuus", "Nuorten asunnottomuudesta on tullut arkea."),
    ("asunnottomuutta", "Asunnottomuus kasvaa."),
    ("päihdepalvelut", "Ohjaus päihdepalveluihin kestää viikkoja."),
    ("Yksinäisyys", "Ikääntyneiden yksinäisyydestä puhutaan liian vähän."),
    ("kotihoito", "Kotihoidon käynnit ovat lyhyitä."),
    ("mielenterveys", "Mielenterveyden tuki puuttuu."),
    # consonant gradation and other stems Snowball leaves apart (Voikko's basic forms join them)
    ("ilmoitus", "Lastensuojeluilmoituksen jälkeen ei tapahtunut mitään."),
    ("lastensuojeluilmoitus", "Lastensuojeluilmoituksia tehdään yhä enemmän."),
    ("lapsi", "Lapsen arki on turvatonta."), ("asiakas", "Asiakkaiden jonot kasvavat."),
    ("nuori", "Nuorten palvelut puuttuvat."), ("asunto", "Asunnon saaminen kestää."),
    ("toimeentulotuki", "Toimeentulotuen päätökset viipyvät."), ("päihde", "Päihteiden käyttö lisääntyy."),
    ("väkivalta", "Väkivallasta kerrotaan vasta myöhään."), ("tuki", "Tuen tarve on suuri."),
])
def test_the_stemmer_joins_the_inflections(query, text):
    assert set(terms(query)) <= set(terms(text))


def search(client, query: str, **args: str) -> set[str]:  # type: ignore[no-untyped-def]
    """The numbers of the reports the inbox lists for the query."""
    page = client.get("/cases/", query_string={"q": query, **args}).get_data(as_text=True)
    return set(re.findall(r'<a href="/cases/([A-Z]+-\d{4}-A?\d{5})">', page))


def test_search_finds_by_inflected_words_of_text_proposal_and_notes(app, org, create_report):
    housing = create_report(org["unit"], description="Nuorten asunnottomuudesta on tullut arkea.")
    drugs = create_report(org["unit"], description="Jonot ovat pitkiä.",
                          proposed_actions="Ohjaus päihdepalveluihin nopeammaksi.")
    noted = create_report(org["unit"], description="Kuvaus.")
    other = create_report(org["unit"], description="Kotihoidon käynnit ovat lyhyitä.")
    perform(Action.START_HANDLING, noted, org["handler"])
    perform(Action.ADD_NOTE, noted, org["handler"], note="Sovittu palaveri toimeentulotuesta Kelan kanssa.")
    db.session.commit()
    client = app.test_client()
    login(client, org["handler"].email)

    page = search(client, "asunnottomuus")
    assert housing.number in page and drugs.number not in page and other.number not in page
    page = search(client, "päihdepalvelut")
    assert drugs.number in page and housing.number not in page
    page = search(client, "palaveri Kela")
    assert noted.number in page and other.number not in page, "a note written after filing is found at once"
    page = search(client, "asunnottomuus kotihoito")
    assert housing.number not in page and other.number not in page, "every word must be found"
    assert search(client, "sanaaeiole") == set()


def test_search_finds_a_report_by_its_number_in_any_form(app, org, create_report):
    wanted = create_report(org["unit"], description="Yksi.")
    named = create_report(org["unit"], description="Kaksi.", reporter_name="Niina Nimellinen")
    db.session.commit()
    client = app.test_client()
    login(client, org["handler"].email)
    assert (wanted.sequence, named.sequence) == (1, 1), "anonymous and named reports have their own series"
    for report in (wanted, named):
        year, series, sequence = report.year, report.series, report.sequence
        for typed in (f"sr {year} {series}{sequence:05d}", f"SR-{year}-{series}{sequence}",
                      f"sr{year} {series.lower()}{sequence}", f"sr {year} {series} {sequence}".replace("  ", " ")):
            assert search(client, typed) == {report.number}, typed


def test_search_respects_what_the_user_may_see_and_the_other_filters(app, org, create_report):
    mine = create_report(org["unit"], description="Asunnottomuus Kuopiossa.")
    theirs = create_report(org["other_unit"], description="Asunnottomuus Varkaudessa.")
    db.session.commit()
    handler, director = app.test_client(), app.test_client()
    login(handler, org["handler"].email)
    login(director, org["social_director"].email)
    page = search(handler, "asunnottomuudesta")
    assert mine.number in page and theirs.number not in page
    assert theirs.number not in search(handler, theirs.number), "nor by number"
    page = search(director, "asunnottomuudesta")
    assert mine.number in page and theirs.number in page
    page = search(director, "asunnottomuudesta", unit="U-VAR")
    assert theirs.number in page and mine.number not in page


def test_the_index_follows_notes_and_answers_and_holds_nothing_of_the_reporter(app, org, create_report):
    named = create_report(org["unit"], description="Kuvaus.", reporter_name="Maija Meikäläinen",
                          reporter_email="maija@example.fi")
    perform(Action.ASK_REPORTER, named, org["handler"], note="Koskeeko tämä lapsiperheitä?")
    answer_question(named, "Kyllä, erityisesti yksinhuoltajia.")
    db.session.commit()
    indexed = db.session.scalar(sa.select(ReportSearch.terms).where(ReportSearch.report_id == named.id))
    assert set(terms("lapsiperheitä yksinhuoltajia")) <= set(indexed.split())
    assert "maij" not in indexed and "meikäläi" not in indexed and "example" not in indexed
    client = app.test_client()
    login(client, org["handler"].email)
    assert named.number not in search(client, "Meikäläinen"), "the reporter's name finds nothing"
    assert named.number in search(client, "yksinhuoltaja")


def test_a_deleted_report_leaves_the_index(app, org, create_report):
    report = create_report(org["unit"], description="Poistuva raportti.")
    db.session.commit()
    report_id = report.id
    db.session.delete(report)
    db.session.commit()
    assert db.session.get(ReportSearch, report_id) is None
