"""Each message keeps what the 24-hour clock fixed when it arrived: when its reply is due
(received + REPLY_PROMISE_HOURS) and whether it came in at a London weekend. The reply
figures become counts and comparisons in SQL, read from the team index alone (a year of
1,000,000 messages over every team: no date arithmetic or weekend test per row).

Revision ID: 0020_message_reply_due
Revises: 0019_confidence
Create Date: 2026-11-27 18:20:00

"""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa
from flask import current_app


# revision identifiers, used by Alembic.
revision = '0020_message_reply_due'
down_revision = '0019_confidence'
branch_labels = None
depends_on = None

REPORT_BEFORE = ['kind', 'received_at', 'team_id', 'first_human_reply_at', 'closed_at', 'contact_by']
TEAM_BEFORE = ['team_id', 'kind', 'received_at', 'first_human_reply_at']
REPORT_AFTER = ['kind', 'received_at', 'team_id', 'first_human_reply_at', 'reply_due_at', 'received_on_weekend',
                'closed_at', 'contact_by']
TEAM_AFTER = ['team_id', 'kind', 'received_at', 'first_human_reply_at', 'reply_due_at', 'received_on_weekend',
              'closed_at', 'contact_by']


def _promise_hours():
    try:
        return int(current_app.config.get("REPLY_PROMISE_HOURS", 24))
    except RuntimeError:  # alembic run without the app
        return 24


def _london_weekend_spans(first, last):
    """[from, to) naive-UTC spans of the London Saturdays and Sundays from `first` to `last`
    (naive UTC), written out here so the migration does not change if the app's code does."""
    london = ZoneInfo("Europe/London")

    def midnight(day):
        return datetime.combine(day, time(0), tzinfo=london).astimezone(timezone.utc).replace(tzinfo=None)

    day = first.replace(tzinfo=timezone.utc).astimezone(london).date() - timedelta(days=1)
    end = last.replace(tzinfo=timezone.utc).astimezone(london).date() + timedelta(days=1)
    day -= timedelta(days=(day.weekday() - 5) % 7)  # the Saturday on or before
    spans = []
    while day <= end:
        spans.append((midnight(day), midnight(day + timedelta(days=2))))
        day += timedelta(days=7)
    return spans


def _in_spans(column, spans):
    """A balanced CASE over the sorted span edges: about log2(edges) comparisons a row."""
    edges = [edge for span in spans for edge in span]

    def between(low, high):
        if low == high:
            return sa.literal(low % 2 == 1)
        middle = (low + high + 1) // 2
        return sa.case((column >= edges[middle - 1], between(middle, high)), else_=between(low, middle - 1))

    return between(0, len(edges))


def upgrade():
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_due_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('received_on_weekend', sa.Boolean(), nullable=True))

    bind = op.get_bind()
    messages = sa.table('inbox_messages', sa.column('received_at', sa.DateTime()),
                        sa.column('reply_due_at', sa.DateTime()), sa.column('received_on_weekend', sa.Boolean()))
    hours = _promise_hours()
    if bind.dialect.name == 'postgresql':
        op.execute(f"UPDATE inbox_messages SET reply_due_at = received_at + interval '{hours} hours', "
                   "received_on_weekend = extract(isodow FROM (received_at AT TIME ZONE 'UTC') "
                   "AT TIME ZONE 'Europe/London') >= 6")
    else:
        # SQLite's date functions round to milliseconds (59.9999995 s becomes the next minute):
        # shift the whole seconds alone and keep the stored fraction (".ffffff"), so the due
        # time is exact to the microsecond.
        op.execute(f"UPDATE inbox_messages SET reply_due_at = strftime('%Y-%m-%d %H:%M:%S', "
                   f"substr(received_at, 1, 19), '+{hours} hours') || substr(received_at, 20)")
        first, last = bind.execute(sa.select(sa.func.min(messages.c.received_at),
                                             sa.func.max(messages.c.received_at))).one()
        if first is not None:
            bind.execute(messages.update().values(
                received_on_weekend=_in_spans(messages.c.received_at, _london_weekend_spans(first, last))))

    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.alter_column('reply_due_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.alter_column('received_on_weekend', existing_type=sa.Boolean(), nullable=False)
        batch_op.drop_index('ix_inbox_messages_report')
        batch_op.drop_index('ix_inbox_messages_team')
        batch_op.create_index('ix_inbox_messages_report', REPORT_AFTER, unique=False)
        batch_op.create_index('ix_inbox_messages_team', TEAM_AFTER, unique=False)


def downgrade():
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_messages_report')
        batch_op.drop_index('ix_inbox_messages_team')
        batch_op.create_index('ix_inbox_messages_report', REPORT_BEFORE, unique=False)
        batch_op.create_index('ix_inbox_messages_team', TEAM_BEFORE, unique=False)
        batch_op.drop_column('received_on_weekend')
        batch_op.drop_column('reply_due_at')
