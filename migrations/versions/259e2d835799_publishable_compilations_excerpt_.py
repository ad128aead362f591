"""publishable compilations: excerpt context, publications, render jobs

Revision ID: 259e2d835799
Revises: 7e1c2a9b4d60
Create Date: 2026-12-02 18:03:17.155858

"""
import sqlalchemy as sa
from alembic import op

ACTIONS_BEFORE = ("open", "send_for_review", "approve", "return")
ACTIONS_AFTER = ACTIONS_BEFORE + ("withdraw",)


def _action_check(actions):
    return "action IN (%s)" % ", ".join(f"'{action}'" for action in actions)


def _set_actions(actions):
    with op.batch_alter_table('compilation_event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_compilation_event_compilation_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_compilation_event_compilation_action'), _action_check(actions))


AUDIT_BEFORE = ("login", "login_failed", "logout", "report_filed", "report_viewed", "report_changed",
                "report_deleted", "exported", "org_changed", "org_imported", "user_changed", "roles_changed",
                "handed_over", "forum_changed", "theme_changed", "settings_changed", "mail_retried",
                "api_token_created", "api_token_revoked", "campaign_changed")
AUDIT_AFTER = AUDIT_BEFORE + ("compilation_withdrawn",)


def _set_audit_actions(actions):
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_entry_audit_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_entry_audit_action'), _action_check(actions))


def _record_publications():
    """Each compilation published so far becomes its first publication (its snapshot is read as publishable)."""
    connection = op.get_bind()
    compilation = sa.table("compilation", sa.column("id", sa.Integer), sa.column("status", sa.String),
                           sa.column("snapshot", sa.JSON), sa.column("published_at", sa.DateTime))
    publication = sa.table("compilation_publication", sa.column("compilation_id", sa.Integer),
                           sa.column("snapshot", sa.JSON), sa.column("published_at", sa.DateTime))
    rows = connection.execute(sa.select(compilation.c.id, compilation.c.snapshot, compilation.c.published_at)
                              .where(compilation.c.status == "published")).all()
    for compilation_id, snapshot, published_at in rows:
        connection.execute(publication.insert().values(compilation_id=compilation_id, snapshot=snapshot,
                                                       published_at=published_at))


# revision identifiers, used by Alembic.
revision = '259e2d835799'
down_revision = '7e1c2a9b4d60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('render_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='render_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('download_name', sa.String(length=200), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('claimed_until', sa.DateTime(), nullable=True),
    sa.Column('holder', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_render_job_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_render_job')),
    sa.UniqueConstraint('key', name=op.f('uq_render_job_key'))
    )
    with op.batch_alter_table('render_job', schema=None) as batch_op:
        batch_op.create_index('ix_render_job_waiting', ['status', 'created_at'], unique=False)

    op.create_table('compilation_publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('compilation_id', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('(withdrawn_at IS NULL) = (withdrawal_reason IS NULL)', name=op.f('ck_compilation_publication_withdrawal_has_reason')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_compilation_publication_approved_by_id_user_account')),
    sa.ForeignKeyConstraint(['compilation_id'], ['compilation.id'], name=op.f('fk_compilation_publication_compilation_id_compilation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user_account.id'], name=op.f('fk_compilation_publication_withdrawn_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compilation_publication'))
    )
    with op.batch_alter_table('compilation_publication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compilation_publication_compilation_id'), ['compilation_id'], unique=False)

    with op.batch_alter_table('compilation_highlight', schema=None) as batch_op:
        batch_op.add_column(sa.Column('context', sa.Enum('county', 'division', 'service_area', 'municipality', name='excerpt_context', native_enum=False, create_constraint=True, length=32), nullable=False, server_default='county'))

    _set_actions(ACTIONS_AFTER)
    _set_audit_actions(AUDIT_AFTER)
    _record_publications()



def downgrade():
    op.execute("DELETE FROM compilation_event WHERE action = 'withdraw'")
    _set_actions(ACTIONS_BEFORE)
    op.execute("DELETE FROM audit_entry WHERE action = 'compilation_withdrawn'")
    _set_audit_actions(AUDIT_BEFORE)
    with op.batch_alter_table('compilation_highlight', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_compilation_highlight_excerpt_context'), type_='check')
        batch_op.drop_column('context')

    with op.batch_alter_table('compilation_publication', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_compilation_publication_compilation_id'))

    op.drop_table('compilation_publication')
    with op.batch_alter_table('render_job', schema=None) as batch_op:
        batch_op.drop_index('ix_render_job_waiting')

    op.drop_table('render_job')
