"""anonymous moments stored as a day; held until released

Revision ID: a14d0f3c2b71
Revises: f15a0c0ffee1
Create Date: 2026-12-02 18:20:00

An anonymous report's arrival and its reporter's answers were stored to the microsecond (and
their notifications and staff mail with them). This truncates what is stored to the start of the
Helsinki day, and adds `held` to reports and timeline entries, which the daily release clears.
The rule is the same as app/workflow/core/anonymity.py (copied, so the migration stays as it was).
"""
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a14d0f3c2b71'
down_revision = 'f15a0c0ffee1'
branch_labels = None
depends_on = None

HELSINKI = ZoneInfo("Europe/Helsinki")
REPORTER_EVENTS = ("submitted", "answer")
REPORTER_NOTIFICATIONS = ("for_information", "for_action", "answer")
REPORTER_MAIL = ("new_report_action", "new_report_information", "answer_received")


def _day(value):
    """Naive UTC as stored -> naive UTC of the start of its Helsinki day."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite without type affinity
        value = datetime.fromisoformat(value)
    day = value.replace(tzinfo=timezone.utc).astimezone(HELSINKI).date()
    return datetime.combine(day, time.min, HELSINKI).astimezone(timezone.utc).replace(tzinfo=None)


def _truncate(bind, table, columns, where, params=None):
    rows = bind.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table} WHERE {where}"), params or {}).all()
    for row in rows:
        values = {column: _day(getattr(row, column)) for column in columns}
        assignments = ", ".join(f"{column} = :{column}" for column in columns)
        bind.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id"), {**values, "id": row.id})


def upgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('report_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held', sa.Boolean(), server_default=sa.false(), nullable=False))

    bind = op.get_bind()
    anonymous = "SELECT id FROM report WHERE reporter_name IS NULL AND reporter_email IS NULL"
    _truncate(bind, "report", ["created_at", "updated_at"],
              "reporter_name IS NULL AND reporter_email IS NULL")
    _truncate(bind, "report_event", ["created_at"],
              f"report_id IN ({anonymous}) AND kind IN ('submitted', 'answer')")
    _truncate(bind, "notification", ["created_at"],
              f"report_id IN ({anonymous}) AND kind IN ('for_information', 'for_action', 'answer')")
    _truncate(bind, "outbox_message", ["created_at", "next_attempt_at", "sent_at"],
              f"report_id IN ({anonymous}) AND kind IN "
              "('new_report_action', 'new_report_information', 'answer_received')")


def downgrade():
    # The moments truncated cannot come back, and need not.
    with op.batch_alter_table('report_event', schema=None) as batch_op:
        batch_op.drop_column('held')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_column('held')
