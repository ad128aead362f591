"""Population figures for the comparison's rates: a good CSV is stored (replacing the same area and year), a
file with any bad line is refused line by line and nothing of it is stored."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import PopulationFigure
from app.workflow.comparison import population

GOOD = ("area_kind,area_code,year,residents\r\n"
        "municipality,297,2025,125000\r\ncounty,13,2025,248 000\r\ncountry,FI,2025,5635971\r\n")


def _stored() -> set[tuple[str, str, int, int]]:
    db.session.expire_all()
    return {(f.area_kind, f.area_code, f.year, f.residents) for f in db.session.scalars(sa.select(PopulationFigure))}


def test_a_good_file_is_stored_and_a_second_replaces_the_same_area_and_year(app, app_ctx, tmp_path):
    path = tmp_path / "asukkaat.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-population", str(path)])
    assert result.exit_code == 0, result.output
    assert "lisätty 3" in result.output
    assert _stored() == {("municipality", "297", 2025, 125_000), ("county", "13", 2025, 248_000),
                         ("country", "FI", 2025, 5_635_971)}
    # semicolons (a Finnish spreadsheet's CSV), a byte-order mark, one figure changed and one year added
    path.write_bytes("\ufeffarea_kind;area_code;year;residents\nmunicipality;297;2025;126000\n"
                     "municipality;297;2024;124000\n".encode("utf-8"))
    result = app.test_cli_runner().invoke(args=["import-population", str(path)])
    assert result.exit_code == 0 and "lisätty 1, päivitetty 1" in result.output
    assert ("municipality", "297", 2025, 126_000) in _stored() and ("municipality", "297", 2024, 124_000) in _stored()


def test_a_file_with_bad_lines_is_refused_line_by_line_and_nothing_is_stored(app, app_ctx, tmp_path):
    bad = ("area_kind,area_code,year,residents\n"
           "municipality,297,2025,125000\n"       # good, but not stored: the file is refused whole
           "village,297,2025,100\n"               # 3: unknown kind
           "municipality,29,2025,100\n"           # 4: not a municipality number
           "county,77,2025,100\n"                 # 5: no such county
           "country,SE,2025,100\n"                # 6: Finland only
           "municipality,915,20x5,100\n"          # 7: year
           "municipality,915,2025,-4\n"           # 8: residents
           "municipality,297,2025,125001\n"       # 9: the same area and year again
           "municipality,915,2025\n")             # 10: three columns
    parsed = population.parse(bad.encode())
    assert [p.line for p in parsed.problems] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "rivillä 2" in parsed.problems[6].message
    path = tmp_path / "huono.csv"
    path.write_text(bad, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-population", str(path)])
    assert result.exit_code == 1 and "rivi 3:" in result.output and "8 virhettä: mitään ei tuotu." in result.output
    assert _stored() == set()


def test_a_file_without_the_header_or_not_utf8_is_refused():
    assert population.parse(b"kunta,asukkaat\n297,1\n").problems[0].line == 1
    assert population.parse("area_kind\n".encode("utf-16")).problems
    assert population.parse(b"area_kind,area_code,year,residents\n").problems[0].message
