"""The shape every staff publishing page shares: show the form (status 400 when it has
errors); on a valid post apply the values, audit what changed, commit, say so and go back
to the team's home."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.extensions import db
from app.models import apply_changes, record


def form_page(template, form, **context):
    return render_template(template, form=form, **context), 400 if form.errors else 200


def back_to_team(team_id):
    return redirect(url_for("profiles.team_home", team_id=team_id))


def save(obj, values, action, message, *, team_id, new=False, audit_team_id=None, noted=None):
    """Apply `values` to `obj` (added to the session when `new`), audit the change as
    `action` by the signed-in user (with `noted` beside the changed fields), commit, flash
    `message` and redirect to the team's home. An edit that changes nothing is not audited."""
    changes = apply_changes(obj, values)
    if new:
        db.session.add(obj)
    if new or changes:
        record(action, obj, by=current_user, team_id=audit_team_id, changes={**(noted or {}), **changes})
    db.session.commit()
    flash(message, "success")
    return back_to_team(team_id)
