"""national phenomena coded directly on each report; a versioned classification; no theme implies a phenomenon

Revision ID: 4f2a8c1d9e07
Revises: c7d2e4f6a810
Create Date: 2026-12-04 09:00:00

Each report's national phenomena were derived from its themes through theme_national_phenomenon, a mapping no
source gives. The coding derived that way is kept, as unconfirmed suggestions (source 'suggested') that a
handler confirms or corrects; then the mapping goes.
"""
import sqlalchemy as sa
from alembic import op

revision = '4f2a8c1d9e07'
down_revision = 'c7d2e4f6a810'
branch_labels = None
depends_on = None

AUDIT_BEFORE = ("login", "login_failed", "logout", "report_filed", "report_viewed", "report_changed",
                "report_deleted", "exported", "org_changed", "org_imported", "user_changed", "roles_changed",
                "handed_over", "forum_changed", "theme_changed", "settings_changed", "mail_retried",
                "api_token_created", "api_token_revoked", "campaign_changed", "compilation_withdrawn",
                "phenomenon_group_changed", "follow_up_recorded")
AUDIT_AFTER = AUDIT_BEFORE + ("classification_changed",)
SOURCES = ("reporter", "suggested", "handler")

# Copies, not imports of app.workflow.admin.reference_data: a migration keeps meaning what it meant when written.
EXPLANATIONS = {
    "homelessness": ("Asunnon puute, asunnon menettämisen uhka tai asuminen tilapäisesti muiden luona tai ensisuojassa.",
                     "Lack of a home, the threat of losing it, or living temporarily with others or in a shelter.",
                     "Brist på bostad, hot om att förlora den eller tillfälligt boende hos andra eller i härbärge."),
    "mental_health": ("Mielenterveyden ongelmat ja mielenterveyspalvelujen saatavuus.",
                      "Mental health problems and the availability of mental health services.",
                      "Psykiska problem och tillgången till mentalvårdstjänster."),
    "substances_and_addictions": ("Alkoholin, huumeiden ja lääkkeiden käyttö sekä peli- ja muut riippuvuudet "
                                  "ja niiden palvelut.",
                                  "Use of alcohol, drugs and medicines, gambling and other addictions, and their "
                                  "services.",
                                  "Bruk av alkohol, droger och läkemedel, spel- och andra beroenden samt tjänsterna "
                                  "för dem."),
    "economic_situation": ("Toimeentulo, velat, etuudet ja köyhyys: rahan riittäminen elämiseen.",
                           "Income, debt, benefits and poverty: whether money is enough to live on.",
                           "Utkomst, skulder, förmåner och fattigdom: om pengarna räcker till att leva."),
}
# The mapping as reference data seeded it, for a downgrade to put back.
OLD_MAPPING = (("substance_use_and_mental_health", "mental_health"),
               ("substance_use_and_mental_health", "substances_and_addictions"),
               ("income", "economic_situation"), ("employment_and_education", "economic_situation"),
               ("housing", "homelessness"), ("functioning_and_health", "mental_health"))


def _in(column, values):
    return "%s IN (%s)" % (column, ", ".join(f"'{value}'" for value in values))


def _set_audit_actions(actions):
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_entry_audit_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_entry_audit_action'), _in('action', actions))


