"""Every mail SoRa writes in Finnish it can also write in Swedish and in English, with the same template logic;
each recipient reads it in their own language."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import OutboxMessage

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "mail"
TAG = re.compile(r"{%-?\s*(\w+)")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_each_finnish_mail_template_has_a_twin_with_the_same_logic(language):
    finnish = sorted(p.name for p in TEMPLATES.glob("*.*"))
    twins = sorted(p.name for p in (TEMPLATES / language).glob("*.*"))
    assert finnish == twins
    for name in finnish:
        tags_fi = TAG.findall((TEMPLATES / name).read_text(encoding="utf-8"))
        tags_twin = TAG.findall((TEMPLATES / language / name).read_text(encoding="utf-8"))
        assert tags_fi == tags_twin, name
        text = (TEMPLATES / language / name).read_text(encoding="utf-8")
        assert '"mail/_' not in text, f"{language}/{name} includes a Finnish part"
        assert re.findall(r'"mail/(\w+)/', text) in ([], [language] * len(re.findall(r'"mail/(\w+)/', text))), \
            f"{language}/{name} includes another language's part"


def mail(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)))


def test_an_english_speaking_handler_gets_english_mail_and_the_others_their_own(app_ctx, org, create_report):
    org["handler"].language = "en"
    org["supervisor"].language = "sv"
    db.session.commit()
    report = create_report(org["unit"])
    db.session.commit()
    english = next(m for m in mail("new_report_action") if m.recipient == org["handler"].email)
    assert english.subject == f"New social report for action: {report.number}"
    assert "A new social report has arrived in SoRa, and you are responsible for handling it." in english.body_text
    assert "Phenomenon: Client work (other phenomenon considered important)" in english.body_text
    assert re.search(r"Please start handling it by \d{1,2} [A-Z][a-z]{2} \d{4}\.", english.body_text)
    assert '<html lang="en">' in english.body_html and "This is an automatic message" in english.body_html
    for finnish in ("Hei", "Raportti:", "Ilmiö", "Aloita käsittely", "automaattinen viesti"):
        assert finnish not in english.body_text + english.body_html, finnish
    informed = {m.recipient: m for m in mail("new_report_information")}
    assert informed[org["supervisor"].email].subject.startswith("Ny social rapport")
    assert informed[org["social_director"].email].subject.startswith("Uusi sosiaalinen raportti")

