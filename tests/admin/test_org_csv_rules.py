"""The organisation CSV as pure rules: reading, whole-file checking with line numbers, and planning."""
from __future__ import annotations

from app.codes import NodeKind
from app.workflow.admin.org_csv import Context, NodeState, decode, plan, read, to_csv

HEADER = "code;name;kind;parent;municipality;active;handling_node;supervisors;handlers"
MUNICIPALITIES = {"297": "297", "kuopio": "297", "915": "915", "varkaus": "915"}
PEOPLE = frozenset({"sami@t.example", "hanna@t.example", "uusi@t.example"})

STORED = [
    NodeState("PSP", "Perhe- ja sosiaalipalvelut", NodeKind.DIVISION),
    NodeState("PSP-AIK", "Aikuissosiaalityö", NodeKind.SERVICE_AREA, parent="PSP", handlers=frozenset({"hanna@t.example"})),
    NodeState("PSP-AIK-KUO", "Aikuissosiaalityö, Kuopio", NodeKind.UNIT, parent="PSP-AIK", municipality="297",
              supervisors=frozenset({"sami@t.example"}), has_reports=True),
    NodeState("PSP-AIK-VAR", "Aikuissosiaalityö, Varkaus", NodeKind.UNIT, parent="PSP-AIK", municipality="915"),
]


def context(nodes=STORED) -> Context:  # type: ignore[no-untyped-def]
    return Context(nodes={n.code: n for n in nodes}, municipalities=MUNICIPALITIES, emails=PEOPLE)


def checked(text: str, nodes=STORED):  # type: ignore[no-untyped-def]
    ctx = context(nodes)
    return plan(read(text, ctx), ctx)


def test_export_of_the_stored_tree_plans_no_change():
    result = checked(decode(to_csv(STORED).encode("utf-8")))
    assert result.ok and result.changes == []


def test_every_problem_is_listed_with_its_line_before_anything_changes():
    text = "\n".join([
        HEADER,
        "PSP;Perhe- ja sosiaalipalvelut;division;;;yes;;;",
        "PSP-AIK;Aikuissosiaalityö;service_area;PSP;;yes;;;",
        "PSP-AIK-KUO;;unit;PSP-AIK;Kuopio;yes;;;",                      # 4: no name
        "PSP-AIK-VAR;Aikuissosiaalityö, Varkaus;unit;PSP-AIK;Atlantis;maybe;;;",  # 5: municipality, active
        "PSP-AIK-VAR;Kaksoiskappale;unit;PSP-AIK;Varkaus;yes;;;",        # 6: duplicate code
        "UUSI;Uusi yksikkö;unit;PSP;Kuopio;yes;;;",                       # 7: unit under a division
        "ORPO;Orpo yksikkö;unit;EI-OLE;Kuopio;yes;;tuntematon@t.example;",  # 8: parent, person
        "PSP-AIK;Aikuissosiaalityö 2;unit;PSP-AIK;Kuopio;yes;;;",         # 9: duplicate again
        "HUONO;Huono;galaxy;PSP;Kuopio;yes;PSP-AIK;;",                    # 10: kind
        "ILMAN;Ilman kuntaa;unit;PSP-AIK;;yes;ILMAN;;",                   # 11: municipality, self-handling
        "LIIKAA;kentät;unit;PSP-AIK;Kuopio;yes;;;;extra",                 # 12: field count
    ])
    result = checked(text)
    assert not result.ok and result.changes == []
    lines = [problem.line for problem in result.problems]
    assert lines == sorted(lines)
    by_line: dict[int, str] = {}
    for problem in result.problems:
        by_line[problem.line] = by_line.get(problem.line, "") + " " + problem.message
    assert set(by_line) == {4, 5, 6, 7, 8, 9, 10, 11, 12}, by_line
    assert "Nimi puuttuu" in by_line[4]
    assert "Atlantis" in by_line[5] and "maybe" in by_line[5]
    assert "rivillä 5" in by_line[6]
    assert "Työyksikkö kuuluu palvelualue-tasoon" in by_line[7]
    assert "EI-OLE" in by_line[8] and "tuntematon@t.example" in by_line[8]
    assert "galaxy" in by_line[10]
    assert "kunta puuttuu" in by_line[11] and "omia raporttejaan" in by_line[11]
    assert "10 kenttää, otsikkorivillä 9" in by_line[12]