def upgrade():
    with op.batch_alter_table('national_phenomenon', schema=None) as batch_op:
        batch_op.add_column(sa.Column('explanation_fi', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('explanation_en', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('explanation_sv', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('retired', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('added_in_version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('retired_in_version', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_national_phenomenon_retired_has_version'),
                                         'retired = (retired_in_version IS NOT NULL)')
        batch_op.create_check_constraint(op.f('ck_national_phenomenon_retired_after_added'),
                                         'retired_in_version IS NULL OR retired_in_version > added_in_version')
    phenomena = sa.table('national_phenomenon', sa.column('code', sa.String), sa.column('explanation_fi', sa.String),
                         sa.column('explanation_en', sa.String), sa.column('explanation_sv', sa.String))
    for code, (fi, en, sv) in EXPLANATIONS.items():
        op.execute(phenomena.update().where(phenomena.c.code == code)
                   .values(explanation_fi=fi, explanation_en=en, explanation_sv=sv))

    op.create_table('report_national_phenomenon',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('national_phenomenon_id', sa.Integer(), nullable=False),
    sa.Column('confirmed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('source', sa.Enum(*SOURCES, name='coding_source', native_enum=False, create_constraint=True,
                                length=32), nullable=False),
    sa.CheckConstraint("source <> 'handler' OR confirmed", name=op.f('ck_report_national_phenomenon_handler_coding_confirmed')),
    sa.ForeignKeyConstraint(['national_phenomenon_id'], ['national_phenomenon.id'], name=op.f('fk_report_national_phenomenon_national_phenomenon_id_national_phenomenon')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_national_phenomenon_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'national_phenomenon_id', name=op.f('pk_report_national_phenomenon'))
    )
    op.create_index('ix_report_national_phenomenon_phenomenon', 'report_national_phenomenon',
                    ['national_phenomenon_id', 'confirmed', 'report_id'], unique=False)

    # The data: each report's coding as the themes implied it, kept as an unconfirmed suggestion.
    report_theme = sa.table('report_theme', sa.column('report_id', sa.Integer), sa.column('theme_id', sa.Integer))
    mapping = sa.table('theme_national_phenomenon', sa.column('theme_id', sa.Integer),
                       sa.column('national_phenomenon_id', sa.Integer))
    coding = sa.table('report_national_phenomenon', sa.column('report_id', sa.Integer),
                      sa.column('national_phenomenon_id', sa.Integer), sa.column('confirmed', sa.Boolean),
                      sa.column('source', sa.String))
    derived = (sa.select(report_theme.c.report_id, mapping.c.national_phenomenon_id, sa.false(),
                         sa.literal('suggested', sa.String))
               .select_from(report_theme.join(mapping, mapping.c.theme_id == report_theme.c.theme_id))
               .distinct())
    op.execute(coding.insert().from_select(['report_id', 'national_phenomenon_id', 'confirmed', 'source'], derived))
    op.drop_table('theme_national_phenomenon')
    _set_audit_actions(AUDIT_AFTER)


def downgrade():
    op.execute("DELETE FROM audit_entry WHERE action = 'classification_changed'")
    _set_audit_actions(AUDIT_BEFORE)
    op.create_table('theme_national_phenomenon',
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('national_phenomenon_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['national_phenomenon_id'], ['national_phenomenon.id'], name=op.f('fk_theme_national_phenomenon_national_phenomenon_id_national_phenomenon'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_theme_national_phenomenon_theme_id_theme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('theme_id', 'national_phenomenon_id', name=op.f('pk_theme_national_phenomenon'))
    )
    theme = sa.table('theme', sa.column('id', sa.Integer), sa.column('code', sa.String))
    phenomenon = sa.table('national_phenomenon', sa.column('id', sa.Integer), sa.column('code', sa.String))
    mapping = sa.table('theme_national_phenomenon', sa.column('theme_id', sa.Integer),
                       sa.column('national_phenomenon_id', sa.Integer))
    for theme_code, phenomenon_code in OLD_MAPPING:
        pair = (sa.select(theme.c.id, phenomenon.c.id)
                .select_from(theme.join(phenomenon, phenomenon.c.code == phenomenon_code))
                .where(theme.c.code == theme_code))
        op.execute(mapping.insert().from_select(['theme_id', 'national_phenomenon_id'], pair))
    op.drop_index('ix_report_national_phenomenon_phenomenon', table_name='report_national_phenomenon')
    op.drop_table('report_national_phenomenon')
    with op.batch_alter_table('national_phenomenon', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_national_phenomenon_retired_after_added'), type_='check')
        batch_op.drop_constraint(op.f('ck_national_phenomenon_retired_has_version'), type_='check')
        batch_op.drop_column('retired_in_version')
        batch_op.drop_column('added_in_version')
        batch_op.drop_column('retired')
        batch_op.drop_column('explanation_sv')
        batch_op.drop_column('explanation_en')
        batch_op.drop_column('explanation_fi')
