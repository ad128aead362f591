"""Every mail SoRa writes in Finnish it can also write in Swedish, with the same template logic."""
from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "mail"
TAG = re.compile(r"{%-?\s*(\w+)")


def test_each_finnish_mail_template_has_a_swedish_twin_with_the_same_logic():
    finnish = sorted(p.name for p in TEMPLATES.glob("*.*"))
    swedish = sorted(p.name for p in (TEMPLATES / "sv").glob("*.*"))
    assert finnish == swedish
    for name in finnish:
        tags_fi = TAG.findall((TEMPLATES / name).read_text(encoding="utf-8"))
        tags_sv = TAG.findall((TEMPLATES / "sv" / name).read_text(encoding="utf-8"))
        assert tags_fi == tags_sv, name
        assert '"mail/_' not in (TEMPLATES / "sv" / name).read_text(encoding="utf-8"), f"{name} includes a Finnish part"
