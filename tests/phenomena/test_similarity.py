"""Similar reports: TF-IDF over the inbox search's Finnish terms, kept in step as reports are filed and
changed, suggested only where the viewer may look. Runs on SQLite and PostgreSQL alike."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from helpers import login

from app.extensions import db
from app.models import ReportTerm, SimilarityTerm
from app.workflow.phenomena import term_index
from app.workflow.phenomena.similarity import similar_reports

HOMELESS_YOUNG = "Asunnottomuudesta kärsivät nuoret aikuiset eivät pääse päihdepalveluihin, koska jonot ovat pitkät."
HOMELESS_AGAIN = "Nuorten asunnottomuus on lisääntynyt, ja päihdepalvelut eivät ehdi vastata nuorten aikuisten tarpeisiin."
HOME_CARE = "Kotihoidon henkilöstöä on iltaisin liian vähän, ja ikäihmisten käynnit lyhenevät."
SCHOOL_BUS = "Koulukuljetusten aikataulut eivät sovi erityisoppilaiden koulupäiviin."


def frequency(term: str) -> int:
    return db.session.scalar(sa.select(SimilarityTerm.document_count).where(SimilarityTerm.term == term)) or 0


def terms_of(report) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return dict(db.session.execute(sa.select(ReportTerm.term, ReportTerm.occurrences)
                                   .where(ReportTerm.report_id == report.id)).all())


@pytest.fixture
def reports(org, create_report):  # type: ignore[no-untyped-def]
    """The case in Kuopio, a like report in Varkaus, two unlike ones."""
    return {
        "case": create_report(org["unit"], description=HOMELESS_YOUNG),
        "like": create_report(org["other_unit"], description=HOMELESS_AGAIN),
        "home_care": create_report(org["unit"], description=HOME_CARE),
        "school": create_report(org["other_unit"], description=SCHOOL_BUS),
    }


def test_suggestions_meet_over_finnish_inflected_forms_and_show_the_shared_words(org, reports):
    found = similar_reports([reports["case"].id], org["working_group"])
    assert [item.report for item in found] == [reports["like"]]
    assert {"asunnottomuus", "päihdepalvelu"} <= set(found[0].shared_words)
    assert "päihde" not in found[0].shared_words  # a compound's part is not shown beside the compound
    assert 0.1 <= found[0].score <= 1


def test_the_report_itself_and_a_groups_own_reports_are_never_suggested(org, reports, create_report):
    third = create_report(org["unit"], description="Asunnottomuus ja päihdepalvelut: nuoret jäävät ilman apua.")
    assert reports["case"] not in [item.report for item in similar_reports([reports["case"].id], org["working_group"])]
    together = similar_reports([reports["case"].id, reports["like"].id], org["working_group"])
    assert [item.report for item in together] == [third]


def test_a_report_the_viewer_may_not_see_is_not_suggested(org, reports):
    # The handler of the Kuopio unit's area does not handle Varkaus; the Varkaus handler does.
    assert similar_reports([reports["case"].id], org["handler"]) == []
    assert [item.report for item in similar_reports([reports["like"].id], org["other_handler"])] == []
    assert [item.report for item in similar_reports([reports["case"].id], org["social_director"])] == [reports["like"]]


def test_a_held_anonymous_report_is_neither_analysed_nor_suggested_until_its_release(org, reports, create_report):
    from app.workflow.cases.release import release_filing

    before = frequency("asunnottomuus")
    held = create_report(org["unit"], description=HOMELESS_AGAIN + " Asunnottomuus.", released=False)
    assert frequency("asunnottomuus") == before, "a held filing is no report yet: nothing of it is analysed"
    suggested = [item.report.number for item in similar_reports([reports["case"].id], org["working_group"])]
    assert held.number not in suggested
    report = release_filing(held, held.day)
    assert frequency("asunnottomuus") == before + 1
    assert report in [item.report for item in similar_reports([reports["case"].id], org["working_group"])]


def test_filing_and_changing_a_report_update_the_analysis_in_the_same_flush(org, reports, create_report):
    assert terms_of(reports["case"])["asunnottomuus"] == 1
    assert frequency("asunnottomuus") == 2 and frequency("kotihoito") == 1
    newcomer = create_report(org["other_unit"], description="Kotihoidon asiakkaat odottavat. Kotihoito ei ehdi.")
    assert terms_of(newcomer)["kotihoito"] == 2 and frequency("kotihoito") == 2
    assert [item.report for item in similar_reports([reports["home_care"].id], org["working_group"])] == [newcomer]

    newcomer.description = HOMELESS_AGAIN
    db.session.flush()
    assert "kotihoito" not in terms_of(newcomer) and frequency("kotihoito") == 1
    assert frequency("asunnottomuus") == 3
    assert newcomer in [item.report for item in similar_reports([reports["case"].id], org["working_group"])]
    assert similar_reports([reports["home_care"].id], org["working_group"]) == []

    db.session.delete(newcomer)
    db.session.flush()
    assert frequency("asunnottomuus") == 2


def test_the_backfill_of_the_migration_gives_what_the_flushes_kept(org, reports):
    kept = {row for row in db.session.execute(sa.select(ReportTerm.report_id, ReportTerm.term,
                                                        ReportTerm.occurrences))}
    frequencies = dict(db.session.execute(sa.select(SimilarityTerm.term, SimilarityTerm.document_count)).all())
    db.session.execute(sa.delete(ReportTerm))
    db.session.execute(sa.delete(SimilarityTerm))
    assert term_index.backfill(db.session.connection()) == 4
    assert set(db.session.execute(sa.select(ReportTerm.report_id, ReportTerm.term,
                                            ReportTerm.occurrences))) == kept
    again = dict(db.session.execute(sa.select(SimilarityTerm.term, SimilarityTerm.document_count)).all())
    assert {t: n for t, n in again.items() if n} == {t: n for t, n in frequencies.items() if n}


def test_an_unknown_word_is_shown_as_written():
    analysis = term_index.analyse("Kallaveden rannalla asunnottomuudesta")
    assert analysis.display["asunnottomuus"] == "asunnottomuus"
    assert "kallaveden" in analysis.display.values()


def test_the_case_page_suggests_similar_reports_with_their_reason(client, org, reports):
    db.session.commit()
    login(client, "w@t.example")
    page = client.get(f"/cases/{reports['case'].number}").get_data(as_text=True)
    assert "Samankaltaiset raportit" in page
    assert reports["like"].number in page and reports["school"].number not in page
    assert "asunnottomuus" in page and "päihdepalvelu" in page


def test_the_words_every_text_shares_make_no_similarity(app_ctx):
    """Snowball's Finnish stop words, in any form, are no terms; a word that only looks like one is."""
    from app.workflow.phenomena.term_index import analyse

    counts = analyse("Asunto, jolla ei ole vuokranantajaa, ja joka on se, mikä heillä oli.").counts
    assert "asunto" in counts
    assert not {"joka", "olla", "ja", "se", "mikä", "he", "ei"} & counts.keys()
    assert "joki" in analyse("Joki tulvi kylään.").counts
