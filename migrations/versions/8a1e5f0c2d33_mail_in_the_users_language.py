"""mail in the user's language: user_account.language

Revision ID: 8a1e5f0c2d33
Revises: 259e2d835799
Create Date: 2026-12-03 08:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '8a1e5f0c2d33'
down_revision = '259e2d835799'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('language', sa.String(5), nullable=False, server_default='fi'))


def downgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('language')
