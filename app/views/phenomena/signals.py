"""Weak signals: clusters of similar recent reports across units and municipalities, for the working group."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.workflow.core import permissions
from app.workflow.phenomena.signals import LINK_THRESHOLD, WINDOW_MONTHS, Signal, excerpt, weak_signals

bp = Blueprint("signals", __name__, url_prefix="/phenomena/signals")


def group_link(signal: Signal) -> str:
    """The link that makes a cluster a phenomenon group: the new group's form, with its reports and a name."""
    return url_for("groups.new", report=signal.report_ids, name=signal.suggested_name)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    if not permissions.sees_weak_signals(current_user):
        abort(403)
    return render_template("phenomena/signals.html", signals=weak_signals(current_user), group_link=group_link,
                           excerpt=excerpt, months=WINDOW_MONTHS, threshold=LINK_THRESHOLD)
