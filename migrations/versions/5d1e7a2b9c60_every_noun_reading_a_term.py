"""search terms and similar reports' term counts: every noun reading of a word is a term, stop words are none

Revision ID: 5d1e7a2b9c60
Revises: a7c3e5b19d42
Create Date: 2026-12-03 15:00:00

"""
from alembic import op

revision = '5d1e7a2b9c60'
down_revision = 'a7c3e5b19d42'
branch_labels = None
depends_on = None


def upgrade():
    # "nuorille" was "nuora" only (rope), so it never met "nuorten" (nuori); now both readings are terms
    # (text_analysis._readings), and similarity leaves out Snowball's stop words (term_index.stop_terms).
    # Both indexes are made again from the report rows as they are at this revision.
    from app.workflow.phenomena.term_index import backfill
    from app.workflow.search.index import rebuild

    connection = op.get_bind()
    rebuild(connection)
    backfill(connection)


def downgrade():
    pass  # the terms stay those of the newer analysis; `flask search-reindex` on the older code remakes them
