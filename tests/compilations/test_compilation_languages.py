"""The compilation's PDF, Excel and CSV in Swedish and English: the document's own text in the language,
the categories named from their codes in it, the group's texts as written; Finnish stays as it was."""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone

import openpyxl
import pytest
import sqlalchemy as sa
from helpers import add_report, code_confirmed
from pypdf import PdfReader

from app.codes import CompilationAction, Nature, Phenomenon
from app.extensions import db
from app.models import Municipality, RenderJob, Theme
from app.workflow.compilations import export as compilation_export
from app.workflow.compilations import files
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.languages import helpers
from app.workflow.compilations.periods import Period

H1 = Period(2026, 1)
NOW = datetime(2026, 7, 15, 9, tzinfo=timezone.utc)
FINDINGS = "Vuokrat ovat liian korkeat."


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, tzinfo=timezone.utc)


@pytest.fixture
def reports(org):  # type: ignore[no-untyped-def]
    """Two negative reports on housing in 2026-H1, one in Iisalmi (Idensalmi in Swedish), one positive on client work."""
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    iisalmi = db.session.scalar(sa.select(Municipality).where(Municipality.code == "140"))
    named = code_confirmed(add_report(org["unit"], now=at(2, 1), nature=Nature.NEGATIVE,
                                      phenomenon=Phenomenon.SOCIAL_PROBLEMS, themes=[themes["housing"]],
                                      description="Vuokrat ylittävät asumistuen rajat.", municipalities=[iisalmi],
                                      reporter_name="Raili Raportoija", reporter_email="raili@t.example"),
                           "homelessness")
    add_report(org["unit"], now=at(3, 1), nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS,
               themes=[themes["housing"]], description="Asumisneuvontaa ei ole.")
    add_report(org["other_unit"], now=at(4, 1), nature=Nature.POSITIVE, phenomenon=Phenomenon.CLIENT_WORK,
               description="Yhteisvastaanotto toimii.")
    db.session.commit()
    return {"named": named}


def published(org, reports):  # type: ignore[no-untyped-def]
    compilation = compilations.open_compilation(H1, org["working_group"], NOW)
    compilations.save_texts(compilation, org["working_group"], "Asuminen nousi esiin.", {"housing": (FINDINGS, "")})
    highlight = compilations.highlight_report(compilation, org["working_group"], reports["named"].number)
    compilations.edit_highlight(compilation, org["working_group"], highlight.id, "Vuokrat ylittävät rajat (ote).")
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"], now=NOW)
    db.session.commit()
    return compilation


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S)))


def test_the_swedish_document_has_swedish_headings_and_categories(app_ctx, org, reports):
    content = compilations.content_of(H1, published(org, reports))
    html = compilation_export.render_html(content, language="sv")
    text = text_of(html)
    assert '<html lang="sv">' in html
    for swedish in ("Halvårssammanställning av den sociala rapporteringen", "Rapporterna i siffror", "Sammandrag",
                    "Iakttagelser och förslag per tema", "Behandlingstider", "Sida",
                    "Arbetsgruppens texter och utdragen ur rapporterna är på det språk som de har skrivits på",
                    # the categories, from their codes
                    "Boende", "Negativt fenomen", "Fenomen som rapporteras", "Teman", "Idensalmi",
                    # the excerpt's context, the county, by its Swedish name
                    "Norra Savolax välfärdsområde"):
        assert swedish in html, swedish
    for finnish in ("Raportit luvuin", "Havainnot ja ehdotukset teemoittain", "Kielteinen ilmiö", "<td>Asuminen</td>",
                    "<h2>Asuminen</h2>", "Iisalmi", "Raportoitava ilmiö", "Käsittelyajat", "Koko hyvinvointialue", "Sivu"):
        assert finnish not in text and finnish not in html, finnish
    # the working group's texts and the excerpt stay as they were written
    assert FINDINGS in text and "Asuminen nousi esiin." in text and "Vuokrat ylittävät rajat (ote)." in text
    # the theme's text is under the theme's Swedish name, with its excerpt
    assert re.search(r"<h2>Boende</h2>.*?" + re.escape(FINDINGS) + r".*?Vuokrat ylittävät rajat \(ote\)\.", html, re.S)
    # the snapshot itself is not touched
    assert compilations.content_of(H1, compilations.find(H1))["breakdowns"][2]["title"] == "Teemat"


