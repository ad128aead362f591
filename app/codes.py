"""Code lists with stable codes (stored and exported) and translated Finnish labels.

Themes, national phenomena and municipalities live in the database because the
administrator edits them; the lists here are fixed by the form's specification.
"""
from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l


class Choice(StrEnum):
    """A coded choice: the value is the stable code, `label` the translated name."""

    def __new__(cls, code: str, label: object) -> "Choice":
        member = str.__new__(cls, code)
        member._value_ = code
        member._label = label  # type: ignore[attr-defined]
        return member

    @property
    def label(self) -> str:
        return str(self._label)  # type: ignore[attr-defined]

    @property
    def lazy_label(self) -> object:
        """The label translated when it is shown, not when it is read: for forms built at import time."""
        return self._label  # type: ignore[attr-defined]

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        """(code, label) pairs whose labels follow the language of the page that shows them."""
        return [(member.value, member.lazy_label) for member in cls]


class ProfessionGroup(Choice):
    SOCIAL_WELFARE = "social_welfare", _l("Sosiaalihuollon ammattihenkilö")
    HEALTH_CARE = "health_care", _l("Terveydenhuollon ammattihenkilö")
    OTHER = "other", _l("Muu")


class Nature(Choice):
    POSITIVE = "positive", _l("Myönteinen ilmiö")
    NEGATIVE = "negative", _l("Kielteinen ilmiö")
    OTHER = "other", _l("Muu tärkeäksi katsottu ilmiö")


class Phenomenon(Choice):
    OWN_SERVICES = "own_services", _l("Omat palvelut")
    OTHER_AUTHORITIES_SERVICES = "other_authorities_services", _l("Muiden viranomaisten palvelut")
    NETWORK_COOPERATION = "network_cooperation", _l("Verkostoyhteistyö")
    OWN_RESOURCES = "own_resources", _l("Omat resurssit")
    OTHER_AUTHORITIES_RESOURCES = "other_authorities_resources", _l("Muiden viranomaisten resurssit")
    INTERNAL_PROCESSES = "internal_processes", _l("Sisäiset prosessit")
    CROSS_SECTOR_PROCESSES = "cross_sector_processes", _l("Eri toimialojen yhteiset prosessit")
    CLIENT_WORK = "client_work", _l("Asiakastyö")
    CLIENT_NEEDS = "client_needs", _l("Asiakkaiden tuottamat tarpeet")
    SOCIAL_PROBLEMS = "social_problems", _l("Sosiaaliset ongelmat")


class PopulationGroup(Choice):
    CHILDREN = "children", _l("Lapset")
    YOUNG_PEOPLE = "young_people", _l("Nuoret")
    WORKING_AGE = "working_age", _l("Työikäiset")
    OLDER_PEOPLE = "older_people", _l("Ikääntyneet")
    OTHER = "other", _l("Muu väestöryhmä")


class Significance(IntEnum):
    """How significant the reporter thinks the phenomenon is, on a four-step scale."""

    MINOR = 1
    MODERATE = 2
    SIGNIFICANT = 3
    VERY_SIGNIFICANT = 4

    @property
    def label(self) -> str:
        return str(_SIGNIFICANCE_LABELS[self])

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        return [(str(member.value), _SIGNIFICANCE_LABELS[member]) for member in cls]


_SIGNIFICANCE_LABELS = {
    Significance.MINOR: _l("Vähäinen"),
    Significance.MODERATE: _l("Kohtalainen"),
    Significance.SIGNIFICANT: _l("Merkittävä"),
    Significance.VERY_SIGNIFICANT: _l("Erittäin merkittävä"),
}


class NodeKind(Choice):
    DIVISION = "division", _l("Toimiala")
    SERVICE_AREA = "service_area", _l("Palvelualue")
    UNIT = "unit", _l("Työyksikkö")


class Channel(Choice):
    """Whose form a report came through: the county's staff, or its partners outside the staff."""

    STAFF = "staff", _l("Henkilöstö")
    PARTNER = "partner", _l("Yhteistyökumppanit")


