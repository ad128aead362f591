"""Filing with the keyboard alone (WCAG 2.1: 2.1.1 Keyboard, 2.4.1 Bypass blocks, 2.4.3 Focus order,
2.4.7 Focus visible, 3.3.1 Error identification)."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

DESCRIPTION = "Päihdepalveluihin jonotetaan kuukausia, ja asiakkaat jäävät ilman tukea."

FOCUS = """selector => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {matches: element.matches(selector), outline: style.outlineStyle !== 'none'
            && parseFloat(style.outlineWidth) >= 2, what: element.outerHTML.slice(0, 120)};
}"""


def focus_on(page: Page, selector: str = "*") -> bool:
    """Whether the focus is on an element matching selector; wherever it is, it must be plain to see."""
    focused = page.evaluate(FOCUS, selector)
    assert focused["outline"], f"no visible focus on {focused['what']}"
    return focused["matches"]


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focus is on an element matching selector; every step must show where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focus_on(page, selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def choose_unit(page: Page) -> None:
    tab_to(page, "#unit")
    page.keyboard.type("Aikuissos")
    expect(page.locator("#unit")).to_have_value("U-KUO")


def describe(page: Page) -> None:
    """The nature, the phenomenon and the description: every required answer but the unit."""
    tab_to(page, "input[name=nature]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=nature][value=positive]")).to_be_checked()
    expect(page.locator("#proposed_actions-label")).to_contain_text("levittää")
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=nature][value=negative]")).to_be_checked()
    expect(page.locator("#proposed_actions-label")).to_have_text("Mihin toimenpiteisiin mielestäsi pitäisi ryhtyä?")

    tab_to(page, "#phenomenon")
    page.keyboard.type("Sosiaaliset")
    expect(page.locator("#phenomenon")).to_have_value("social_problems")

    tab_to(page, "#description")
    page.keyboard.type(DESCRIPTION)


def send(page: Page) -> None:
    tab_to(page, "button[type=submit].primary")
    page.keyboard.press("Enter")


def received(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiitos raportistasi!")
    assert re.fullmatch(r"SR-\d{4}-A?\d{5}", page.locator("#report-number").inner_text())


def test_a_report_is_filed_with_the_keyboard_alone(page, org):
    page.goto("/report/new")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Siirry sisältöön")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    choose_unit(page)
    describe(page)
    tab_to(page, "input[name=themes][value=substance_use_and_mental_health]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=themes][value=substance_use_and_mental_health]")).to_be_checked()
    send(page)
    received(page)


def test_a_missing_answer_is_found_and_fixed_with_the_keyboard_alone(page, org):
    """The error summary takes the focus, and its link leads to the field that needs an answer."""
    page.goto("/report/new")
    describe(page)
    send(page)

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    assert focus_on(page, "#error-summary")
    expect(summary.get_by_role("link")).to_have_count(1)
    tab_to(page, "#error-summary a[href='#unit']")
    page.keyboard.press("Enter")
    expect(page.locator("#unit")).to_be_focused()
    assert focus_on(page, "#unit")
    expect(page.locator("#description")).to_have_value(DESCRIPTION)

    page.keyboard.type("Aikuissos")
    expect(page.locator("#unit")).to_have_value("U-KUO")
    send(page)
    received(page)
