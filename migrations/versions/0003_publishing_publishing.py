"""Publishing (issue 4): audit log; meeting venue postcode, agenda and series; how a
priority was decided; "You said – We did" link to a message thread (no foreign key until
the inbox adds its messages table).

Revision ID: 0003_publishing
Revises: 0002_inbox
Create Date: 2026-11-23 14:50:14.135821

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_publishing'
down_revision = '0002_inbox'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_audit_entries_team_id_teams'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_entries_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('postcode', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('agenda', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('series_key', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_meetings_postcode'), ['postcode'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_series_key'), ['series_key'], unique=False)

    with op.batch_alter_table('priorities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('residents_consulted', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decided_at_meeting_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_priorities_decided_at_meeting_id'), ['decided_at_meeting_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_priorities_decided_at_meeting_id_meetings'), 'meetings', ['decided_at_meeting_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('resident_consent', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_updates_message_id'), ['message_id'], unique=False)



def downgrade():
    with op.batch_alter_table('updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_updates_message_id'))
        batch_op.drop_column('resident_consent')
        batch_op.drop_column('message_id')

    with op.batch_alter_table('priorities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_priorities_decided_at_meeting_id_meetings'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_priorities_decided_at_meeting_id'))
        batch_op.drop_column('decided_at_meeting_id')
        batch_op.drop_column('residents_consulted')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_series_key'))
        batch_op.drop_index(batch_op.f('ix_meetings_postcode'))
        batch_op.drop_column('series_key')
        batch_op.drop_column('agenda')
        batch_op.drop_column('postcode')

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_team_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))

    op.drop_table('audit_entries')
