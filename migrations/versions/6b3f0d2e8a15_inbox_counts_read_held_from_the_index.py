"""the inbox's counts per status read `held` from the index: (status, held), (unit_id, status, held) and
(handling_node_id, status, held) replace (status), (unit_id, status) and (handling_node_id, status)

Revision ID: 6b3f0d2e8a15
Revises: 5d1e7a2b9c60
Create Date: 2026-12-04 19:15:00

"""
from alembic import op

revision = '6b3f0d2e8a15'
down_revision = '5d1e7a2b9c60'
branch_labels = None
depends_on = None


def upgrade():
    # Since a14d0f3c2b71 every list and count leaves out the reports held until the day's release, and the
    # counts read `held` from the table: the director's counts scanned all of it (100,000 reports: 108 ms,
    # against an index-only count before). With `held` last in the index they are index-only again.
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_status')
        batch_op.drop_index('ix_report_unit_id_status')
        batch_op.drop_index('ix_report_handling_node_id_status')
        batch_op.create_index('ix_report_status_held', ['status', 'held'], unique=False)
        batch_op.create_index('ix_report_unit_id_status_held', ['unit_id', 'status', 'held'], unique=False)
        batch_op.create_index('ix_report_handling_node_id_status_held', ['handling_node_id', 'status', 'held'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_handling_node_id_status_held')
        batch_op.drop_index('ix_report_unit_id_status_held')
        batch_op.drop_index('ix_report_status_held')
        batch_op.create_index('ix_report_handling_node_id_status', ['handling_node_id', 'status'], unique=False)
        batch_op.create_index('ix_report_unit_id_status', ['unit_id', 'status'], unique=False)
        batch_op.create_index('ix_report_status', ['status'], unique=False)
