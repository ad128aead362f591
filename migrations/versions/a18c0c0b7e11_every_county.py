"""every county: municipalities' Swedish names and retirement; the partners' channel; contact persons
and reminder campaigns

Revision ID: a18c0c0b7e11
Revises: f813b733366b
Create Date: 2026-12-02 18:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a18c0c0b7e11'
down_revision = 'f813b733366b'
branch_labels = None
depends_on = None


ROLES_BEFORE = ('employee', 'supervisor', 'handler', 'social_director', 'working_group', 'review_body',
                'welfare_coordinator', 'admin')
ROLES_AFTER = ROLES_BEFORE + ('contact_person',)
ACTIONS_BEFORE = ("login", "login_failed", "logout", "report_filed", "report_viewed", "report_changed",
                  "report_deleted", "exported", "org_changed", "org_imported", "user_changed", "roles_changed",
                  "handed_over", "forum_changed", "theme_changed", "settings_changed", "mail_retried",
                  "api_token_created", "api_token_revoked")
ACTIONS_AFTER = ACTIONS_BEFORE + ("campaign_changed",)
CHANNELS = ('staff', 'partner')
PARTNER_TYPES = ('ngo', 'parish', 'police', 'school', 'kela', 'municipality', 'company', 'other_organisation',
                 'resident')


def _in(column, values):
    return "%s IN (%s)" % (column, ", ".join(f"'{value}'" for value in values))


def _replace_checks(roles, actions):
    with op.batch_alter_table('role_assignment', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_role_assignment_role'), type_='check')
        batch_op.create_check_constraint(op.f('ck_role_assignment_role'), _in('role', roles))
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_entry_audit_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_entry_audit_action'), _in('action', actions))


def upgrade():
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_sv', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('retired', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.Enum(*CHANNELS, name='channel', native_enum=False,
                                                         create_constraint=True, length=32),
                                      server_default='staff', nullable=False))
        batch_op.add_column(sa.Column('partner_type', sa.Enum(*PARTNER_TYPES, name='partner_type', native_enum=False,
                                                              create_constraint=True, length=32), nullable=True))
        batch_op.create_check_constraint(op.f('ck_report_partner_has_type'),
                                         "(channel = 'partner') = (partner_type IS NOT NULL)")
    _replace_checks(ROLES_AFTER, ACTIONS_AFTER)
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('next_on', sa.Date(), nullable=True),
    sa.Column('every_months', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('every_months IS NULL OR every_months BETWEEN 1 AND 24', name=op.f('ck_campaign_sensible_rhythm')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_campaign_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_next_on'), ['next_on'], unique=False)
    op.create_table('campaign_node',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('org_node_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_node_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_node_id'], ['org_node.id'], name=op.f('fk_campaign_node_org_node_id_org_node')),
    sa.PrimaryKeyConstraint('campaign_id', 'org_node_id', name=op.f('pk_campaign_node'))
    )
    op.create_table('campaign_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('reach', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_round_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_round')),
    sa.UniqueConstraint('campaign_id', 'sent_on', name=op.f('uq_campaign_round_campaign_id'))
    )


def downgrade():
    op.drop_table('campaign_round')
    op.drop_table('campaign_node')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_next_on'))
    op.drop_table('campaign')
    op.execute("DELETE FROM role_assignment WHERE role = 'contact_person'")
    op.execute("DELETE FROM audit_entry WHERE action = 'campaign_changed'")
    _replace_checks(ROLES_BEFORE, ACTIONS_BEFORE)
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_report_partner_has_type'), type_='check')
        batch_op.drop_constraint(op.f('ck_report_partner_type'), type_='check')
        batch_op.drop_constraint(op.f('ck_report_channel'), type_='check')
        batch_op.drop_column('partner_type')
        batch_op.drop_column('channel')
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('retired')
        batch_op.drop_column('name_sv')