def test_the_finnish_document_stays_as_it_was(app_ctx, org, reports):
    content = compilations.content_of(H1, published(org, reports))
    html = compilation_export.render_html(content)
    assert html == compilation_export.render_html(content, language="fi")
    assert '<html lang="fi">' in html
    for finnish in ("Sosiaalisen raportoinnin puolivuotiskooste", "Raportit luvuin", "Kielteinen ilmiö", "Asuminen",
                    "Iisalmi", "Sivu "):
        assert finnish in html
    assert "Kieli" not in text_of(html)


def test_the_english_document_uses_english_typography(app_ctx, org, reports):
    content = compilations.content_of(H1, published(org, reports))
    html = compilation_export.render_html(content, language="en")
    assert '<html lang="en">' in html
    assert "Half-yearly compilation of social reporting" in html and "1 Jan – 30 Jun 2026" in html
    assert "Negative phenomenon" in html and "Housing" in html and "Approved by the client experience division on 15 Jul 2026" in html
    english, finnish = helpers("en"), helpers("fi")
    assert english["number"](12345.5, 1) == "12,345.5" and finnish["number"](12345.5, 1) == "12\u00a0345,5"
    assert helpers("sv")["number"](12345.5, 1) == "12\u00a0345,5"
    assert english["percent"](0.125) == "12.5%" and finnish["percent"](0.125) == "12,5\u00a0%"
    assert english["change"](-3.5, 1, "%") == "\u22123.5%" and english["day"]("2026-07-15") == "15 Jul 2026"


def test_a_swedish_pdf_is_its_own_file_and_job(app, app_ctx, org, reports, tmp_path):
    from app.jobs import RENDERERS
    from app.workflow.core import rendering

    compilation = published(org, reports)
    swedish = files.pdf_job(compilation, None, language="sv")
    finnish = files.pdf_job(compilation, None)
    db.session.commit()
    assert swedish.id != finnish.id and swedish.key.endswith("-all-sv") and finnish.key.endswith("-all")
    assert swedish.download_name == "sammanstallning-av-social-rapportering-2026-H1-sv.pdf"
    assert finnish.download_name == "sosiaalisen-raportoinnin-kooste-2026-H1.pdf"
    assert files.pdf_job(compilation, "297", language="en").download_name == "social-reporting-compilation-2026-H1-297-en.pdf"
    db.session.commit()
    rendering.run_one(RENDERERS)  # the Finnish one queued on approval
    rendering.run_one(RENDERERS)
    job = db.session.get(RenderJob, swedish.id)
    reader = PdfReader(io.BytesIO(rendering.path_of(job).read_bytes()))
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert (reader.metadata.title or "").startswith("Halvårssammanställning av den sociala rapporteringen")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Rapporterna i siffror" in text and "Boende" in text and "Negativt fenomen" in text
    assert "Kielteinen ilmiö" not in text


def test_the_results_page_offers_the_pdf_in_the_readers_language(app_ctx, client, org, reports):
    from helpers import csrf_token

    published(org, reports)
    page = client.get("/results/2026-H1").get_data(as_text=True)
    assert 'href="/results/2026-H1/kooste.pdf"' in page and 'href="/results/2026-H1/kooste.pdf?lang=sv"' in page
    client.post("/language", data={"lang-csrf_token": csrf_token(client, "/"), "lang-language": "sv", "lang-next": "/"})
    page = client.get("/results/2026-H1").get_data(as_text=True)
    first = re.search(r'href="(/results/2026-H1/kooste\.pdf[^"]*)"', page).group(1)
    assert first == "/results/2026-H1/kooste.pdf?lang=sv"
    assert 'href="/results/2026-H1/kooste.pdf" hreflang="fi" lang="fi">suomeksi' in page
    assert 'href="/results/2026-H1/kooste.xlsx?lang=sv"' in page
    waiting = client.get(first)
    assert waiting.status_code == 202 and "sammanstallning-av-social-rapportering-2026-H1-sv.pdf" in waiting.get_data(as_text=True)
    book = client.get("/results/2026-H1/kooste.xlsx?lang=sv")
    assert "-sv.xlsx" in book.headers["Content-Disposition"]
    assert "Fenomen som rapporteras" in openpyxl.load_workbook(io.BytesIO(book.data)).sheetnames


