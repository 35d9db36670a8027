"""What every page shares: templates, locale, security headers, error pages, login."""
from datetime import timedelta

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from app import clock_source, labels, staff_labels
from app.domain import months as calendar_months
from app.domain import dissatisfaction, pledge
from app.extensions import db, login_manager
from app.queries import compliance

LANGUAGE_COOKIE = "lang"
RIGHT_TO_LEFT = {"ur", "ar", "fa", "he"}
STAFF_PREFIX = "/staff"


def is_staff_page():
    """The staff area is in English only (it says so in its header); public pages are translated."""
    return request.path == STAFF_PREFIX or request.path.startswith(STAFF_PREFIX + "/")


def select_locale():
    from flask import current_app, has_request_context

    if not has_request_context():  # commands (cron emails) use the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    supported = current_app.config["LANGUAGES"]
    if is_staff_page():
        return "en"
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in supported:
        return chosen
    return request.accept_languages.best_match(list(supported)) or "en"


def security_headers_for(config):
    """The headers every response carries; worked out once, from the configuration."""
    headers = {
        "Content-Security-Policy": "; ".join([
            "default-src 'self'",
            f"img-src 'self' data: blob: {_basemap_origin(config.get('BASEMAP_TILE_URL'))}".strip(),
            "style-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "geolocation=(self), camera=(), microphone=()",
    }
    if config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


def _basemap_origin(url):
    """"https://*.tile.example.org" for a tile URL template like "https://{s}.tile.example.org/{z}/…"."""
    from urllib.parse import urlsplit

    parts = urlsplit((url or "").replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc.replace('a.', '*.', 1)}" if parts.netloc else ""


def reply_record(team_id, months=3):
    """The team's published record for the last complete London months, in one query:
    [(year, month, (answered in time, received) or None)]."""
    wanted = calendar_months.previous_months(clock_source.today_in_london(), months)
    counts = compliance.counts_by_month(db.session, wanted, team_ids=[team_id]).get(team_id, {})
    return [(year, month, counts.get((year, month))) for year, month in wanted]


def pledge_days_since_closed(year, month):
    return pledge.days_since_closed(year, month, clock_source.today_in_london())


def dissatisfaction_stages(message):
    """The stages of the dissatisfaction route (Pledge 10) of a FEEDBACK message, with their
    dates and status now: what templates/_dissatisfaction_stages.html shows (on the staff
    thread, and on the resident's own message page)."""
    from flask import current_app

    config = current_app.config
    return dissatisfaction.stages(
        message.dissatisfaction_route(), clock_source.now(),
        promise=timedelta(hours=config["REPLY_PROMISE_HOURS"]),
        offer_within=timedelta(days=config["DISSATISFACTION_OFFER_DAYS"]),
        plan_within=timedelta(days=config["DISSATISFACTION_PLAN_DAYS"]))


def init_app(app):
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.template_folder),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)
    from flask_babel import format_date, format_datetime, format_decimal

    app.jinja_env.filters.update(format_date=format_date, format_datetime=format_datetime,
                                 format_number=format_decimal)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters.update(rich_text=labels.rich_text, crime_type=labels.crime_type,
                                 pledge_figure=labels.pledge_figure, duration=staff_labels.duration)
    app.jinja_env.globals.update(month_label=labels.month_label, reply_record=reply_record,
                                 pledge_measure_title=labels.pledge_measure_title, pledge_grade=labels.pledge_grade,
                                 pledge_chart_bars=pledge.chart_bars, pledge_month=labels.pledge_month,
                                 pledge_days_since_closed=pledge_days_since_closed,
                                 dissatisfaction_stages=dissatisfaction_stages,
                                 contact_offer_label=labels.contact_offer_label)

    login_manager.login_view = "staff.login"
    login_manager.login_message = _l("Sign in to see that page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id):
        from app.models import User

        user_part, _, version = user_id.partition(":")
        user = db.session.get(User, int(user_part)) if user_part.isdigit() else None
        if user is None or not user.is_active or str(user.session_version) != version:
            return None
        return user

    @app.context_processor
    def page_context():
        from flask_babel import get_locale

        locale = str(get_locale() or "en")
        return {
            "current_lang": locale,
            "text_direction": "rtl" if locale in RIGHT_TO_LEFT else "ltr",
            "languages": app.config["LANGUAGES"],
            "staff_page": is_staff_page(),
            "rtl_languages": RIGHT_TO_LEFT,
        }

    headers = security_headers_for(app.config)

    @app.after_request
    def security_headers(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        chosen = request.args.get("lang")
        if chosen in app.config["LANGUAGES"]:
            response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response

    def error_page(status, title, message):
        def handler(error):
            if request.path.startswith("/api/"):
                from flask import jsonify

                return jsonify({"status": status, "error": str(message)}), status
            return render_template("errors/error.html", status=status, title=title, message=message), status

        return handler

    for status, title, message in [
        (400, _l("Sorry, there is a problem with that request"), _l("Check what you entered and try again.")),
        (403, _l("You do not have access to this page"), _l("Your account cannot see this page.")),
        (404, _l("Page not found"), _l("If you typed the web address, check it is correct.")),
        (405, _l("That action is not allowed here"), _l("Go back and try again.")),
        (413, _l("The file is too large"), _l("Choose a smaller file and try again.")),
        (429, _l("Too many requests"), _l("Wait a minute, then try again.")),
        (500, _l("Sorry, there is a problem with the service"), _l("Try again later.")),
    ]:
        app.register_error_handler(status, error_page(status, title, message))
