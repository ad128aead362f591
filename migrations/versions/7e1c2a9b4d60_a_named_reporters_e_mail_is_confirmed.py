"""a named reporter's e-mail is confirmed by a one-time link; large organisation imports run as jobs

Revision ID: 7e1c2a9b4d60
Revises: 5e0dd15c0a11
Create Date: 2026-12-02 18:35:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7e1c2a9b4d60'
down_revision = '5e0dd15c0a11'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('org_import_job',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('content', sa.Text(), nullable=True),
                    sa.Column('requested_by_id', sa.Integer(), nullable=False),
                    sa.Column('state', sa.String(length=16), nullable=False),
                    sa.Column('result', sa.JSON(), nullable=True),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.Column('finished_at', sa.DateTime(), nullable=True),
                    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'],
                                            name=op.f('fk_org_import_job_requested_by_id_user_account')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_import_job')))
    with op.batch_alter_table('org_import_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_import_job_state'), ['state'], unique=False)
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reporter_confirmed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('confirmation_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('confirmation_expires_on', sa.Date(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_report_confirmation_hash'), ['confirmation_hash'])
    # Reports filed logged in under the account's own e-mail were the author's; the others stay unconfirmed.
    op.execute("UPDATE report SET reporter_confirmed = true WHERE author_id IS NOT NULL AND reporter_email = "
               "(SELECT email FROM user_account WHERE user_account.id = report.author_id)")


def downgrade():
    with op.batch_alter_table('org_import_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_import_job_state'))
    op.drop_table('org_import_job')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_report_confirmation_hash'), type_='unique')
        batch_op.drop_column('confirmation_expires_on')
        batch_op.drop_column('confirmation_hash')
        batch_op.drop_column('reporter_confirmed')
