"""Staff accounts. Which teams a user may act for follows from their officer's memberships."""
from datetime import datetime

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock_source
from app.extensions import db

OFFICER, SERGEANT, ADMIN = "officer", "sergeant", "admin"
ACCOUNT_ROLES = {OFFICER: "Officer or PCSO", SERGEANT: "Sergeant", ADMIN: "Force administrator"}

_hasher = PasswordHasher()
_dummy_hash = None


def use_hash_profile(name):
    """Argon2 parameters by the name of an `argon2.profiles` profile (config PASSWORD_HASH_PROFILE).
    Existing hashes keep verifying: each carries its own parameters."""
    global _hasher, _dummy_hash
    _hasher = PasswordHasher.from_parameters(getattr(profiles, name))
    _dummy_hash = None


def verify_unknown_password(password):
    """Spend the time a real check takes, for an email with no account, so that the answer's
    timing does not tell which emails have accounts."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("no account has this password")
    try:
        _hasher.verify(_dummy_hash, password)
    except (VerificationError, InvalidHashError):
        pass
    return False


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
    # Two-factor sign-in (TOTP, RFC 6238). The secret is set when enrolment starts and
    # counts only once confirmed with a code (totp_confirmed_at); totp_last_step refuses
    # a code used once from being used again.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
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

    @property
    def has_second_factor(self):
        return self.totp_secret is not None and self.totp_confirmed_at is not None

    def team_ids(self, today=None):
        """Teams this user may act for; None means every team (a national administrator)."""
        from app.models.geography import Neighbourhood
        from app.models.teams import Membership, Team

        if self.is_admin:
            if self.force_id is None:
                return None
            return set(db.session.scalars(
                select(Team.id).join(Neighbourhood).where(Neighbourhood.force_id == self.force_id)))
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
        """The one rule every staff route with a team in it goes through (app/access.py):
        members act for their teams, a force's administrators for that force's teams only."""
        from app.models.geography import Neighbourhood
        from app.models.teams import Team

        if self.is_admin:
            if self.force_id is None:
                return True
            return db.session.scalar(
                select(Team.id).join(Neighbourhood).where(Team.id == team_id,
                                                          Neighbourhood.force_id == self.force_id)) is not None
        return team_id in self.team_ids()


class LoginAttempt(db.Model):
    """Failed sign-ins, for throttling per account and per address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(255), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class StaffSession(db.Model):
    """A signed-in browser. The cookie carries the id; signing out deletes the row, so a
    copy of the cookie kept from before is worth nothing afterwards."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class RecoveryCode(db.Model):
    """One-time codes for signing in without the authenticator app; only their hashes are kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class PasswordReset(db.Model):
    """An emailed one-time link to set a new password: the token's sha256 only, single use, expiring."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
