"""The confidence question: residents' answers, one per message or consultation response.

Revision ID: 0019_confidence
Revises: 0018_local_reports
Create Date: 2026-11-27 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_confidence'
down_revision = '0018_local_reports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('confidence_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('agreement', sa.String(length=20), nullable=True),
    sa.Column('answered', sa.String(length=10), nullable=True),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('first_answered_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_confidence_responses_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_confidence_responses')),
    sa.UniqueConstraint('source', 'source_id', name='uq_confidence_responses_source_source_id')
    )
    with op.batch_alter_table('confidence_responses', schema=None) as batch_op:
        batch_op.create_index('ix_confidence_responses_team_quarter', ['team_id', 'quarter', 'agreement', 'answered'], unique=False)


def downgrade():
    with op.batch_alter_table('confidence_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_confidence_responses_team_quarter')
    op.drop_table('confidence_responses')
