"""similar reports: each report's term counts and each term's document frequency, filled for the reports there are

Revision ID: c7d2e4f6a810
Revises: c7d2e4f6a801
Create Date: 2026-12-04 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c7d2e4f6a810'
down_revision = 'c7d2e4f6a801'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_term',
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('term', sa.String(length=128), nullable=False),
        sa.Column('occurrences', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_term_report_id_report'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('report_id', 'term', name=op.f('pk_report_term')),
    )
    op.create_index('ix_report_term_term_report_id', 'report_term', ['term', 'report_id'], unique=False)
    op.create_table(
        'similarity_term',
        sa.Column('term', sa.String(length=128), nullable=False),
        sa.Column('document_count', sa.Integer(), nullable=False),
        sa.Column('display', sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint('term', name=op.f('pk_similarity_term')),
    )
    # Once, for the reports filed before: from here on every flush keeps the counts (term_index.py).
    from app.workflow.phenomena.term_index import backfill

    backfill(op.get_bind())


def downgrade():
    op.drop_table('similarity_term')
    op.drop_index('ix_report_term_term_report_id', table_name='report_term')
    op.drop_table('report_term')
