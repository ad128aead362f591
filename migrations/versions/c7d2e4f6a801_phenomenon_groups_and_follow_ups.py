"""phenomenon groups (ilmiöt), their proposals and the follow-ups of proposals (issue 17, points 2 and 5)

Revision ID: c7d2e4f6a801
Revises: 9b0f1e2a3c44
Create Date: 2026-12-03 14:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c7d2e4f6a801'
down_revision = '9b0f1e2a3c44'
branch_labels = None
depends_on = None

AUDIT_BEFORE = ("login", "login_failed", "logout", "report_filed", "report_viewed", "report_changed",
                "report_deleted", "exported", "org_changed", "org_imported", "user_changed", "roles_changed",
                "handed_over", "forum_changed", "theme_changed", "settings_changed", "mail_retried",
                "api_token_created", "api_token_revoked", "campaign_changed", "compilation_withdrawn")
AUDIT_AFTER = AUDIT_BEFORE + ("phenomenon_group_changed", "follow_up_recorded")
FOLLOW_UP_STATUSES = ("open", "in_progress", "done", "not_taken_up")


def _in(column, values):
    return "%s IN (%s)" % (column, ", ".join(f"'{value}'" for value in values))


def _set_audit_actions(actions):
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_entry_audit_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_entry_audit_action'), _in('action', actions))


def upgrade():
    op.create_table('phenomenon_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('observations', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_phenomenon_group_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phenomenon_group'))
    )
    op.create_table('phenomenon_group_report',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['phenomenon_group.id'], name=op.f('fk_phenomenon_group_report_group_id_phenomenon_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_phenomenon_group_report_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'report_id', name=op.f('pk_phenomenon_group_report'))
    )
    op.create_index('ix_phenomenon_group_report_report_id', 'phenomenon_group_report', ['report_id'], unique=False)
    op.create_table('phenomenon_group_national_phenomenon',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('national_phenomenon_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['phenomenon_group.id'], name=op.f('fk_phenomenon_group_national_phenomenon_group_id_phenomenon_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['national_phenomenon_id'], ['national_phenomenon.id'], name=op.f('fk_phenomenon_group_national_phenomenon_national_phenomenon_id_national_phenomenon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'national_phenomenon_id', name=op.f('pk_phenomenon_group_national_phenomenon'))
    )
    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['phenomenon_group.id'], name=op.f('fk_proposal_group_id_phenomenon_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal'))
    )
    op.create_index(op.f('ix_proposal_group_id'), 'proposal', ['group_id'], unique=False)
    op.create_table('proposal_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('theme_text_id', sa.Integer(), nullable=True),
    sa.Column('forum_id', sa.Integer(), nullable=True),
    sa.Column('decision_body', sa.String(length=200), nullable=True),
    sa.Column('dated_on', sa.Date(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum(*FOLLOW_UP_STATUSES, name='follow_up_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(proposal_id IS NULL) <> (theme_text_id IS NULL)', name=op.f('ck_proposal_follow_up_follows_one_proposal')),
    sa.CheckConstraint('forum_id IS NOT NULL OR decision_body IS NOT NULL', name=op.f('ck_proposal_follow_up_went_somewhere')),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_proposal_follow_up_forum_id_forum')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_follow_up_proposal_id_proposal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_proposal_follow_up_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['theme_text_id'], ['compilation_theme_text.id'], name=op.f('fk_proposal_follow_up_theme_text_id_compilation_theme_text'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_follow_up'))
    )
    op.create_index(op.f('ix_proposal_follow_up_proposal_id'), 'proposal_follow_up', ['proposal_id'], unique=False)
    op.create_index(op.f('ix_proposal_follow_up_theme_text_id'), 'proposal_follow_up', ['theme_text_id'], unique=False)
    _set_audit_actions(AUDIT_AFTER)


def downgrade():
    op.execute("DELETE FROM audit_entry WHERE action IN ('phenomenon_group_changed', 'follow_up_recorded')")
    _set_audit_actions(AUDIT_BEFORE)
    op.drop_index(op.f('ix_proposal_follow_up_theme_text_id'), table_name='proposal_follow_up')
    op.drop_index(op.f('ix_proposal_follow_up_proposal_id'), table_name='proposal_follow_up')
    op.drop_table('proposal_follow_up')
    op.drop_index(op.f('ix_proposal_group_id'), table_name='proposal')
    op.drop_table('proposal')
    op.drop_table('phenomenon_group_national_phenomenon')
    op.drop_index('ix_phenomenon_group_report_report_id', table_name='phenomenon_group_report')
    op.drop_table('phenomenon_group_report')
    op.drop_table('phenomenon_group')
