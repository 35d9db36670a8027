"""Alerts by postcode: subscribe (double opt-in), confirm, one-click unsubscribe, see,
export or delete your data; and officers' messages to their neighbourhood's subscribers."""
from datetime import timedelta

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _, ngettext
from flask_login import current_user
from sqlalchemy import delete, func, select

from app import clock_source
from app.alerts import emails
from app.alerts.forms import ButtonForm, OfficerMessageForm, SubscribeForm, YourDataForm
from app.alerts.sending import recipients
from app.alerts.tokens import CONFIRM, MANAGE, UNSUBSCRIBE, read_token
from app.domain.postcodes import sector
from app.extensions import csrf, db, limiter
from app.lookups import PostcodeStatus, find_postcode
from app.mail import queue_email
from app.models import AlertMessage, AlertSubscription, OutboxEmail, Postcode, Team
from app.access import team_access_required

bp = Blueprint("alerts", __name__)

RESEND_AFTER = timedelta(minutes=10)


# -- residents ---------------------------------------------------------------------------


@bp.route("/alerts/subscribe", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def subscribe():
    form = SubscribeForm()
    if request.method == "GET" and request.args.get("postcode"):
        form.postcode.data = request.args["postcode"][:16]
    if form.validate_on_submit():
        lookup = find_postcode(form.postcode.data)
        if lookup.status is not PostcodeStatus.FOUND:
            form.postcode.errors.append(_("We cannot find a neighbourhood team for that postcode. Check it and "
                                          "try again."))
        else:
            _start_subscription(form, lookup.record)
            return redirect(url_for("alerts.check_email"))
    return render_template("alerts/subscribe.html", form=form), 400 if form.errors else 200


def _start_subscription(form, postcode):
    email = form.email.data.strip().lower()
    now = clock_source.now()
    # The same request again soon after: don't send a second email.
    recent = db.session.scalar(select(AlertSubscription).where(
        AlertSubscription.email == email, AlertSubscription.postcode == postcode.postcode,
        AlertSubscription.confirmed_at.is_(None), AlertSubscription.created_at >= now - RESEND_AFTER))
    if recent:
        return
    topics = set(form.topics.data or [])
    subscription = AlertSubscription(
        email=email, postcode=postcode.postcode, sector=sector(postcode.postcode),
        neighbourhood_id=postcode.neighbourhood_id, frequency=form.frequency.data, created_at=now,
        wants_priorities="priorities" in topics, wants_meetings="meetings" in topics,
        wants_updates="updates" in topics, wants_crime_summary="crime" in topics,
        language=str(get_locale() or "en"),
    )
    db.session.add(subscription)
    db.session.flush()
    subject, body = emails.confirmation(subscription)
    queue_email(db.session, email, subject, body, kind="alert_confirm", subject_id=subscription.id, now=now)
    db.session.commit()


@bp.get("/alerts/check-your-email")
def check_email():
    return render_template("alerts/check_email.html")


def _subscription_for(purpose, token):
    subscription_id = read_token(purpose, token)
    subscription = db.session.get(AlertSubscription, subscription_id) if subscription_id else None
    if subscription is None:
        abort(404)
    return subscription


@bp.route("/alerts/confirm/<token>", methods=["GET", "POST"])
def confirm(token):
    # A button rather than a plain link, so that mail scanners that follow links confirm nothing.
    subscription = _subscription_for(CONFIRM, token)
    form = ButtonForm()
    if subscription.confirmed or form.validate_on_submit():
        if not subscription.confirmed:
            # A new subscription for the same address and neighbourhood replaces the old one.
            db.session.execute(delete(AlertSubscription).where(
                AlertSubscription.email == subscription.email, AlertSubscription.id != subscription.id,
                AlertSubscription.neighbourhood_id == subscription.neighbourhood_id,
                AlertSubscription.confirmed_at.is_not(None)))
            subscription.confirmed_at = clock_source.now()
            db.session.commit()
        return render_template("alerts/confirmed.html", subscription=subscription,
                               team=_team_of(subscription))
    return render_template("alerts/confirm.html", form=form, subscription=subscription)


def _team_of(subscription):
    return db.session.scalar(select(Team).where(Team.neighbourhood_id == subscription.neighbourhood_id))


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients POST here with no form of ours; the signed token is the check
def unsubscribe(token):
    subscription_id = read_token(UNSUBSCRIBE, token)
    if subscription_id is None:
        abort(404)
    if request.method == "POST":
        db.session.execute(delete(AlertSubscription).where(AlertSubscription.id == subscription_id))
        db.session.commit()
        return render_template("alerts/unsubscribed.html")
    if db.session.get(AlertSubscription, subscription_id) is None:
        return render_template("alerts/unsubscribed.html")
    return render_template("alerts/unsubscribe.html")


@bp.get("/alerts/manage/<token>")
def manage(token):
    subscription = _subscription_for(MANAGE, token)
    return render_template("alerts/manage.html", subscription=subscription, team=_team_of(subscription),
                           form=ButtonForm(), token=token)


@bp.get("/alerts/manage/<token>/your-data.json")
def export(token):
    s = _subscription_for(MANAGE, token)
    response = jsonify({
        "email": s.email, "postcode": s.postcode, "neighbourhood": s.neighbourhood_id,
        "frequency": s.frequency,
        "topics": [t for t, wanted in (("priorities", s.wants_priorities), ("meetings", s.wants_meetings),
                                       ("updates", s.wants_updates), ("crime", s.wants_crime_summary))
                   if wanted],
        "subscribed_at": s.created_at.isoformat(timespec="seconds") + "Z",
        "confirmed_at": s.confirmed_at.isoformat(timespec="seconds") + "Z" if s.confirmed_at else None,
        "last_emailed_on": s.last_emailed_on.isoformat() if s.last_emailed_on else None,
        "emails_sent": [{"what": d.key, "on": d.created_at.isoformat(timespec="seconds") + "Z"}
                        for d in s.deliveries if d.email_id],
    })
    response.headers["Content-Disposition"] = 'attachment; filename="your-alerts-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/alerts/manage/<token>/delete")
def delete_data(token):
    subscription = _subscription_for(MANAGE, token)
    if not ButtonForm().validate_on_submit():
        abort(400)
    # Emails not yet sent to the address go too (sent ones keep no address: app/mail.py).
    db.session.execute(delete(OutboxEmail).where(OutboxEmail.to_address == subscription.email))
    db.session.delete(subscription)
    db.session.commit()
    return render_template("alerts/unsubscribed.html", deleted=True)


@bp.route("/alerts/your-data", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def your_data():
    """Ask for your data by email: the links go to the address, never to the browser."""
    form = YourDataForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        held = db.session.scalars(select(AlertSubscription).where(AlertSubscription.email == email)).all()
        if held:
            subject, body = emails.your_data(held)
            queue_email(db.session, email, subject, body, kind="alert_your_data")
            db.session.commit()
        return render_template("alerts/check_email.html", your_data=True)
    return render_template("alerts/your_data.html", form=form), 400 if form.errors else 200


# -- officers ----------------------------------------------------------------------------


def _sector_counts(team):
    """Every postcode sector of the neighbourhood, with how many confirmed subscribers it has."""
    sector_of = func.substr(Postcode.postcode, 1, func.length(Postcode.postcode) - 2)
    sectors = db.session.scalars(
        select(sector_of).where(Postcode.neighbourhood_id == team.neighbourhood_id).distinct().order_by(sector_of)
    ).all()
    counts = dict(db.session.execute(
        select(AlertSubscription.sector, func.count())
        .where(AlertSubscription.neighbourhood_id == team.neighbourhood_id, AlertSubscription.confirmed_at.is_not(None))
        .group_by(AlertSubscription.sector)
    ).all())
    return [(s, counts.get(s, 0)) for s in sorted(set(sectors) | set(counts))]


@bp.route("/staff/teams/<int:team_id>/alerts", methods=["GET", "POST"])
@team_access_required
def officer_message(team_id):
    team = db.session.get(Team, team_id) or abort(404)
    sectors = _sector_counts(team)
    form = OfficerMessageForm()
    form.sectors.choices = [(s, ngettext("%(sector)s (%(num)d subscriber)", "%(sector)s (%(num)d subscribers)", n, sector=s)) for s, n in sectors]
    if form.validate_on_submit():
        chosen = sorted(form.sectors.data) if form.audience.data == "sectors" else []
        officer = current_user.officer
        signature = f"{current_user.name}, {officer.role}" if officer else current_user.name
        db.session.add(AlertMessage(team_id=team.id, author_id=current_user.id, subject=form.subject.data.strip(),
                                    body=form.body.data.strip(), sectors=chosen, created_at=clock_source.now(),
                                    signature=f"{signature}, {team.name}"))
        db.session.commit()
        flash(ngettext("Your message will go to %(num)d subscriber with their next alert email.",
                       "Your message will go to %(num)d subscribers with their next alert email.",
                       recipients(db.session, team, chosen)), "success")
        return redirect(url_for("alerts.officer_message", team_id=team.id))
    sent = db.session.scalars(
        select(AlertMessage).where(AlertMessage.team_id == team.id).order_by(AlertMessage.created_at.desc()).limit(20)
    ).all()
    return render_template("alerts/officer_message.html", team=team, form=form, sent=sent,
                           subscribers=recipients(db.session, team, [])), 400 if form.errors else 200
