"""The one table of what can be done to a half-yearly compilation, from which status, by whom.

draft → in_review (the working group sends it) → published (the review body approves), or back
to draft when the review body returns it with comments; a published one goes back to draft when
it is withdrawn with a reason, and its published version's record is kept.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.codes import CompilationAction, CompilationStatus, Role


@dataclass(frozen=True)
class CompilationTransition:
    action: CompilationAction
    sources: frozenset[CompilationStatus]
    target: CompilationStatus
    actors: frozenset[Role]
    note_required: bool
    publishes: bool = False
    """Freezes the content into the published snapshot and tells the welfare coordinators."""
    withdraws: bool = False
    """Takes the published version down (its record is kept) so that a corrected one can replace it."""


S = CompilationStatus
COMPILATION_TRANSITIONS: dict[CompilationAction, CompilationTransition] = {
    t.action: t for t in (
        CompilationTransition(CompilationAction.SEND_FOR_REVIEW, frozenset({S.DRAFT}), S.IN_REVIEW,
                              frozenset({Role.WORKING_GROUP}), note_required=False),
        CompilationTransition(CompilationAction.APPROVE, frozenset({S.IN_REVIEW}), S.PUBLISHED,
                              frozenset({Role.REVIEW_BODY}), note_required=False, publishes=True),
        CompilationTransition(CompilationAction.RETURN, frozenset({S.IN_REVIEW}), S.DRAFT,
                              frozenset({Role.REVIEW_BODY}), note_required=True),
        CompilationTransition(CompilationAction.WITHDRAW, frozenset({S.PUBLISHED}), S.DRAFT,
                              frozenset({Role.WORKING_GROUP, Role.REVIEW_BODY}), note_required=True, withdraws=True),
    )
}
