"""Pledge figures people can trust: when meetings, posts and priority updates were written;
teams' plans to improve; officers' abstractions (visible time); the dissatisfaction route.

Existing rows are back-filled from the audit log, which records every staff change with its
time: a meeting's publication is its "created" entry, its record its first "minutes
recorded" entry, a post's or priority update's writing its "created" entry. Rows the audit
log does not know (loaded by `demo setup` or before the log existed) are taken as written
on time: a meeting as published MEETING_NOTICE_DAYS (7) before it started and recorded the
day after (or when it was published, if later), a post or update at noon on its own date. That keeps the months already
published as they were, and any row a person wrote through the portal is judged by when
it was really written.

Revision ID: 0013_pledge_figures
Revises: 0015_performance
"""
from alembic import op
import sqlalchemy as sa


revision = "0013_pledge_figures"
down_revision = "0012_security"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"

    def plus_days(column, days):
        return f"({column} + INTERVAL '{days} days')" if postgres else f"datetime({column}, '{days:+d} days')"

    def noon_of(column):
        return f"({column} + INTERVAL '12 hours')" if postgres else f"datetime({column}, '+12 hours')"

    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("recorded_at", sa.DateTime(), nullable=True))
    op.execute(f"UPDATE meetings SET published_at = COALESCE("
               f"(SELECT MIN(a.at) FROM audit_entries a WHERE a.object_type = 'meetings' AND a.action = 'created' "
               f"AND a.object_id = meetings.id), {plus_days('starts_at', -7)})")
    op.execute(f"UPDATE meetings SET recorded_at = COALESCE("
               f"(SELECT MIN(a.at) FROM audit_entries a WHERE a.object_type = 'meetings' "
               f"AND a.action = 'minutes recorded' AND a.object_id = meetings.id), "
               f"{'GREATEST' if postgres else 'MAX'}({plus_days('starts_at', 1)}, published_at)) "
               f"WHERE attendance IS NOT NULL OR minutes IS NOT NULL")
    with op.batch_alter_table("meetings") as batch:
        batch.alter_column("published_at", existing_type=sa.DateTime(), nullable=False)

    for table in ("updates", "priority_actions"):
        dated = "published_on" if table == "updates" else "taken_on"
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
        op.execute(f"UPDATE {table} SET created_at = COALESCE("
                   f"(SELECT MIN(a.at) FROM audit_entries a WHERE a.object_type = '{table}' AND a.action = 'created' "
                   f"AND a.object_id = {table}.id), {noon_of(dated)})")
        with op.batch_alter_table(table) as batch:
            batch.alter_column("created_at", existing_type=sa.DateTime(), nullable=False)

    with op.batch_alter_table("pledge_explanations") as batch:
        batch.add_column(sa.Column("improvement", sa.Text(), nullable=True))

    with op.batch_alter_table("inbox_messages") as batch:
        batch.add_column(sa.Column("contact_offered_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("contact_offer", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("plan_agreed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("plan", sa.Text(), nullable=True))
        batch.add_column(sa.Column("plan_due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("outcome_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("outcome", sa.Text(), nullable=True))

    op.create_table(
        "abstractions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("shifts", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_abstractions_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name=op.f("fk_abstractions_officer_id_officers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_abstractions_team_id_teams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_abstractions")),
    )
    op.create_index(op.f("ix_abstractions_team_id"), "abstractions", ["team_id"])
    op.create_index(op.f("ix_abstractions_officer_id"), "abstractions", ["officer_id"])
    op.create_table(
        "visible_time_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_visible_time_returns_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_visible_time_returns_team_id_teams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visible_time_returns")),
        sa.UniqueConstraint("team_id", "month", name="uq_visible_time_returns_team_month"),
    )


def downgrade():
    op.drop_table("visible_time_returns")
    op.drop_index(op.f("ix_abstractions_officer_id"), table_name="abstractions")
    op.drop_index(op.f("ix_abstractions_team_id"), table_name="abstractions")
    op.drop_table("abstractions")
    with op.batch_alter_table("inbox_messages") as batch:
        for column in ("outcome", "outcome_at", "plan_due_on", "plan", "plan_agreed_at", "contact_offer",
                       "contact_offered_at"):
            batch.drop_column(column)
    with op.batch_alter_table("pledge_explanations") as batch:
        batch.drop_column("improvement")
    for table in ("priority_actions", "updates"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("created_at")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("recorded_at")
        batch.drop_column("published_at")
