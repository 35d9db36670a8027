"""Who changed what, and when: every staff change to published content is recorded."""
from datetime import date, datetime, time

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock_source
from app.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC, naive
    action: Mapped[str] = mapped_column(String(40))  # created, updated, closed, cancelled, ...
    object_type: Mapped[str] = mapped_column(String(40))  # table name
    object_id: Mapped[int | None] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    # {"field": [old, new], ...}
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    user = relationship("User")


def _plain(value):
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def apply_changes(obj, values: dict) -> dict:
    """Set the attributes of `obj` from `values`; return {field: [old, new]} of those that changed."""
    changes = {}
    for field, new in values.items():
        old = getattr(obj, field, None)
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
            setattr(obj, field, new)
    return changes


def record(action, obj, *, by, team_id=None, changes=None, now=None):
    """Add an audit entry for `obj` (a model instance), done by the user `by` (None: the
    system), to the session; the caller commits."""
    if obj.id is None:
        db.session.flush()
    entry = AuditEntry(
        user_id=by.id if by is not None else None,
        at=now or clock_source.now(),
        action=action,
        object_type=obj.__tablename__,
        object_id=obj.id,
        team_id=team_id if team_id is not None else getattr(obj, "team_id", None),
        changes={k: ([_plain(v) for v in pair] if isinstance(pair, (list, tuple)) else _plain(pair))
                 for k, pair in (changes or {}).items()},
    )
    db.session.add(entry)
    return entry
