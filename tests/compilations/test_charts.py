"""SVG charts: well-formed, bars proportional to values, axes with round ticks, labels escaped."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.workflow.compilations.charts import bar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("maximum", "ticks"), [
    (0, [0, 1]), (1, [0, 1]), (4, [0, 1, 2, 3, 4]), (7, [0, 2, 4, 6, 8]), (23, [0, 5, 10, 15, 20, 25]),
    (100, [0, 20, 40, 60, 80, 100]), (1234, [0, 500, 1000, 1500]),
])
def test_nice_ticks(maximum, ticks):
    assert nice_ticks(maximum) == ticks


def test_bar_chart_bars_are_proportional_and_labelled():
    svg = bar_chart("Ilmiöt", [("Asuminen & vuokrat <kallis>", 10), ("Päihteet", 5), ("Muu", 0)])
    root = ET.fromstring(svg)  # well-formed even with & and < in a label
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    widths = [float(b.get("width")) for b in bars]
    assert len(bars) == 3 and widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Asuminen & vuokrat <kallis>" in texts and "Päihteet" in texts
    assert {"0", "2", "4", "6", "8", "10"} <= set(texts)  # axis ticks
    assert root.find(f"{SVG}title").text == "Ilmiöt"
    assert "Päihteet: 5" in root.find(f"{SVG}desc").text


def test_bar_chart_with_the_previous_period():
    svg = bar_chart("Luonne", [("Myönteinen", 4), ("Kielteinen", 8)], previous=[2, 16],
                    current_label="2026-H1", previous_label="2025-H2")
    root = ET.fromstring(svg)
    previous = [float(r.get("width")) for r in root.iter(f"{SVG}rect") if r.get("class") == "previous"]
    current = [float(r.get("width")) for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert previous[1] == pytest.approx(2 * current[1]) and previous[0] == pytest.approx(current[0] / 2)
    assert "2025-H2" in [t.text for t in root.iter(f"{SVG}text")]


def test_empty_bar_chart_still_draws_axes():
    root = ET.fromstring(bar_chart("Tyhjä", []))
    assert len(list(root.iter(f"{SVG}line"))) >= 2


def test_line_chart_points_follow_values():
    svg = line_chart("Kehitys", ["2025-H2", "2026-H1", "2026-H2"], [("Yhteensä", [10, 20, 0]), ("Asuminen", [1, 2, 3])])
    root = ET.fromstring(svg)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2
    ys = [float(point.split(",")[1]) for point in lines[0].get("points").split()]
    base = ys[2]  # the value 0 sits on the x axis
    assert (base - ys[1]) == pytest.approx(2 * (base - ys[0]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"2025-H2", "2026-H1", "2026-H2", "Yhteensä", "Asuminen"} <= set(texts)
