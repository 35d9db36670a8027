"""Pledge explanations: a team's word on a promise missed in a month.

Revision ID: 0008_pledge
Revises: 0007_a11y
Create Date: 2026-11-23 15:18:29.513347

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_pledge'
down_revision = '0007_a11y'
branch_labels = None
depends_on = None


def upgrade():
    # The unique key (team_id first) also serves the team's look-ups: no separate index.
    op.create_table('pledge_explanations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('measure', sa.String(length=20), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_pledge_explanations_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_pledge_explanations_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_explanations')),
    sa.UniqueConstraint('team_id', 'measure', 'month', name='uq_pledge_explanations_team_measure_month')
    )


def downgrade():
    op.drop_table('pledge_explanations')