class PartnerType(Choice):
    """The kind of organisation a partner reports from (the partners' form asks it instead of a work unit)."""

    NGO = "ngo", _l("Järjestö")
    PARISH = "parish", _l("Seurakunta")
    POLICE = "police", _l("Poliisi")
    SCHOOL = "school", _l("Koulu tai oppilaitos")
    KELA = "kela", _l("Kela")
    MUNICIPALITY = "municipality", _l("Kunta (muu kuin hyvinvointialue)")
    COMPANY = "company", _l("Yritys")
    OTHER_ORGANISATION = "other_organisation", _l("Muu organisaatio")
    RESIDENT = "resident", _l("Asukas")
    """Offered only when the county lets residents report (PARTNER_RESIDENTS)."""


class Role(Choice):
    EMPLOYEE = "employee", _l("Työntekijä")
    SUPERVISOR = "supervisor", _l("Esihenkilö")
    HANDLER = "handler", _l("Käsittelijä")
    SOCIAL_DIRECTOR = "social_director", _l("Sosiaalijohtaja")
    WORKING_GROUP = "working_group", _l("Rakenteellisen sosiaalityön työryhmä")
    REVIEW_BODY = "review_body", _l("Asiakaskokemusjaosto")
    WELFARE_COORDINATOR = "welfare_coordinator", _l("Hyvinvointikoordinaattori")
    ADMIN = "admin", _l("Pääkäyttäjä")
    CONTACT_PERSON = "contact_person", _l("Rakenteellisen sosiaalityön vastuuhenkilö")
    """Named in a unit (seed 004): keeps reporting alive there, and belongs to the network of them."""


class AccountLinkPurpose(Choice):
    """What a one-time link sent by mail lets its holder do: set the first password, or a new one."""

    INVITATION = "invitation", _l("Kutsu")
    PASSWORD_RESET = "password_reset", _l("Salasanan vaihto")


class AuditAction(Choice):
    """What one audit-log entry records. Codes are stored; never rename one that is in use."""

    LOGIN = "login", _l("Kirjautuminen")
    LOGIN_FAILED = "login_failed", _l("Epäonnistunut kirjautuminen")
    LOGOUT = "logout", _l("Uloskirjautuminen")
    REPORT_FILED = "report_filed", _l("Raportti lähetetty")
    REPORT_VIEWED = "report_viewed", _l("Raportti avattu")
    REPORT_CHANGED = "report_changed", _l("Raportin käsittely")
    REPORT_DELETED = "report_deleted", _l("Raportti poistettu säilytysajan päätyttyä")
    EXPORTED = "exported", _l("Tietojen vienti")
    ORG_CHANGED = "org_changed", _l("Organisaation muutos")
    ORG_IMPORTED = "org_imported", _l("Organisaation tuonti")
    USER_CHANGED = "user_changed", _l("Käyttäjän muutos")
    ROLES_CHANGED = "roles_changed", _l("Roolien muutos")
    HANDED_OVER = "handed_over", _l("Käsittelyvastuun siirto")
    FORUM_CHANGED = "forum_changed", _l("Foorumin muutos")
    THEME_CHANGED = "theme_changed", _l("Teeman muutos")
    SETTINGS_CHANGED = "settings_changed", _l("Asetusten muutos")
    MAIL_RETRIED = "mail_retried", _l("Sähköpostien uusi lähetys")
    API_TOKEN_CREATED = "api_token_created", _l("API-avain luotu")
    API_TOKEN_REVOKED = "api_token_revoked", _l("API-avain peruttu")
    CAMPAIGN_CHANGED = "campaign_changed", _l("Muistutuskampanjan muutos")
    COMPILATION_WITHDRAWN = "compilation_withdrawn", _l("Koosteen julkaisu peruttu")
    INDICATORS_CHANGED = "indicators_changed", _l("Indikaattorien tuonti tai poisto")
    PHENOMENON_GROUP_CHANGED = "phenomenon_group_changed", _l("Ilmiön muutos")
    FOLLOW_UP_RECORDED = "follow_up_recorded", _l("Ehdotuksen seurannan kirjaus")
    CLASSIFICATION_CHANGED = "classification_changed", _l("Valtakunnallisten ilmiöiden luokituksen muutos")
    HARVEST_CHANGED = "harvest_changed", _l("Vertailun lähteiden tai tiedostojen muutos")


# Statuses and what happens to reports and compilations: stored codes the models and every feature share.
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


