"""Crimes found by persistent id (the API's outcomes-for-crime); the monthly crime summary
as an alerts topic.

Revision ID: 0006_api2
Revises: 0005_alerts
Create Date: 2026-11-23 15:12:11.669302

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_api2'
down_revision = '0005_alerts'
branch_labels = None
depends_on = None


def upgrade():
    # Existing subscribers did not choose the summary: they do not get it until they do.
    with op.batch_alter_table('alert_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wants_crime_summary', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    # Not in batch mode: an index needs no copy of the (large) crimes table on SQLite.
    op.create_index('ix_crimes_crime_ref', 'crimes', ['crime_ref'], unique=False)


def downgrade():
    op.drop_index('ix_crimes_crime_ref', table_name='crimes')

    with op.batch_alter_table('alert_subscriptions', schema=None) as batch_op:
        batch_op.drop_column('wants_crime_summary')
