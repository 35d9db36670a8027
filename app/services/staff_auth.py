"""Staff sign-in: password, then a second factor (TOTP or a recovery code), server-side
sessions, throttling, and password resets by emailed one-time link.

Chosen libraries: pyotp (RFC 6238 TOTP, the codes every authenticator app shows) and
segno for the QR code (pure Python, no dependencies, writes SVG itself, so the code is
drawn inline in the page: no image host, no Pillow round trip)."""
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone

import pyotp
import segno
from flask import current_app
from flask import session as cookie_session
from sqlalchemy import delete, func, select

from app.domain.throttle import ThrottlePolicy
from app.extensions import db
from app.models import LoginAttempt, PasswordReset, RecoveryCode, StaffSession, User
from app.models.accounts import verify_unknown_password

THROTTLE = ThrottlePolicy()
SESSION_KEY = "staff_session"
PENDING_KEY = "pending_sign_in"
TOTP_INTERVAL = 30
RECOVERY_CODE_COUNT = 10
ISSUER = "Neighbourhood Policing"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- passwords and throttling ---------------------------------------------------------

def check_credentials(email: str, password: str) -> User | None:
    """The active account with this email and password, or None; the same work either way."""
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        verify_unknown_password(password)
        return None
    if user.check_password(password) and user.is_active:
        return user
    return None


def _failures(condition, since):
    return db.session.execute(
        select(func.count(), func.max(LoginAttempt.attempted_at)).where(condition, LoginAttempt.attempted_at >= since)
    ).one()


def wait_before_attempt(email: str, address: str, now: datetime) -> timedelta:
    since = THROTTLE.since(now)
    return THROTTLE.wait(
        now,
        pair=tuple(_failures((LoginAttempt.email == email) & (LoginAttempt.address == address), since)),
        account=tuple(_failures(LoginAttempt.email == email, since)),
        address=tuple(_failures(LoginAttempt.address == address, since)),
    )


def record_failure(email: str, address: str, now: datetime):
    db.session.add(LoginAttempt(email=email, address=address[:64], attempted_at=now))
    db.session.commit()


def clear_failures(email: str, address: str):
    """A correct sign-in clears only its own (account, address) pair: an attacker's
    failures from elsewhere keep counting against the attacker."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.address == address))


# --- the pending sign-in (password given, second factor not yet) ----------------------

def start_pending(user: User, now: datetime, next_path: str | None):
    cookie_session.clear()
    cookie_session[PENDING_KEY] = {"user": user.id, "version": user.session_version,
                                   "at": now.isoformat(), "next": next_path}


def pending_user(now: datetime) -> User | None:
    pending = cookie_session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    try:
        started = datetime.fromisoformat(pending["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if now - started > timedelta(minutes=current_app.config["SIGN_IN_PENDING_MINUTES"]):
        return None
    user = db.session.get(User, pending.get("user")) if isinstance(pending.get("user"), int) else None
    if user is None or not user.is_active or user.session_version != pending.get("version"):
        return None
    return user


def pending_next() -> str | None:
    pending = cookie_session.get(PENDING_KEY)
    return pending.get("next") if isinstance(pending, dict) else None


# --- server-side sessions ---------------------------------------------------------------

def open_session(user: User, now: datetime):
    """After both factors: a fresh cookie session bound to a row that signing out deletes."""
    from flask_login import login_user

    cookie_session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(id=token_hash(token), user_id=user.id, created_at=now))
    db.session.commit()
    cookie_session[SESSION_KEY] = token
    login_user(user)


def session_is_live(user: User) -> bool:
    token = cookie_session.get(SESSION_KEY)
    if not isinstance(token, str):
        return False
    row = db.session.get(StaffSession, token_hash(token))
    return row is not None and row.user_id == user.id


def close_session():
    token = cookie_session.get(SESSION_KEY)
    if isinstance(token, str):
        db.session.execute(delete(StaffSession).where(StaffSession.id == token_hash(token)))
        db.session.commit()
    cookie_session.clear()


def end_all_sessions(user: User, keep_current=False):
    """Every browser signed in as `user` is signed out (the current one too unless kept)."""
    query = delete(StaffSession).where(StaffSession.user_id == user.id)
    token = cookie_session.get(SESSION_KEY)
    if keep_current and isinstance(token, str):
        query = query.where(StaffSession.id != token_hash(token))
    else:
        user.session_version += 1
    db.session.execute(query)


# --- TOTP and recovery codes --------------------------------------------------------------

def _step(now: datetime) -> int:
    return int(now.replace(tzinfo=timezone.utc).timestamp()) // TOTP_INTERVAL


def begin_enrolment(user: User) -> str:
    if user.totp_secret is None or user.totp_confirmed_at is not None:
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed_at = None
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(user: User) -> str:
    """The provisioning URI as an inline SVG, labelled for screen readers."""
    return segno.make(provisioning_uri(user), error="m").svg_inline(
        scale=4, dark="#0b0c0c", light="#ffffff", title="QR code for your authenticator app")


def verify_totp(user: User, code: str, now: datetime) -> bool:
    """A code from the authenticator, one step either side for clock drift, never the same
    step twice (a code seen over a shoulder or replayed is refused)."""
    code = "".join(code.split())
    if user.totp_secret is None or len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = _step(now)
    for step in (current - 1, current, current + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.at(step * TOTP_INTERVAL), code):
            user.totp_last_step = step
            return True
    return False


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes, shown once; any earlier ones stop working."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)  # 40 bits, shown as xxxxx-xxxxx
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=token_hash(_normalise_recovery(raw))))
    return codes


def use_recovery_code(user: User, code: str, now: datetime) -> bool:
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == token_hash(_normalise_recovery(code)),
        RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = now
    return True


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def reset_second_factor(user: User):
    """An administrator's reset: the user enrols again at their next sign-in."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_all_sessions(user)


# --- password reset by emailed link -------------------------------------------------------

def create_reset(user: User, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user_id=user.id, token_hash=token_hash(token), created_at=now,
                                 expires_at=now + timedelta(minutes=current_app.config["PASSWORD_RESET_MINUTES"])))
    return token


def reset_for_token(token: str, now: datetime) -> PasswordReset | None:
    row = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def complete_reset(reset: PasswordReset, user: User, password: str, now: datetime):
    user.set_password(password)
    user.password_changed_at = now
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.id != reset.id))
    reset.used_at = now
    end_all_sessions(user)
