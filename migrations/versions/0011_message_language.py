"""Messages remember the language the resident wrote in: the receipt and the team's emailed
replies use it, and staff see "Reply in Welsh" on the thread (Welsh Language Standards).

Revision ID: 0011_message_language
Revises: 0009_data_versions
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_message_language"
down_revision = "0009_data_versions"
branch_labels = None
depends_on = None


def upgrade():
    # Messages received before this change were all answered in English: "en" is their truth.
    with op.batch_alter_table("inbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=False, server_default="en"))


def downgrade():
    with op.batch_alter_table("inbox_messages", schema=None) as batch_op:
        batch_op.drop_column("language")
