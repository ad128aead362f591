"""a named reporter's mail language: the language of the page the report was filed in (never an anonymous one's)

Revision ID: a7c3e5b19d42
Revises: 3747cb72cb75
Create Date: 2026-12-03 14:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e5b19d42'
down_revision = '3747cb72cb75'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reporter_language', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_report_language_only_when_named'),
            "reporter_language IS NULL OR reporter_name IS NOT NULL OR reporter_email IS NOT NULL")


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_report_language_only_when_named'), type_='check')
        batch_op.drop_column('reporter_language')