@pytest.mark.parametrize(("language", "summary", "columns", "sheet", "negative", "csv_header"), [
    ("fi", "Yhteenveto", ("Koodi", "Luokka", "Raportteja", "Osuus", "Edellinen kausi", "Muutos", "Muutos %"),
     "Ilmiön luonne", "Kielteinen ilmiö", "kausi;kunta;jaottelu;koodi;luokka;raportteja"),
    ("sv", "Sammandrag", ("Kod", "Kategori", "Rapporter", "Andel", "Föregående period", "Ändring", "Ändring %"),
     "Fenomenets karaktär", "Negativt fenomen", "period;kommun;indelning;kod;kategori;rapporter"),
    ("en", "Summary", ("Code", "Category", "Reports", "Share", "Previous half-year", "Change", "Change %"),
     "Nature of the phenomenon", "Negative phenomenon", "period;municipality;breakdown;code;category;reports"),
])
def test_excel_and_csv_headers_follow_the_language(app_ctx, org, reports, language, summary, columns, sheet,
                                                   negative, csv_header):
    content = compilations.draft_content(H1, now=NOW)
    book = openpyxl.load_workbook(io.BytesIO(compilation_export.render_xlsx(content, language=language)))
    assert summary in book.sheetnames and sheet in book.sheetnames
    rows = list(book[sheet].iter_rows(values_only=True))
    assert rows[0] == columns
    assert ("negative", negative) in [(r[0], r[1]) for r in rows[1:]]  # the stable code, and its name
    lines = compilation_export.render_csv(content, language=language).decode("utf-8-sig").splitlines()
    assert lines[0].startswith(csv_header)
    assert any(line.startswith(f"2026-H1;;nature;negative;{negative};2;") for line in lines)


def test_the_results_page_names_the_categories_in_the_readers_language(app_ctx, client, org, reports):
    from helpers import csrf_token

    published(org, reports)
    finnish = client.get("/results/2026-H1").get_data(as_text=True)
    assert "Raportoitava ilmiö" in finnish and "Asuminen" in finnish
    client.post("/language", data={"lang-csrf_token": csrf_token(client, "/"), "lang-language": "sv", "lang-next": "/"})
    page = client.get("/results/2026-H1").get_data(as_text=True)
    for swedish in ("Fenomen som rapporteras", "Boende", "Negativt fenomen", "Idensalmi"):
        assert swedish in page, swedish
    for word in ("Raportoitava ilmiö", "Kielteinen ilmiö", "<td>Asuminen</td>"):
        assert word not in page, word
    assert "Asuminen nousi esiin." in page  # the working group's text as it was written


def test_the_draft_names_the_categories_in_the_working_groups_language(app_ctx, client, org, reports):
    from helpers import csrf_token, login

    compilations.open_compilation(H1, org["working_group"], NOW)
    db.session.commit()
    login(client, org["working_group"].email)
    assert "Raportoitava ilmiö" in client.get("/compilations/2026-H1").get_data(as_text=True)
    client.post("/language", data={"lang-csrf_token": csrf_token(client, "/"), "lang-language": "sv", "lang-next": "/"})
    page = client.get("/compilations/2026-H1").get_data(as_text=True)
    assert "Fenomen som rapporteras" in page and "Negativt fenomen" in page
    assert "Raportoitava ilmiö" not in page and "Kielteinen ilmiö" not in page
