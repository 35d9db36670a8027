"""Alerts by postcode: subscriptions (double opt-in), officers' messages, deliveries.

Revision ID: 0005_alerts
Revises: 0004_crime
Create Date: 2026-11-23 14:54:30.377920

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_alerts'
down_revision = '0004_crime'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('alert_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('postcode', sa.String(length=8), nullable=False),
    sa.Column('sector', sa.String(length=8), nullable=False),
    sa.Column('neighbourhood_id', sa.String(length=32), nullable=False),
    sa.Column('wants_priorities', sa.Boolean(), nullable=False),
    sa.Column('wants_meetings', sa.Boolean(), nullable=False),
    sa.Column('wants_updates', sa.Boolean(), nullable=False),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('last_emailed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'], name=op.f('fk_alert_subscriptions_neighbourhood_id_neighbourhoods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_subscriptions'))
    )
    with op.batch_alter_table('alert_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_subscriptions_confirmed_at'), ['confirmed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_subscriptions_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_subscriptions_neighbourhood_id'), ['neighbourhood_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_subscriptions_sector'), ['sector'], unique=False)

    op.create_table('alert_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('signature', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=150), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_alert_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_alert_messages_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_messages'))
    )
    with op.batch_alter_table('alert_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_messages_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_messages_team_id'), ['team_id'], unique=False)

    op.create_table('alert_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('email_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['email_id'], ['outbox_emails.id'], name=op.f('fk_alert_deliveries_email_id_outbox_emails'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['alert_messages.id'], name=op.f('fk_alert_deliveries_message_id_alert_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['alert_subscriptions.id'], name=op.f('fk_alert_deliveries_subscription_id_alert_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_deliveries')),
    sa.UniqueConstraint('subscription_id', 'key', name='uq_alert_deliveries_subscription_key')
    )
    with op.batch_alter_table('alert_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_deliveries_message_id'), ['message_id'], unique=False)



def downgrade():
    with op.batch_alter_table('alert_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_deliveries_message_id'))

    op.drop_table('alert_deliveries')
    with op.batch_alter_table('alert_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_messages_team_id'))
        batch_op.drop_index(batch_op.f('ix_alert_messages_created_at'))

    op.drop_table('alert_messages')
    with op.batch_alter_table('alert_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_subscriptions_sector'))
        batch_op.drop_index(batch_op.f('ix_alert_subscriptions_neighbourhood_id'))
        batch_op.drop_index(batch_op.f('ix_alert_subscriptions_email'))
        batch_op.drop_index(batch_op.f('ix_alert_subscriptions_confirmed_at'))

    op.drop_table('alert_subscriptions')
