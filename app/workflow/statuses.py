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


OPEN_STATUSES = frozenset(
    {ReportStatus.RECEIVED, ReportStatus.IN_HANDLING, ReportStatus.WAITING_FOR_REPORTER, ReportStatus.FORWARDED}
)


class EventKind(Choice):
    """What one timeline entry records; workflow actions and the reporter's answers."""

    SUBMITTED = "submitted", _l("Raportti vastaanotettu")
    NOTE = "note", _l("Etenemismerkintä")
    START_HANDLING = "start_handling", _l("Käsittely aloitettu")
    QUESTION = "question", _l("Kysymys raportoijalle")
    ANSWER = "answer", _l("Raportoijan vastaus")
    TAKE_FORWARD = "take_forward", _l("Viety eteenpäin")
    RESOLVE = "resolve", _l("Ratkaistu")
    CLOSE = "close", _l("Suljettu ilman toimenpiteitä")
    REOPEN = "reopen", _l("Avattu uudelleen")


class NotificationKind(Choice):
    FOR_INFORMATION = "for_information", _l("Uusi raportti tiedoksi")
    FOR_ACTION = "for_action", _l("Uusi raportti käsiteltäväksi")
    ANSWER = "answer", _l("Raportoija vastasi kysymykseen")
    REMINDER = "reminder", _l("Määräaika lähestyy")
    OVERDUE = "overdue", _l("Raportti on myöhässä")
