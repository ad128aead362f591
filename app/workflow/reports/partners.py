"""The partners' channel: reports from organisations outside the county's staff (and residents, if allowed).

A partner's report is filed by the same operation as the staff's (filing.file_report), with the
kind of organisation instead of a work unit. It is filed at the node the settings name, so that
node's handlers take it; it is anonymous exactly as a staff report is, tracked by number and code,
and counted apart from the staff's in the compilation (its channel and kind are its own dimension).
"""
from __future__ import annotations

from dataclasses import dataclass

from app.models import OrgNode
from app.workflow.admin import site_settings
from app.workflow.reports import catalog


@dataclass(frozen=True)
class PartnerChannel:
    node: OrgNode
    """Where partners' reports are filed and handled."""
    residents: bool


def open_channel() -> PartnerChannel | None:
    """The channel as the settings have it, or None when it is off (or its node is gone or inactive)."""
    settings = site_settings.current()
    if not settings["PARTNER_CHANNEL"]:
        return None
    node = catalog.node_by_code(settings["PARTNER_HANDLING_NODE"] or "")
    if node is None or not node.active:
        return None
    return PartnerChannel(node=node, residents=bool(settings["PARTNER_RESIDENTS"]))
