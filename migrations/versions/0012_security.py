"""Security: two-factor sign-in (TOTP secret, recovery codes), server-side staff sessions,
password resets by one-time link; emailed replies from another sender held as unverified.

Revision ID: 0012_security
Revises: 0015_performance
"""
from alembic import op
import sqlalchemy as sa


revision = "0012_security"
down_revision = "0011_message_language"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_confirmed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(), nullable=True))
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_staff_sessions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_sessions")),
    )
    op.create_index(op.f("ix_staff_sessions_user_id"), "staff_sessions", ["user_id"])
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"])
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_password_resets_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    op.create_index(op.f("ix_password_resets_user_id"), "password_resets", ["user_id"])
    with op.batch_alter_table("inbox_messages") as batch:
        batch.add_column(sa.Column("anonymised_at", sa.DateTime(), nullable=True))
    _pen_pictures_as_plain_text()
    with op.batch_alter_table("inbox_entries") as batch:
        batch.add_column(sa.Column("verified", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch.add_column(sa.Column("sender_warning", sa.String(length=255), nullable=True))


def _pen_pictures_as_plain_text():
    """Pen pictures were stored as HTML ("Fish &amp; chips") but shown as text, so escaped
    twice: store the characters themselves, escaped once where they are shown."""
    from app.domain.richtext import plain_text

    connection = op.get_bind()
    officers = sa.table("officers", sa.column("id", sa.Integer), sa.column("pen_picture", sa.Text))
    for officer_id, text in connection.execute(sa.select(officers.c.id, officers.c.pen_picture)
                                               .where(officers.c.pen_picture.is_not(None))).all():
        plain = plain_text(text)
        if plain != text:
            connection.execute(officers.update().where(officers.c.id == officer_id).values(pen_picture=plain))


def downgrade():
    with op.batch_alter_table("inbox_messages") as batch:
        batch.drop_column("anonymised_at")
    with op.batch_alter_table("inbox_entries") as batch:
        batch.drop_column("sender_warning")
        batch.drop_column("verified")
    op.drop_table("password_resets")
    op.drop_table("recovery_codes")
    op.drop_table("staff_sessions")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("password_changed_at")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_confirmed_at")
        batch.drop_column("totp_secret")
