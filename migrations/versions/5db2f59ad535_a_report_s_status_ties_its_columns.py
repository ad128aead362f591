"""a report's status ties its columns

Revision ID: 5db2f59ad535
Revises: 5d2f7a1c9e40
Create Date: 2026-12-02 07:51:38.207203

"""
from alembic import op

# What each status means for the report's other columns; app/models/reports.py holds the same list.
CHECKS = {
    "waiting_has_resume_status": "(status = 'waiting_for_reporter') = (resume_status IS NOT NULL)",
    "closed_has_closed_at": "(status IN ('resolved', 'closed')) = (closed_at IS NOT NULL)",
    "forwarded_has_forum": "status <> 'forwarded' OR forum_id IS NOT NULL",
    "escalated_through_forum": "forum_id IS NOT NULL OR escalation_level = 'unit'",
    "received_not_handled": "status <> 'received' OR first_handled_at IS NULL",
}

# revision identifiers, used by Alembic.
revision = '5db2f59ad535'
down_revision = '5d2f7a1c9e40'
branch_labels = None
depends_on = None


def upgrade():
    # A report resolved or closed while it waited for the reporter kept the status its question had
    # interrupted; nothing read it after that, and from now on leaving the wait clears it.
    op.execute("UPDATE report SET resume_status = NULL WHERE status <> 'waiting_for_reporter'")
    with op.batch_alter_table('report', schema=None) as batch_op:
        for name, condition in CHECKS.items():
            batch_op.create_check_constraint(op.f(f'ck_report_{name}'), condition)


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        for name in reversed(CHECKS):
            batch_op.drop_constraint(op.f(f'ck_report_{name}'), type_='check')
