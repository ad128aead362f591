"""All models, importable from one place."""
from app.models.audit import AuditEntry
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
    "AuditEntry",
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
