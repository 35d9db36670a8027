"""Who may do what: every staff route checks role and team through these."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles):
    """Signed in, and holding one of `roles` (administrators pass every check)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not (current_user.is_admin or current_user.role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def team_access_required(view):
    """The view takes `team_id`; the user must serve (or supervise) that team."""

    @wraps(view)
    @login_required
    def wrapped(*args, team_id, **kwargs):
        if not current_user.can_act_for(team_id):
            abort(403)
        return view(*args, team_id=team_id, **kwargs)

    return wrapped
