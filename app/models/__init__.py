"""All models, importable from one place."""
from app.models.compilations import (
    ClockEvent,
    Compilation,
    CompilationEvent,
    CompilationHighlight,
    CompilationReminder,
    CompilationThemeText,
    Recurrence,
)
from app.models.org import Forum, Municipality, OrgNode
from app.models.reports import (
    NationalPhenomenon,
    Notification,
    Report,
    ReportEvent,
    ReportNumberCounter,
    Theme,
    report_municipality,
    report_theme,
    theme_national_phenomenon,
)
from app.models.types import UTCDateTime, utcnow
from app.models.users import RoleAssignment, User

__all__ = [
    "ClockEvent",
    "Compilation",
    "CompilationEvent",
    "CompilationHighlight",
    "CompilationReminder",
    "CompilationThemeText",
    "Recurrence",
    "Forum",
    "Notification",
    "Municipality",
    "NationalPhenomenon",
    "OrgNode",
    "Report",
    "ReportEvent",
    "ReportNumberCounter",
    "RoleAssignment",
    "Theme",
    "UTCDateTime",
    "User",
    "report_municipality",
    "report_theme",
    "theme_national_phenomenon",
    "utcnow",
]
