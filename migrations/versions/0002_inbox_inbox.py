"""The team inbox: messages, threads, escalations, feedback themes

Revision ID: 0002_inbox
Revises: 0001_foundation
Create Date: 2026-11-23 14:51:36.027255

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_inbox'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('contact_by', sa.String(length=10), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('first_human_reply_at', sa.DateTime(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('fuller_answer_promised_at', sa.DateTime(), nullable=True),
    sa.Column('fuller_answer_sent_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_inbox_messages_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_inbox_messages_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_messages')),
    sa.UniqueConstraint('reference', name=op.f('uq_inbox_messages_reference'))
    )
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_inbox_messages_report', ['kind', 'received_at', 'team_id', 'first_human_reply_at', 'closed_at', 'contact_by'], unique=False)
        batch_op.create_index('ix_inbox_messages_team', ['team_id', 'kind', 'received_at'], unique=False)

    op.create_table('feedback_themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_feedback_themes_message_id_inbox_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_themes'))
    )
    with op.batch_alter_table('feedback_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_themes_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_themes_theme'), ['theme'], unique=False)

    op.create_table('inbox_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=True),
    sa.Column('fuller_answer', sa.Boolean(), nullable=False),
    sa.Column('email_message_id', sa.String(length=255), nullable=True),
    sa.Column('from_address', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_inbox_entries_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_inbox_entries_message_id_inbox_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_entries')),
    sa.UniqueConstraint('email_message_id', name=op.f('uq_inbox_entries_email_message_id'))
    )
    with op.batch_alter_table('inbox_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_entries_message_id'), ['message_id'], unique=False)

    op.create_table('inbox_escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('level_hours', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_messages.id'], name=op.f('fk_inbox_escalations_message_id_inbox_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_escalations')),
    sa.UniqueConstraint('message_id', 'level_hours', name='uq_inbox_escalations_message_level')
    )


def downgrade():
    op.drop_table('inbox_escalations')
    with op.batch_alter_table('inbox_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbox_entries_message_id'))

    op.drop_table('inbox_entries')
    with op.batch_alter_table('feedback_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_themes_theme'))
        batch_op.drop_index(batch_op.f('ix_feedback_themes_message_id'))

    op.drop_table('feedback_themes')
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_messages_team')
        batch_op.drop_index('ix_inbox_messages_report')

    op.drop_table('inbox_messages')
