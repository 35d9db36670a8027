"""Residents: the names people use for neighbourhoods (English and Welsh); a private link
per message (only a hash of its token is kept), feedback tied to the message it is about,
and a resident's addition to a thread waiting for a reply.

Revision ID: 0014_residents
Revises: 0009_data_versions
Create Date: 2026-11-27 15:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_residents'
down_revision = '0013_pledge_figures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('neighbourhoods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('known_name', sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column('known_name_cy', sa.String(length=160), nullable=True))

    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('access_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('link_sent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('about_message_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('awaiting_reply_since', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_inbox_messages_access_token_hash'), ['access_token_hash'])
        batch_op.create_foreign_key(batch_op.f('fk_inbox_messages_about_message_id_inbox_messages'),
                                    'inbox_messages', ['about_message_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_inbox_messages_about_message_id_inbox_messages'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_inbox_messages_access_token_hash'), type_='unique')
        batch_op.drop_column('awaiting_reply_since')
        batch_op.drop_column('about_message_id')
        batch_op.drop_column('link_sent_at')
        batch_op.drop_column('access_token_hash')

    with op.batch_alter_table('neighbourhoods', schema=None) as batch_op:
        batch_op.drop_column('known_name_cy')
        batch_op.drop_column('known_name')
