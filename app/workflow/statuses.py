"""Report statuses and escalation levels; transitions between them belong to this package."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.codes import Choice


class ReportStatus(Choice):
    RECEIVED = "received", _l("Vastaanotettu")
    IN_HANDLING = "in_handling", _l("Käsittelyssä")
    WAITING_FOR_REPORTER = "waiting_for_reporter", _l("Odottaa raportoijan vastausta")
    FORWARDED = "forwarded", _l("Viety eteenpäin")
    RESOLVED = "resolved", _l("Ratkaistu")
    CLOSED = "closed", _l("Suljettu ilman toimenpiteitä")


class EscalationLevel(Choice):
    """Where a report is being taken forward, from the work unit up to legislation."""

    UNIT = "unit", _l("Työyksikkö")
    COUNTY = "county", _l("Hyvinvointialue")
    NATIONAL = "national", _l("Valtakunnallinen taso")
    MINISTRY = "ministry", _l("Ministeriö ja lainsäädäntö")


class EventKind(Choice):
    SUBMITTED = "submitted", _l("Raportti vastaanotettu")
    NOTE = "note", _l("Etenemismerkintä")
