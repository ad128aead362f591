"""anonymous reports' deadlines end with a day

Revision ID: 5d2f7a1c9e40
Revises: a6c3e9263f15
Create Date: 2026-11-24 04:45:00

Reports filed before anonymous deadlines were counted in whole days still carry "filing minute + N days",
which gives away the minute the pages now hide. Each such deadline moves to the end of its own Helsinki
day, as deadlines.due_dates() counts them for new anonymous reports. Named reports are not touched.
Columns hold naive UTC.
"""
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = '5d2f7a1c9e40'
down_revision = 'a6c3e9263f15'
branch_labels = None
depends_on = None

HELSINKI = ZoneInfo("Europe/Helsinki")
report = sa.table(
    "report",
    sa.column("id", sa.Integer), sa.column("reporter_name", sa.String), sa.column("reporter_email", sa.String),
    sa.column("first_handling_due_at", sa.DateTime), sa.column("feedback_due_at", sa.DateTime),
)


def end_of_its_day(stored: datetime) -> datetime:
    day = stored.replace(tzinfo=timezone.utc).astimezone(HELSINKI).date()
    return datetime.combine(day, time(23, 59, 59), HELSINKI).astimezone(timezone.utc).replace(tzinfo=None)


def upgrade():
    connection = op.get_bind()
    anonymous = sa.and_(sa.func.coalesce(report.c.reporter_name, "") == "",
                        sa.func.coalesce(report.c.reporter_email, "") == "")
    rows = connection.execute(sa.select(report.c.id, report.c.first_handling_due_at, report.c.feedback_due_at)
                              .where(anonymous)).all()
    for row in rows:
        first, feedback = end_of_its_day(row.first_handling_due_at), end_of_its_day(row.feedback_due_at)
        if (first, feedback) != (row.first_handling_due_at, row.feedback_due_at):
            connection.execute(report.update().where(report.c.id == row.id)
                               .values(first_handling_due_at=first, feedback_due_at=feedback))


def downgrade():
    """The filing minute is not kept anywhere else, and it should not come back: nothing to undo."""