def test_a_bad_parent_row_does_not_orphan_its_children():
    text = "\n".join([HEADER, "PSP;;division;;;yes;;;", "PSP-AIK;Aikuissosiaalityö;service_area;PSP;;yes;;;"])
    result = checked(text, nodes=[])
    assert [problem.line for problem in result.problems] == [2]


def test_header_problems_stop_the_reading():
    result = checked("koodi;nimi\nPSP;Perhe\n")
    assert [problem.line for problem in result.problems] == [1, 1]
    assert "koodi" in result.problems[0].message and "code" in result.problems[1].message
    assert checked("").problems[0].message == "Tiedosto on tyhjä."


def test_changes_are_planned_and_missing_units_are_deleted_or_deactivated():
    text = "\n".join([
        "code,name,kind,parent,municipality,active,handling_node,supervisors,handlers",  # commas work too
        "PSP,Perhe- ja sosiaalipalvelut,division,,,yes,,,",
        "PSP-AIK,Aikuissosiaalityö,service_area,PSP,,yes,,,hanna@t.example uusi@t.example",
        "PSP-AIK-SII,\"Aikuissosiaalityö, Siilinjärvi\",työyksikkö,PSP-AIK,297,kyllä,PSP,sami@t.example,",
    ])
    result = checked(text)
    assert result.ok, result.problems
    kinds = {change.code: change.kind for change in result.changes}
    assert kinds == {"PSP-AIK": "update", "PSP-AIK-SII": "create", "PSP-AIK-KUO": "deactivate",
                     "PSP-AIK-VAR": "delete"}
    update = next(change for change in result.changes if change.code == "PSP-AIK")
    assert update.fields == {"handlers": (frozenset({"hanna@t.example"}),
                                          frozenset({"hanna@t.example", "uusi@t.example"}))}
    created = next(change for change in result.changes if change.code == "PSP-AIK-SII")
    assert created.state.handling_node == "PSP" and created.state.supervisors == {"sami@t.example"}


def test_without_role_columns_roles_are_not_compared():
    text = "\n".join(["code;name;kind;parent;municipality",
                      "PSP;Perhe- ja sosiaalipalvelut;division;;",
                      "PSP-AIK;Aikuissosiaalityö;palvelualue;PSP;",
                      "PSP-AIK-KUO;Aikuissosiaalityö, Kuopio;unit;PSP-AIK;kuopio",
                      "PSP-AIK-VAR;Aikuissosiaalityö, Varkaus;unit;PSP-AIK;915"])
    result = checked(text)
    assert result.ok and result.changes == [] and not result.manage_roles


def test_a_missing_area_stays_out_of_use_while_a_unit_below_it_has_reports():
    text = "\n".join([HEADER, "PSP;Perhe- ja sosiaalipalvelut;division;;;yes;;;"])
    kinds = {change.code: change.kind for change in checked(text).changes}
    assert kinds == {"PSP-AIK-KUO": "deactivate", "PSP-AIK-VAR": "delete", "PSP-AIK": "deactivate"}
    already_out = [n if n.code != "PSP-AIK-KUO" else NodeState(**{**n.__dict__, "active": False}) for n in STORED]
    kinds = {change.code: change.kind for change in checked(text, already_out).changes}
    assert "PSP-AIK-KUO" not in kinds, "a node already out of use is not changed again"


def test_changing_the_level_of_a_stored_node_is_refused():
    text = "\n".join([HEADER, "PSP;Perhe- ja sosiaalipalvelut;service_area;;;yes;;;"])
    messages = " ".join(problem.message for problem in checked(text).problems)
    assert "tasoa ei voi muuttaa" in messages


def test_excel_encodings_are_read():
    assert decode("\ufeffcode;name".encode("utf-8")) == "code;name"
    assert decode("Työyksikkö".encode("cp1252")) == "Työyksikkö"


def test_names_a_spreadsheet_would_run_as_formulas_are_escaped_and_read_back():
    nodes = [NodeState("PSP", "=HYPERLINK(\"http://x\")", NodeKind.DIVISION), *STORED[1:]]
    text = to_csv(nodes)
    assert "'=HYPERLINK" in text
    result = checked(decode(text.encode("utf-8")), nodes)
    assert result.ok and result.changes == []
