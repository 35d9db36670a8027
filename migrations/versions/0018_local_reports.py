"""Local problems reported on a map: a point, a type and maybe a photo beside a message in
the team inbox.

Revision ID: 0018_local_reports
Revises: 0016_meeting_series
Create Date: 2026-11-27 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_local_reports'
down_revision = '0016_meeting_series'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('local_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('problem_type', sa.String(length=20), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('place_text', sa.String(length=200), nullable=True),
    sa.Column('place_found', sa.String(length=300), nullable=True),
    sa.Column('photo_path', sa.String(length=64), nullable=True),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_local_reports_message_id_inbox_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_local_reports_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_reports')),
    sa.UniqueConstraint('message_id', name=op.f('uq_local_reports_message_id'))
    )
    with op.batch_alter_table('local_reports', schema=None) as batch_op:
        batch_op.create_index('ix_local_reports_reported_at', ['reported_at'], unique=False)
        batch_op.create_index('ix_local_reports_team', ['team_id', 'reported_at'], unique=False)


def downgrade():
    with op.batch_alter_table('local_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_local_reports_team')
        batch_op.drop_index('ix_local_reports_reported_at')
    op.drop_table('local_reports')
