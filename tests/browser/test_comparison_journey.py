"""THL's three views in a real browser, logged out (issue 19): a visitor goes from the public results page to
the situation of Finland, down to a collaborative area and a county, and opens the phenomenon in brief and
the phenomenon view at each level, down to a municipality. axe-core checks every page the journey passes."""
from __future__ import annotations

import re

from comparison_fixtures import harvest
from playwright.sync_api import Page, expect


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_a_visitor_opens_each_of_the_three_views_at_each_level(app_ctx, browsing):
    harvest()
    page = browsing.person("visitor")
    page.goto("/results/")
    page.get_by_role("link", name=re.compile("^Hyvinvointialueiden vertailu")).click()

    # tilannekuva: Finland, a collaborative area, a county
    heading(page, "Tilannekuva: Koko Suomi")
    expect(page.get_by_role("note")).to_contain_text("Synteettistä aineistoa")
    coverage = page.locator("#coverage")
    expect(coverage.get_by_role("row", name=re.compile("Kainuun hyvinvointialue"))).to_contain_text("Ei tavoitettu")
    expect(coverage.get_by_role("row", name=re.compile("Kainuun hyvinvointialue"))).to_contain_text("15.1.2026")
    expect(page.locator("#phenomena").get_by_role("row", name=re.compile("^Mielenterveys"))).to_contain_text("≥ 29")
    page.get_by_role("navigation", name="Taso").get_by_role("link", name="Itä-Suomen yhteistyöalue").click()
    heading(page, "Tilannekuva: Itä-Suomen yhteistyöalue")
    page.locator("#areas").get_by_role("link", name="Pohjois-Savon hyvinvointialue").click()
    heading(page, "Tilannekuva: Pohjois-Savon hyvinvointialue")
    expect(page.get_by_role("note")).to_have_count(0)  # Pohjois-Savo's own file is no synthetic one
    expect(page.locator("#phenomena").get_by_role("row", name=re.compile("^Asunnottomuus"))).to_contain_text("+4")

    # ilmiöstä tiiviisti at the county, then the area and Finland
    page.locator("#phenomena").get_by_role("row", name=re.compile("^Asunnottomuus")).get_by_role(
        "link", name=re.compile("^Ilmiöstä tiiviisti")).click()
    heading(page, "Ilmiöstä tiiviisti: Asunnottomuus")
    expect(page.locator(".lead")).to_have_text("Pohjois-Savon hyvinvointialue")
    expect(page.locator("#findings")).to_contain_text("vain lukuja")
    page.get_by_role("navigation", name="Taso").get_by_role("link", name="Itä-Suomen yhteistyöalue").click()
    heading(page, "Ilmiöstä tiiviisti: Asunnottomuus")
    expect(page.locator("#reports").get_by_role("row", name=re.compile("^Itä-Suomen yhteistyöalue"))).to_contain_text("20")
    page.get_by_role("navigation", name="Taso").get_by_role("link", name="Koko Suomi").click()
    expect(page.locator(".lead")).to_have_text("Koko Suomi")

    # ilmiönäkymä at Finland, the area, the county and a municipality
    page.get_by_role("navigation", name="Näkymät").get_by_role("link", name="Ilmiönäkymä").click()
    heading(page, "Ilmiönäkymä: Asunnottomuus")
    expect(page.locator(".lead")).to_contain_text("Koko Suomi")
    page.get_by_role("navigation", name="Taso").get_by_role("link", name="Itä-Suomen yhteistyöalue").click()
    expect(page.locator(".lead")).to_contain_text("Itä-Suomen yhteistyöalue")
    page.locator("#places").get_by_role("link", name="Pohjois-Savon hyvinvointialue").click()
    expect(page.locator(".lead")).to_contain_text("Pohjois-Savon hyvinvointialue")
    varkaus = page.locator("#places").get_by_role("row", name=re.compile("^Varkaus"))
    expect(varkaus).to_contain_text("..")  # hidden in the source, hidden here
    kuopio = page.locator("#places").get_by_role("row", name=re.compile("^Kuopio"))
    expect(kuopio).to_contain_text("0,7")  # per 10,000 residents
    kuopio.get_by_role("link", name="Kuopio").click()
    expect(page.locator(".lead")).to_contain_text("Kuopio")
    page.get_by_label("Puolivuotiskausi").select_option("2025-H2")
    page.get_by_role("button", name="Näytä").click()
    expect(page.locator(".lead")).to_contain_text("2025-H2")
    expect(page.locator("#places tr.chosen")).to_contain_text("Kuopio")
