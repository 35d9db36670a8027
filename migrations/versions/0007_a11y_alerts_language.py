"""Alert subscriptions remember the language the resident subscribed in.

Revision ID: 0007_a11y
Revises: 0006_api2
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_a11y"
down_revision = "0006_api2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("alert_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("alert_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("language")
