"""Have your say: consultations, their issues, residents' responses and one-time codes; a
priority records the consultation it came from.

Revision ID: 0017_consultations
Revises: 0016_meeting_series
Create Date: 2026-11-27 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_consultations'
down_revision = '0016_meeting_series'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('closed_early_on', sa.Date(), nullable=True),
    sa.Column('at_meeting', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_consultations_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_consultations_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_team_id'), ['team_id'], unique=False)

    op.create_table('consultation_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_issues_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_issues'))
    )
    with op.batch_alter_table('consultation_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_issues_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('consultation_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('resident_key', sa.String(length=40), nullable=False),
    sa.Column('confirmed_key', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('postcode', sa.String(length=8), nullable=False),
    sa.Column('ranking', sa.JSON(), nullable=False),
    sa.Column('something_else', sa.Text(), nullable=True),
    sa.Column('engagement', sa.JSON(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_responses_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_responses')),
    sa.UniqueConstraint('consultation_id', 'confirmed_key', name='uq_consultation_responses_consultation_confirmed_key')
    )
    with op.batch_alter_table('consultation_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_responses_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_responses_resident_key'), ['resident_key'], unique=False)

    op.create_table('consultation_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('batch', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_codes_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_consultation_codes_issued_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_consultation_codes_code'))
    )
    with op.batch_alter_table('consultation_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_codes_consultation_id'), ['consultation_id'], unique=False)

    with op.batch_alter_table('priorities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consultation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_priorities_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_priorities_consultation_id_consultations'), 'consultations',
                                    ['consultation_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('priorities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_priorities_consultation_id_consultations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_priorities_consultation_id'))
        batch_op.drop_column('consultation_id')
    op.drop_table('consultation_codes')
    op.drop_table('consultation_responses')
    op.drop_table('consultation_issues')
    op.drop_table('consultations')
