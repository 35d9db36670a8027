"""Meeting series: the recurrence rule a series of meetings was set up from (RFC 5545), and
on each meeting of a series the start its rule gave it, so a calendar can export the series
as one RRULE event with its cancelled and moved dates.

Revision ID: 0016_meeting_series
Revises: 0015_performance
Create Date: 2026-11-27 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_meeting_series'
down_revision = '0015_performance'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting_series',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('first_start', sa.DateTime(), nullable=False),
    sa.Column('rule', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_meeting_series_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_meeting_series'))
    )
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_series_team_id'), ['team_id'], unique=False)
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series_start', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('series_start')
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_series_team_id'))
    op.drop_table('meeting_series')
