"""Every case action has its own words: the label of its text box and what the page says once it is done."""
from __future__ import annotations

from app.forms.cases import NOTE_LABELS
from app.views.cases import DONE
from app.workflow.cases.transitions import Action


def test_every_action_has_a_note_label_and_a_done_message() -> None:
    assert set(NOTE_LABELS) == set(Action)
    assert set(DONE) == set(Action)
