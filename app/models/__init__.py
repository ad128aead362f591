"""All models, importable from one place."""
from app.models.api_tokens import ApiToken
from app.models.audit import AuditEntry
from app.models.campaigns import Campaign, CampaignRound, campaign_node
from app.models.compilations import (
    ClockEvent,
    Compilation,
    CompilationEvent,
    CompilationHighlight,
    CompilationPublication,
    CompilationReminder,
    CompilationThemeText,
    Recurrence,
)
from app.models.open_data import (
    HarvestedExport,
    HarvestSource,
    Indicator,
    IndicatorValue,
    PopulationFigure,
    SotkanetRegion,
)
from app.models.mail import JobLock, OrgImportJob, OutboxMessage, ScheduledNotice
from app.models.org import Forum, Municipality, OrgNode
from app.models.reports import (
    HeldAnswer,
    HeldFiling,
    NationalPhenomenon,
    Notification,
    Report,
    ReportEvent,
    ReportNationalPhenomenon,
    ReportNumberCounter,
    ReportSearch,
    Theme,
    report_municipality,
    report_theme,
)
from app.models.phenomenon_groups import (
    PhenomenonGroup,
    Proposal,
    ProposalFollowUp,
    phenomenon_group_national_phenomenon,
    phenomenon_group_report,
)
from app.models.rendering import RenderJob
from app.models.similarity import ReportTerm, SimilarityTerm
from app.models.site_settings import SiteSetting
from app.models.types import UTCDateTime, utcnow
from app.models.users import AccountLink, RoleAssignment, User

# Tables other libraries create for themselves (APScheduler's job store); Alembic leaves them alone.
UNMANAGED_TABLES = frozenset({"apscheduler_jobs"})
# The search index's parts that are the database's own (migration f15a0c0ffee1): PostgreSQL's GIN index on
# the terms' tsvector, SQLite's FTS5 table and the tables FTS5 keeps for itself.
UNMANAGED_SEARCH = ("report_search_fts", "ix_report_search_document")

def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's include_name hook: compare and migrate only SoRa's own tables."""
    if name and name.startswith(UNMANAGED_SEARCH):
        return False
    return not (type_ == "table" and name in UNMANAGED_TABLES)

__all__ = [
    "campaign_node",
    "ApiToken",
    "AuditEntry",
    "Campaign",
    "CampaignRound",
    "ClockEvent",
    "Compilation",
    "CompilationEvent",
    "CompilationHighlight",
    "CompilationPublication",
    "RenderJob",
    "CompilationReminder",
    "CompilationThemeText",
    "Recurrence",
    "Forum",
    "HarvestedExport",
    "HarvestSource",
    "PopulationFigure",
    "Indicator",
    "IndicatorValue",
    "SotkanetRegion",
    "JobLock",
    "OrgImportJob",
    "OutboxMessage",
    "ScheduledNotice",
    "SiteSetting",
    "Notification",
    "Municipality",
    "NationalPhenomenon",
    "OrgNode",
    "PhenomenonGroup",
    "Proposal",
    "ProposalFollowUp",
    "phenomenon_group_national_phenomenon",
    "phenomenon_group_report",
    "Report",
    "ReportEvent",
    "ReportNationalPhenomenon",
    "ReportNumberCounter",
    "ReportSearch",
    "ReportTerm",
    "SimilarityTerm",
    "RoleAssignment",
    "Theme",
    "UTCDateTime",
    "User",
    "AccountLink",
    "report_municipality",
    "report_theme",
    "utcnow",
]
