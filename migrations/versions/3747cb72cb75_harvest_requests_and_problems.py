"""harvesting counties' open data: why a source's last harvest failed (unreachable or refused), the
administrator's "harvest now" request for the scheduler, and the audit action for sources and uploads

Revision ID: 3747cb72cb75
Revises: 444c316219ab
Create Date: 2026-12-03 15:10:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3747cb72cb75'
down_revision = '444c316219ab'
branch_labels = None
depends_on = None

AUDIT_BEFORE = ("login", "login_failed", "logout", "report_filed", "report_viewed", "report_changed",
                "report_deleted", "exported", "org_changed", "org_imported", "user_changed", "roles_changed",
                "handed_over", "forum_changed", "theme_changed", "settings_changed", "mail_retried",
                "api_token_created", "api_token_revoked", "campaign_changed", "compilation_withdrawn",
                "phenomenon_group_changed", "follow_up_recorded", "classification_changed", "indicators_changed")
AUDIT_AFTER = AUDIT_BEFORE + ("harvest_changed",)


def _set_audit_actions(actions):
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_entry_audit_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_entry_audit_action'),
                                         "action IN (%s)" % ", ".join(f"'{a}'" for a in actions))


def upgrade():
    with op.batch_alter_table('harvest_source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_problem', sa.Enum('unreachable', 'refused', name='harvest_problem',
                                                              native_enum=False, create_constraint=True, length=32),
                                      nullable=True))
        batch_op.add_column(sa.Column('harvest_requested_at', sa.DateTime(), nullable=True))
    _set_audit_actions(AUDIT_AFTER)


def downgrade():
    op.execute("DELETE FROM audit_entry WHERE action = 'harvest_changed'")
    _set_audit_actions(AUDIT_BEFORE)
    with op.batch_alter_table('harvest_source', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_harvest_source_harvest_problem'), type_='check')
        batch_op.drop_column('harvest_requested_at')
        batch_op.drop_column('last_problem')
