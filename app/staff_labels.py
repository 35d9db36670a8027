"""Formatting only the staff pages use (they are in English only, so these strings need no
Polish or Urdu). Registered as template filters by app.web."""
from datetime import timedelta

from flask_babel import gettext as _


def duration(value):
    """A timedelta or seconds as "2 days 3 h", "5 h 10 min" or "12 min"."""
    if value is None:
        return "–"
    seconds = int(abs(value.total_seconds() if isinstance(value, timedelta) else value))
    days, rest = divmod(seconds, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return _("%(days)d d %(hours)d h", days=days, hours=hours)
    if hours:
        return _("%(hours)d h %(minutes)d min", hours=hours, minutes=minutes)
    return _("%(minutes)d min", minutes=minutes)
