"""search terms by Voikko's basic forms: the index is built again

Revision ID: 9b0f1e2a3c44
Revises: 8a1e5f0c2d33
Create Date: 2026-12-03 09:05:00

"""
from alembic import op

revision = '9b0f1e2a3c44'
down_revision = '8a1e5f0c2d33'
branch_labels = None
depends_on = None


def upgrade():
    # The terms a query is analysed into changed (text_analysis.py), so every report's terms must be made
    # the same way again; rebuild() reads only the report and event tables as they are at this revision.
    from app.workflow.search.index import rebuild

    rebuild(op.get_bind())


def downgrade():
    pass  # the terms stay those of the newer analysis; `flask search-reindex` on the older code remakes them
