"""Each message keeps how long its first human reply took, in whole milliseconds (the
precision of SQLite's date arithmetic and of the published figures), set by the inbox
service with the reply. The median and 90th percentile of a year of 1,000,000 messages
then rank stored integers read from the team index, with no date arithmetic for a message
that has been answered (only one still waiting is timed against "now").

Revision ID: 0021_message_reply_wait
Revises: 0020_message_reply_due
Create Date: 2026-11-27 21:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_message_reply_wait'
down_revision = '0020_message_reply_due'
branch_labels = None
depends_on = None

REPORT_BEFORE = ['kind', 'received_at', 'team_id', 'first_human_reply_at', 'reply_due_at', 'received_on_weekend',
                 'closed_at', 'contact_by']
TEAM_BEFORE = ['team_id', 'kind', 'received_at', 'first_human_reply_at', 'reply_due_at', 'received_on_weekend',
               'closed_at', 'contact_by']
REPORT_AFTER = REPORT_BEFORE + ['first_reply_wait_ms']
TEAM_AFTER = TEAM_BEFORE + ['first_reply_wait_ms']


def upgrade():
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_reply_wait_ms', sa.BigInteger(), nullable=True))

    if op.get_bind().dialect.name == 'postgresql':
        # Timestamps are exact to the microsecond: round the interval to the nearest millisecond.
        op.execute("UPDATE inbox_messages SET first_reply_wait_ms = "
                   "round(extract(epoch FROM first_human_reply_at - received_at) * 1000) "
                   "WHERE first_human_reply_at IS NOT NULL")
    else:
        # SQLite's julianday() keeps milliseconds and rounds the stored microseconds, so whole
        # seconds (strftime '%s') and the stored fraction (".ffffff") are taken apart to round
        # the difference exactly as the application does.
        op.execute("UPDATE inbox_messages SET first_reply_wait_ms = "
                   "((strftime('%s', substr(first_human_reply_at, 1, 19)) - strftime('%s', substr(received_at, 1, 19)))"
                   " * 1000000 + (CAST(substr(first_human_reply_at || '.000000', 21, 6) AS INTEGER)"
                   " - CAST(substr(received_at || '.000000', 21, 6) AS INTEGER)) + 500) / 1000 "
                   "WHERE first_human_reply_at IS NOT NULL")

    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_messages_report')
        batch_op.drop_index('ix_inbox_messages_team')
        batch_op.create_index('ix_inbox_messages_report', REPORT_AFTER, unique=False)
        batch_op.create_index('ix_inbox_messages_team', TEAM_AFTER, unique=False)
    # Dropping an index drops its statistics: without them SQLite's planner took the report
    # index for a force's year and sorted it (a 24 ms count became 850 ms).
    op.execute('ANALYZE inbox_messages')


def downgrade():
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_messages_report')
        batch_op.drop_index('ix_inbox_messages_team')
        batch_op.create_index('ix_inbox_messages_report', REPORT_BEFORE, unique=False)
        batch_op.create_index('ix_inbox_messages_team', TEAM_BEFORE, unique=False)
        batch_op.drop_column('first_reply_wait_ms')
