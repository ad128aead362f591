"""honest deadlines and the search index

Revision ID: f15a0c0ffee1
Revises: 5db2f59ad535
Create Date: 2026-12-02 18:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

FEEDBACK_KINDS = ("take_forward", "resolve", "close")
NOT_FEEDBACK_KINDS = ("submitted", "start_handling", "question", "answer")
"""Starting handling (whose note the demo and many handlers wrote as "otettu käsittelyyn") is not feedback."""

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE report_search_fts USING fts5(terms, content='report_search', content_rowid='report_id',"
    " tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER report_search_fts_insert AFTER INSERT ON report_search BEGIN"
    " INSERT INTO report_search_fts(rowid, terms) VALUES (new.report_id, new.terms); END",
    "CREATE TRIGGER report_search_fts_delete AFTER DELETE ON report_search BEGIN"
    " INSERT INTO report_search_fts(report_search_fts, rowid, terms) VALUES ('delete', old.report_id, old.terms); END",
    "CREATE TRIGGER report_search_fts_update AFTER UPDATE ON report_search BEGIN"
    " INSERT INTO report_search_fts(report_search_fts, rowid, terms) VALUES ('delete', old.report_id, old.terms);"
    " INSERT INTO report_search_fts(rowid, terms) VALUES (new.report_id, new.terms); END",
)

# revision identifiers, used by Alembic.
revision = 'f15a0c0ffee1'
down_revision = '5db2f59ad535'
branch_labels = None
depends_on = None


def _tables():
    report = sa.table("report", sa.column("id", sa.Integer), sa.column("feedback_given_at", sa.DateTime),
                      sa.column("created_at", sa.DateTime), sa.column("last_step_at", sa.DateTime))
    event = sa.table("report_event", sa.column("report_id", sa.Integer), sa.column("created_at", sa.DateTime),
                     sa.column("kind", sa.String), sa.column("note", sa.Text), sa.column("is_public", sa.Boolean))
    return report, event


def _backfill():
    """Feedback is what a person told the reporter of what is done; a report last moved at its last event."""
    report, event = _tables()
    first_feedback = (
        sa.select(sa.func.min(event.c.created_at))
        .where(event.c.report_id == report.c.id,
               sa.or_(event.c.kind.in_(FEEDBACK_KINDS),
                      sa.and_(event.c.is_public.is_(True), event.c.note.is_not(None),
                              event.c.kind.not_in(NOT_FEEDBACK_KINDS))))
        .scalar_subquery()
    )
    last_event = sa.select(sa.func.max(event.c.created_at)).where(event.c.report_id == report.c.id).scalar_subquery()
    op.get_bind().execute(report.update().values(feedback_given_at=first_feedback,
                                                 last_step_at=sa.func.coalesce(last_event, report.c.created_at)))


def upgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_step_at', sa.DateTime(), nullable=True))
    _backfill()
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.alter_column('last_step_at', existing_type=sa.DateTime(), nullable=False)

    op.create_table('report_search',
                    sa.Column('report_id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('terms', sa.Text(), nullable=False),
                    sa.ForeignKeyConstraint(['report_id'], ['report.id'],
                                            name=op.f('fk_report_search_report_id_report'), ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('report_id', name=op.f('pk_report_search')))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_report_search_document ON report_search "
                   "USING gin (to_tsvector('simple'::regconfig, terms))")
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)
    from app.workflow.search.index import rebuild  # the same analysis as every later write

    rebuild(bind)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS report_search_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS report_search_fts")
    op.drop_table('report_search')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_column('last_step_at')