class CodingSource(Choice):
    """Who put a national phenomenon on a report: only a handler's confirmation makes it count."""

    REPORTER = "reporter", _l("raportoijan valitsema")
    SUGGESTED = "suggested", _l("johdettu teemoista ennen suoraa koodausta")
    HANDLER = "handler", _l("käsittelijän lisäämä")


class NotificationKind(Choice):
    FOR_INFORMATION = "for_information", _l("Uusi raportti tiedoksi")
    FOR_ACTION = "for_action", _l("Uusi raportti käsiteltäväksi")
    ANSWER = "answer", _l("Raportoija vastasi kysymykseen")
    REMINDER = "reminder", _l("Määräaika lähestyy")
    OVERDUE = "overdue", _l("Raportti on myöhässä")


class CompilationStatus(Choice):
    DRAFT = "draft", _l("Luonnos")
    IN_REVIEW = "in_review", _l("Jaoston käsiteltävänä")
    PUBLISHED = "published", _l("Julkaistu")


class ExcerptContext(Choice):
    """How precisely a published excerpt says where it comes from: never the unit, never the date."""

    COUNTY = "county", _l("Hyvinvointialue")
    DIVISION = "division", _l("Toimiala")
    SERVICE_AREA = "service_area", _l("Palvelualue")
    MUNICIPALITY = "municipality", _l("Kunta")


class RenderStatus(Choice):
    QUEUED = "queued", _l("Jonossa")
    RUNNING = "running", _l("Muodostetaan")
    DONE = "done", _l("Valmis")
    FAILED = "failed", _l("Epäonnistui")


class CompilationAction(Choice):
    OPEN = "open", _l("Kooste avattu")
    SEND_FOR_REVIEW = "send_for_review", _l("Lähetä jaoston käsiteltäväksi")
    APPROVE = "approve", _l("Hyväksy ja julkaise")
    RETURN = "return", _l("Palauta työryhmälle")
    WITHDRAW = "withdraw", _l("Peru julkaisu")

    @property
    def done_label(self) -> str:
        """The step as the history tells it afterwards ("Lähetetty ..."), not as the button asks for it."""
        return str(COMPILATION_STEPS_DONE[self])


COMPILATION_STEPS_DONE = {
    CompilationAction.OPEN: _l("Kooste avattu"),
    CompilationAction.SEND_FOR_REVIEW: _l("Lähetetty jaoston käsiteltäväksi"),
    CompilationAction.APPROVE: _l("Hyväksytty ja julkaistu"),
    CompilationAction.RETURN: _l("Palautettu työryhmälle"),
    CompilationAction.WITHDRAW: _l("Julkaisu peruttu"),
}


class IndicatorSource(Choice):
    """Where an indicator's values came from (issue 17: indicators beside the reports)."""
    SOTKANET = "sotkanet", _l("Sotkanet")
    THL_EXCEL = "thl_excel", _l("THL:n Excel-tiedosto")


class HarvestProblem(Choice):
    """Why a county's last harvest failed: its server gave no file, or the file it gave was refused."""
    UNREACHABLE = "unreachable", _l("Ei tavoitettu")
    REFUSED = "refused", _l("Tiedosto hylättiin")


class AreaKind(Choice):
    """The level an indicator value describes (THL's levels below Finland that a county sees)."""
    MUNICIPALITY = "municipality", _l("Kunta")
    COUNTY = "county", _l("Hyvinvointialue")
    COUNTRY = "country", _l("Koko maa")


class FollowUpStatus(Choice):
    """Where a proposal stands after it went to a forum or a decision body ("what came of it")."""

    OPEN = "open", _l("Avoin")
    IN_PROGRESS = "in_progress", _l("Työn alla")
    DONE = "done", _l("Toteutunut")
    NOT_TAKEN_UP = "not_taken_up", _l("Ei otettu jatkoon")


COLLABORATIVE_AREAS = {
    "1": _l("Etelä-Suomen yhteistyöalue"),
    "2": _l("Itä-Suomen yhteistyöalue"),
    "3": _l("Sisä-Suomen yhteistyöalue"),
    "4": _l("Länsi-Suomen yhteistyöalue"),
    "5": _l("Pohjois-Suomen yhteistyöalue"),
}
"""The five collaborative areas (yhteistyöalueet) of the wellbeing services counties, by their code in
app/data/classifications, named in the UI language (the classification file names them in Finnish only)."""
