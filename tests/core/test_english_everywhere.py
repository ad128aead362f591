"""English and Swedish are complete: every page each role can reach, walked in English and in Swedish,
shows no label left in Finnish.

A label left in Finnish is a text of the page (or an aria-label, a placeholder, a title) that is a Finnish
message whose translation differs, or the Finnish name of a category that has its own name in the language
(a theme, THL's national phenomenon, a municipality: Iisalmi is Idensalmi in Swedish). Data stays as it was
typed (unit, forum and people's names, reports' texts), so the other names in the database are not labels.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from helpers import csrf_token, login

from app.codes import CompilationAction, Nature, Phenomenon, ReportStatus
from app.extensions import db
from app.models import Forum, Municipality, NationalPhenomenon, OrgNode, Theme, User
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import Period

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = re.compile(r"\.(pdf|xlsx|csv|ics|json|svg|css|js)(\?|$)|^/(logout|static/)|/(export|download)")
PAGES_PER_ROLE = 60


def finnish_labels(language: str) -> set[str]:
    """Finnish messages (without placeholders) whose translation differs from them."""
    with (ROOT / f"translations/{language}/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po)
    found = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or "%(" in message.id:
            continue
        if message.string and message.string.strip() != message.id.strip() and len(message.id) > 2:
            found.add(message.id.strip())
    return found


class PageText(HTMLParser):
    """The texts a person reads or a screen reader says, and the page's links."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._finnish: list[str] = []
        """Open elements marked lang="fi" (a Finnish document shown as it is, as the compilation's figures)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        if values.get("lang") == "fi" and tag not in ("button", "html"):
            self._finnish.append(tag)
        elif self._finnish and tag == self._finnish[-1]:
            self._finnish.append(tag)
        for name in ("aria-label", "placeholder", "title", "alt"):
            if values.get(name):
                self.texts.append(values[name].strip())
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(values["value"].strip())
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "optgroup" and values.get("label"):
            self.texts.append(values["label"].strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if self._finnish and tag == self._finnish[-1]:
            self._finnish.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._finnish and data.strip():
            self.texts.append(" ".join(data.split()))


def data_names() -> set[str]:
    names: set[str] = set()
    for model, column in ((OrgNode, OrgNode.name), (Forum, Forum.name), (Municipality, Municipality.name),
                          (User, User.name), (Theme, Theme.label_fi)):
        names.update(db.session.scalars(sa.select(column)))
    return {name.strip() for name in names if name}


def category_names(language: str) -> set[str]:
    """The Finnish names of the categories whose name in `language` differs: they are labels too."""
    names = set()
    for theme in db.session.scalars(sa.select(Theme)):
        names.add((theme.label_fi, theme.label_sv if language == "sv" else theme.label_en))
    for phenomenon in db.session.scalars(sa.select(NationalPhenomenon)):
        names.add((phenomenon.label_fi, phenomenon.label_sv if language == "sv" else phenomenon.label_en))
    if language == "sv":
        names.update((m.name, m.name_sv) for m in db.session.scalars(sa.select(Municipality)))
    typed = set()
    for column in (OrgNode.name, Forum.name, User.name):
        typed.update(db.session.scalars(sa.select(column)))
    return {finnish.strip() for finnish, own in names if own and own.strip() != finnish.strip()} - typed


@pytest.fixture
def populated(org, create_report):  # type: ignore[no-untyped-def]
    """A report in handling, a published compilation and one in review, so the pages have rows to show (the
    published one fills the results page and the welfare coordinator's package)."""
    from helpers import place

    report = create_report(org["unit"], nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS)
    place(report, ReportStatus.IN_HANDLING)
    published = compilations.open_compilation(Period(2025, 1), org["working_group"])
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, published, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, published, org["review_body"])
    compilation = compilations.open_compilation(Period(2025, 2), org["working_group"])
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    db.session.commit()
    return report


@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize("role", ["employee", "supervisor", "handler", "social_director", "working_group",
                                  "review_body", "coordinator", "admin", None])
def test_every_page_in_another_language_has_no_finnish_label(app, org, populated, role, language):
    client = app.test_client()
    if role:
        login(client, org[role].email)
    token = csrf_token(client, "/")
    client.post("/language", data={"lang-csrf_token": token, "lang-language": language, "lang-next": "/"})
    labels = (finnish_labels(language) - data_names()) | category_names(language)

    queue, seen, left = ["/", "/report/new", "/track", "/guidance", "/login", "/password/forgot"], set(), {}
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if urlsplit(path).path in seen:
            continue
        seen.add(urlsplit(path).path)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = PageText()
        page.feed(response.get_data(as_text=True))
        finnish = sorted({text for text in page.texts if text in labels})
        if finnish:
            left[path] = finnish
        for href in page.links:
            target = urldefrag(href)[0]
            parts = urlsplit(target)
            if not parts.netloc and target.startswith("/") and not SKIPPED.search(target) and parts.path not in seen:
                queue.append(target)
    assert len(seen) > 3
    assert left == {}, f"labels left in Finnish for {role or 'a visitor'} ({language}): {left}"


def test_the_forms_coded_choices_are_in_english(client, unit):
    token = csrf_token(client, "/")
    client.post("/language", data={"lang-csrf_token": token, "lang-language": "en", "lang-next": "/"})
    html = client.get("/report/new").get_data(as_text=True)
    for english in ("Positive phenomenon", "Social problems", "Children", "Minor", "Social welfare professional"):
        assert english in html, english
    for finnish in ("Myönteinen ilmiö", "Sosiaaliset ongelmat", ">Lapset<", "Vähäinen", "Sosiaalihuollon ammattihenkilö"):
        assert finnish not in html, finnish


def test_the_form_in_swedish_has_swedish_choices_themes_and_municipality_names(client, unit):
    token = csrf_token(client, "/")
    client.post("/language", data={"lang-csrf_token": token, "lang-language": "sv", "lang-next": "/"})
    html = client.get("/report/new").get_data(as_text=True)
    assert '<html lang="sv">' in html
    for swedish in ("Gör en social rapport", "Boende", "Utkomst"):
        assert swedish in html, swedish
    for finnish in ("Myönteinen ilmiö", ">Asuminen<", "Toimeentulo<"):
        assert finnish not in html, finnish
    assert 'lang="fi">suomi</button>' in html and 'lang="en">English</button>' in html
