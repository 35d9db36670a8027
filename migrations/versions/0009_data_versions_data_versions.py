"""Data versions: a counter per data set that its loader moves on (boundaries first), so
processes know cheaply when what they built from it is stale.

Revision ID: 0009_data_versions
Revises: 0008_pledge
Create Date: 2026-11-23 16:36:05.324346

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_data_versions'
down_revision = '0008_pledge'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_versions',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions'))
    )


def downgrade():
    op.drop_table('data_versions')
