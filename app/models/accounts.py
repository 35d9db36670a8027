"""Staff accounts. Which teams a user may act for follows from their officer's memberships."""
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock_source
from app.extensions import db

OFFICER, SERGEANT, ADMIN = "officer", "sergeant", "admin"
ACCOUNT_ROLES = {OFFICER: "Officer or PCSO", SERGEANT: "Sergeant", ADMIN: "Force administrator"}

_hasher = PasswordHasher()


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=OFFICER)
    force_id: Mapped[str | None] = mapped_column(ForeignKey("forces.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped by "sign out everywhere": sessions carrying an older value are refused.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock_source.now)

    officer = relationship("Officer")

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    def set_password(self, password):
        self.password_hash = _hasher.hash(password)

    def check_password(self, password):
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @property
    def is_admin(self):
        return self.role == ADMIN

    @property
    def is_sergeant(self):
        return self.role == SERGEANT

    def team_ids(self, today=None):
        """Teams this user may act for: all of them for an administrator."""
        from app.models.teams import Membership

        if self.is_admin:
            return None  # no restriction
        if self.officer_id is None:
            return set()
        today = today or clock_source.today_in_london()
        rows = db.session.scalars(
            select(Membership.team_id).where(
                Membership.officer_id == self.officer_id,
                Membership.started_on <= today,
                (Membership.ended_on.is_(None)) | (Membership.ended_on >= today),
            )
        )
        return set(rows)

    def can_act_for(self, team_id):
        allowed = self.team_ids()
        return allowed is None or team_id in allowed


class LoginAttempt(db.Model):
    """Failed sign-ins, for throttling per account and per address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(255), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime, index=True)
