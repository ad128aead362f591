"""Swedish labels of the national phenomena and the themes

Revision ID: 5e0dd15c0a11
Revises: a18c0c0b7e11
Create Date: 2026-12-03 08:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '5e0dd15c0a11'
down_revision = 'a18c0c0b7e11'
branch_labels = None
depends_on = None

# A copy, not an import of app.workflow.admin.reference_data: a migration must keep meaning what it meant when written.
LABELS_SV = {
    "homelessness": "Bostadslöshet",
    "mental_health": "Psykisk hälsa",
    "substances_and_addictions": "Rusmedel och beroenden",
    "economic_situation": "Ekonomisk situation och utkomst",
    "service_processes": "Klientrelation och serviceprocesser",
    "service_needs": "Servicebehov",
    "service_use": "Användning av tjänster",
    "effectiveness": "Verkningsfullhet",
    "substance_use_and_mental_health": "Rusmedel och psykisk hälsa",
    "social_context": "Samhälleligt och socialt sammanhang",
    "income": "Utkomst",
    "employment_and_education": "Sysselsättning, studier och skolgång",
    "social_relations_and_inclusion": "Sociala relationer och delaktighet",
    "housing": "Boende",
    "functioning_and_health": "Funktionsförmåga och hälsa",
    "regional_differences": "Regionala skillnader",
    "client_experiences": "Klienternas erfarenheter",
    "special_client_groups": "Särskilda klientgrupper",
}


def upgrade():
    for table in ("national_phenomenon", "theme"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("label_sv", sa.String(200), nullable=True))
        rows = sa.table(table, sa.column("code", sa.String), sa.column("label_sv", sa.String))
        for code, label in LABELS_SV.items():
            op.execute(rows.update().where(rows.c.code == code).values(label_sv=label))


def downgrade():
    for table in ("theme", "national_phenomenon"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("label_sv")
