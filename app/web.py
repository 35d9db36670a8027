"""What every page shares: templates, locale, security headers, error pages, login."""
import json
import logging
import math
import random
import re
import sys
import time
from datetime import timedelta
from functools import lru_cache

from flask import Flask, g, has_request_context, jsonify, render_template, request
from flask.app import _sentinel
from flask.json.provider import DefaultJSONProvider
from flask.signals import request_tearing_down
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from wtforms.csrf.core import CSRFTokenField
from wtforms.widgets import HiddenInput
from govuk_frontend_wtf.main import WTFormsHelpers, wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from sqlalchemy import text
from werkzeug.exceptions import SecurityError

from app import clock_source, labels, staff_labels
from app.labels import RIGHT_TO_LEFT, english, ltr, page_language
from app.domain import months as calendar_months
from app.domain import dissatisfaction, pledge
from app.extensions import db, limiter, login_manager
from app.links import public_url
from app.queries import compliance
from app.queries import consultations as consultation_queries

LANGUAGE_COOKIE = "lang"
STAFF_PREFIX = "/staff"


def is_staff_page():
    """The staff area is in English only (it says so in its header); public pages are translated."""
    if not has_request_context():  # an email rendered by a command
        return False
    return request.path == STAFF_PREFIX or request.path.startswith(STAFF_PREFIX + "/")


class PortalSessionInterface(SecureCookieSessionInterface):
    """The open API keeps no session: its requests neither read the session cookie nor set
    one (nor say `Vary: Cookie`), which was a fifth of an API request's time in Flask."""

    def open_session(self, app, request):
        if request.path.startswith("/api/"):
            return self.null_session_class()
        return super().open_session(app, request)


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


def language_name(code):
    """"Welsh" for "cy": a language's name in English, for the English-only staff area."""
    from babel import Locale

    return Locale.parse(code).get_display_name("en")


def plural_count(value):
    """The whole number gettext chooses a plural form by, for figures such as 7.5 months."""
    return int(value or 0)


def plural_categories(language):
    """{CLDR plural category: a number in it} for a language: what govuk-frontend's JavaScript
    asks Intl.PluralRules for ("one", "few", "many", "other"…), each with a number that makes
    ngettext pick the same form from our catalogue."""
    from babel import Locale

    rule = Locale.parse(language).plural_form
    samples = {}
    for number in range(0, 1001):
        samples.setdefault(rule(number), number)
    # Polish keeps "other" for fractions, which a count of characters never is; govuk-frontend
    # falls back to "other", so give it the form most numbers take.
    samples.setdefault("other", samples.get("many", 0))
    return samples


def character_count_params(maxlength, **params):
    """Params for govuk-frontend's character count in the page's language: the description
    ("You can enter up to 5,000 characters") and the live messages its JavaScript writes,
    passed as data-i18n attributes with one text per plural category of the language."""
    from flask_babel import format_decimal

    count = "%{count}"  # govuk-frontend puts the number in here, in the browser
    categories = plural_categories(page_language())

    def forms(message):
        return {category: message(number) for category, number in categories.items()}

    return {
        "maxlength": maxlength,
        "textareaDescriptionText": ngettext("You can enter up to %(count)s character",
                                            "You can enter up to %(count)s characters", maxlength,
                                            count=format_decimal(maxlength)),
        "charactersUnderLimitText": forms(lambda n: ngettext("You have %(count)s character remaining",
                                                             "You have %(count)s characters remaining", n, count=count)),
        "charactersAtLimitText": _("You have 0 characters remaining"),
        "charactersOverLimitText": forms(lambda n: ngettext("You have %(count)s character too many",
                                                            "You have %(count)s characters too many", n, count=count)),
        **params,
    }


def localised_wtforms_errors(form, params=None):
    """govuk-frontend-wtf's error summary with its title in the page's language."""
    return wtforms_errors(form, {"titleText": _("There is a problem"), **(params or {})})


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


class SecurityHeaders:
    """WSGI middleware: every response leaves with the security headers (security_headers_for),
    except any the response sets itself (a view's own X-Frame-Options is kept).

    Added as the response leaves the app, to the plain list of headers WSGI hands the server,
    rather than in an after_request hook: there Werkzeug checked each of the six values as it
    was added and again as it copied the headers out, a tenth of an API request's function
    calls (cProfile, issue 15, fifth round). The values are checked once, here."""

    def __init__(self, wsgi_app, headers):
        from werkzeug.datastructures import Headers

        self.wsgi_app = wsgi_app
        checked = Headers(list(headers.items()))  # Werkzeug's own checks (no newline in a value), once
        self.headers = [(name.lower(), name, value) for name, value in checked.items()]

    def __call__(self, environ, start_response):
        headers = self.headers

        def start_with_security_headers(status, response_headers, exc_info=None):
            present = {name.lower() for name, _value in response_headers}
            return start_response(status, response_headers + [(name, value) for lower, name, value in headers
                                                              if lower not in present], exc_info)

        return self.wsgi_app(environ, start_with_security_headers)


def _basemap_origin(url):
    """"https://*.tile.example.org" for a tile URL template like "https://{s}.tile.example.org/{z}/…"."""
    from urllib.parse import urlsplit

    parts = urlsplit((url or "").replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc.replace('a.', '*.', 1)}" if parts.netloc else ""


def error_summary(form, params=None):
    """govuk_frontend_wtf's error summary, each link pointing at the control that takes focus.

    The library links an error to the field's id; a date's id is the wrapper of its three
    boxes (a div), so the link moved focus nowhere. It goes to the Day box instead, the id
    GovDateInput gives its first input.
    """
    summary = localised_wtforms_errors(form, params)
    first_inputs = {f"#{field.id}": f"#{field.name}-day" for field in form if isinstance(field.widget, GovDateInput)}
    for item in summary["errorList"]:
        item["href"] = first_inputs.get(item["href"], item["href"])
    return summary


class HiddenInputWithoutId(HiddenInput):
    """A hidden input needs no id, and the CSRF token's id ("csrf_token") would repeat on every
    page that has more than one form (a message thread has four)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", False)
        return super().__call__(field, **kwargs)


CSRFTokenField.widget = HiddenInputWithoutId()


def reply_record(team_id, months=3):
    """The team's published record for the last complete London months, in one query:
    [(year, month, (answered in time, received) or None)]."""
    wanted = calendar_months.previous_months(clock_source.today_in_london(), months)
    counts = compliance.team_counts_by_month(db.session, team_id, wanted)
    return [(year, month, counts.get((year, month))) for year, month in wanted]


def consultation_results(consultation):
    """The results of a closed consultation (for "how it was decided"), or None while it is open."""
    from app.domain.consultations import CLOSED

    if consultation is None or consultation.status(clock_source.today_in_london()) != CLOSED:
        return None
    cache = g.setdefault("consultation_results", {}) if has_request_context() else {}
    if consultation.id not in cache:
        cache[consultation.id] = consultation_queries.results(consultation)
    return cache[consultation.id]


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


def install_template_gettext(app):
    """Templates' _(), ngettext() and pgettext() read the catalogue of the locale in force
    (the request's, or force_locale's) from a dict per locale. Flask-Babel's own callables
    looked the context up four times and spelled out the locale's name for each of the
    hundred-odd strings of a team page (a tenth of its CPU, cProfile, issue 15).

    They are Jinja's "newstyle" callables (the string is always %-formatted, and marked safe
    before its escaped variables go in), called directly: Jinja's own wrappers went through
    two more context calls for each string. The locale is read from the page's
    `current_lang` (set when rendering starts, so force_locale's too) where the template has
    it, else from Flask-Babel (a macro imported without context)."""
    from flask_babel import get_locale, get_translations
    from jinja2 import pass_context
    from markupsafe import Markup

    catalogues, by_name = {}, {}

    def catalogue():
        locale = get_locale()
        found = catalogues.get(locale)
        if found is None:
            found = get_translations()
            if locale is not None:
                catalogues[locale] = found
                by_name[str(locale)] = found
        return found

    def catalogue_of(context):
        found = by_name.get(context.get("current_lang"))
        return found if found is not None else catalogue()

    @pass_context
    def gettext(context, string, /, **variables):
        found = catalogue_of(context).ugettext(string)
        if context.eval_ctx.autoescape:
            found = Markup(found)
        # With nothing to put in and no "%%" to undo, formatting would return the same text.
        return found % variables if variables or "%" in found else found

    @pass_context
    def ngettext(context, singular, plural, num, /, **variables):
        variables.setdefault("num", num)
        found = catalogue_of(context).ungettext(singular, plural, num)
        return (Markup(found) if context.eval_ctx.autoescape else found) % variables

    @pass_context
    def pgettext(context, string_context, string, /, **variables):
        variables.setdefault("context", string_context)
        found = catalogue_of(context).upgettext(string_context, string)
        return (Markup(found) if context.eval_ctx.autoescape else found) % variables

    @pass_context
    def npgettext(context, string_context, singular, plural, num, /, **variables):
        variables.setdefault("context", string_context)
        variables.setdefault("num", num)
        found = catalogue_of(context).unpgettext(string_context, singular, plural, num)
        return (Markup(found) if context.eval_ctx.autoescape else found) % variables

    app.jinja_env.install_gettext_callables(gettext=gettext, ngettext=ngettext, newstyle=True)
    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext,
                                 npgettext=npgettext)


@lru_cache(maxsize=16384)
def _formatted(formatter, kind, value, format, rebase, _language, _timezone):
    """A date as flask_babel formats it in the locale and timezone in force, remembered by all
    of those (a pure function of them: nothing shown can be stale)."""
    return formatter(value, format, rebase)


def install_language_filters(app):
    """The filters that depend on the page's language (english, ltr, rich_text, format_date,
    format_datetime) read it from the page's `current_lang` where the template has it (else
    from Flask-Babel, as in a macro imported without context): a full team page called them
    about a hundred times, each looking the locale up again (issue 15). Dates are formatted
    once for each value, format, language and timezone, and remembered."""
    from flask_babel import format_date, format_datetime
    from jinja2 import pass_context

    timezone_name = app.config.get("BABEL_DEFAULT_TIMEZONE", "UTC")

    def dated(formatter):
        @pass_context
        def formatted(context, value=None, format=None, rebase=True):
            language = context.get("current_lang")
            if value is None or language is None:  # "now", or no page language to key by
                return formatter(value, format, rebase)
            return _formatted(formatter, type(value), value, format, rebase, language, timezone_name)

        return formatted

    app.jinja_env.filters.update(
        english=pass_context(lambda context, value, block=False: english(value, block, context.get("current_lang"))),
        ltr=pass_context(lambda context, value: ltr(value, context.get("current_lang"))),
        rich_text=pass_context(lambda context, value: labels.rich_text(value, context.get("current_lang"))),
        format_date=dated(format_date),
        format_datetime=dated(format_datetime),
    )


def init_app(app):
    app.session_interface = PortalSessionInterface()
    install_template_gettext(app)
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
    app.add_template_global(error_summary, "wtforms_errors")
    app.add_template_global(character_count_params)
    app.add_template_global(language_name)
    app.jinja_env.filters.update(plural_count=plural_count)
    install_language_filters(app)
    from flask_babel import format_decimal

    app.jinja_env.filters.update(format_number=format_decimal)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters.update(crime_type=labels.crime_type,
                                 pledge_figure=labels.pledge_figure, duration=staff_labels.duration)
    app.jinja_env.globals.update(consultation_results=consultation_results,
                                 consultations_for_meeting=consultation_queries.for_meeting)
    app.jinja_env.globals.update(month_label=labels.month_label, reply_record=reply_record,
                                 pledge_measure_title=labels.pledge_measure_title, pledge_grade=labels.pledge_grade,
                                 pledge_chart_rows=pledge.chart_rows, pledge_grade_keys=labels.pledge_grade_keys,
                                 pledge_month=labels.pledge_month,
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
        from app.services.staff_auth import session_is_live

        return user if session_is_live(user) else None

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

    init_logging(app)
    init_requests(app)
    init_static_versions(app)
    app.wsgi_app = SecurityHeaders(app.wsgi_app, security_headers_for(app.config))

    @app.after_request
    def language_cookie(response):
        # Reading the raw query string first spares most requests parsing it.
        chosen = request.args.get("lang") if b"lang=" in request.query_string else None
        if chosen in app.config["LANGUAGES"]:
            response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                                secure=bool(app.config.get("SESSION_COOKIE_SECURE")))
        return response

    def error_page(status, title, message):
        def handler(error):
            if isinstance(error, SecurityError):  # a Host header not in TRUSTED_HOSTS: no page, no links
                return "Unknown host name.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}
            if request.path.startswith("/api/"):
                from flask import jsonify

                return jsonify({"status": status, "error": str(message)}), status
            return render_template("errors/error.html", status=status, title=title, message=message), status

        return handler

    @app.errorhandler(CSRFError)
    def session_lost(error):
        """The form's security token did not match: the session ended (signed out, expired, the
        browser dropped its cookie) while the form was being filled in. Nothing is saved, but
        nothing typed is lost either: the page shows it again, to send again or copy."""
        from flask_login import current_user

        if request.path.startswith("/api/") or request.method != "POST":
            return error_page(400, _l("Sorry, there is a problem with that request"),
                              _l("Check what you entered and try again."))(error)
        kept = [(name, value) for name, value in request.form.items(multi=True)
                if name != "csrf_token" and "password" not in name and value.strip()]
        return render_template("errors/session_lost.html", kept=kept, action=request.path,
                               signed_in=current_user.is_authenticated, staff=is_staff_page()), 400

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


# App-wide request hooks with nothing to do on a request to the open API, so not run there:
# with Flask asking for each hook whether it is a coroutine, they were a tenth of an API
# request's CPU (cProfile, issue 15). Named one by one rather than listing what does run, so
# that a hook added later runs on the API too until it is shown to be idle there.
HOOKS_IDLE_ON_API = frozenset({
    "app.reports.views._allow_a_photo",  # the report form's larger upload limit
    "flask_wtf.csrf.CSRFProtect.init_app.<locals>.csrf_protect",  # the API is exempt from CSRF
    "app.extensions.PortalLimiter._check_request_limit",  # the API counts its own limit (app/api/rate_limit.py)
    "app.staff.views.temporary_password_must_be_changed",  # staff pages only
    "flask_limiter._extension.Limiter.__inject_headers",  # headers for Flask-Limiter's limits: none here
    "flask_login.login_manager.LoginManager._update_remember_cookie",  # no sign-in on the API
    "flask_limiter._extension.Limiter.__release_context",  # a teardown: Flask-Limiter kept nothing
})


def hook_name(func):
    func = getattr(func, "func", func)  # the rate limiter registers a functools.partial
    return f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', '')}"


class PortalJSONProvider(DefaultJSONProvider):
    """Flask's JSON, each encoder made once for its options: json.dumps makes a new
    JSONEncoder whenever it is given options, and Flask always gives some (a tenth of the
    JSON's time on an API request, issue 15). The same options give the same text."""

    _CACHED_OPTIONS = frozenset({"default", "ensure_ascii", "sort_keys", "separators", "indent"})

    def dumps(self, obj, **kwargs):
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        if not kwargs.keys() <= self._CACHED_OPTIONS:
            return json.dumps(obj, **kwargs)
        key = tuple(sorted(kwargs.items()))
        encoders = self.__dict__.setdefault("_encoders", {})
        encoder = encoders.get(key)
        if encoder is None:
            encoder = encoders[key] = json.JSONEncoder(**kwargs)
        return encoder.encode(obj)


class PortalFlask(Flask):
    """Flask whose absolute links are built on PUBLIC_BASE_URL: a request's Host header (which
    anyone can set) never ends up in a feed, a calendar, an API answer or an email; and which
    runs on the open API's requests only the app-wide hooks that have something to do there
    (HOOKS_IDLE_ON_API). The request id, its log line, the security headers, CORS and the
    API's rate limit all still run."""

    hooks_idle_on_blueprint = {"api": HOOKS_IDLE_ON_API}
    json_provider_class = PortalJSONProvider

    def _hooks_to_run(self, registry, name, idle):
        """`registry`'s hooks for blueprint `name` (None: app-wide) less the idle ones, made
        sync once: Flask forbids adding hooks once the first request is handled."""
        cache = self.__dict__.setdefault("_hooks_to_run_cache", {})
        key = (id(registry), name, idle)
        if key not in cache:
            cache[key] = tuple(self.ensure_sync(func) for func in registry.get(name, ())
                               if hook_name(func) not in idle)
        return cache[key]

    def _lean_chains(self, this):
        """For a request to a blueprint with idle hooks (the API): its URL value preprocessors
        and the before, after and teardown hooks to run, in the order Flask runs them, worked
        out once per endpoint; None for any other request (Flask's own order, every hook).
        Looking the blueprint up and filtering the hooks in each phase was six readings of
        the request's blueprint a request (issue 15, fifth round)."""
        cache = self.__dict__.setdefault("_lean_chains_cache", {})
        endpoint = this.endpoint
        try:
            return cache[endpoint]
        except KeyError:
            pass
        idle = self.hooks_idle_on_blueprint.get(this.blueprint)
        chains = None
        if idle is not None:
            names = (None, *reversed(this.blueprints))
            chains = (
                tuple(func for name in names for func in self.url_value_preprocessors.get(name, ())),
                tuple(func for name in names for func in self._hooks_to_run(self.before_request_funcs, name, idle)),
                tuple(func for name in (*this.blueprints, None)
                      for func in reversed(self._hooks_to_run(self.after_request_funcs, name, idle))),
                tuple(func for name in (*this.blueprints, None)
                      for func in reversed(self._hooks_to_run(self.teardown_request_funcs, name, idle))),
            )
        if this.url_rule is not None:  # a 404 or 405 has no endpoint to key by
            cache[endpoint] = chains
        return chains

    def preprocess_request(self):
        this = request._get_current_object()
        chains = self._lean_chains(this)
        if chains is None:
            return super().preprocess_request()
        url_value_preprocessors, before_hooks, _after, _teardown = chains
        for url_func in url_value_preprocessors:
            url_func(this.endpoint, this.view_args)
        for before in before_hooks:
            returned = before()
            if returned is not None:
                return returned
        return None

    def process_response(self, response):
        from flask.globals import request_ctx

        ctx = request_ctx._get_current_object()
        chains = self._lean_chains(ctx.request)
        if chains is None:
            return super().process_response(response)
        for func in ctx._after_request_functions:
            response = self.ensure_sync(func)(response)
        for after in chains[2]:
            response = after(response)
        if not self.session_interface.is_null_session(ctx._session):
            self.session_interface.save_session(self, ctx._session, response)
        return response

    def do_teardown_request(self, exc=_sentinel):
        chains = self._lean_chains(request._get_current_object())
        if chains is None:
            return super().do_teardown_request(exc)
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        for func in chains[3]:
            func(exc)
        request_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)
        return None

    def url_for(self, endpoint, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
        if _external:  # with or without a request (a command building an email): app.links
            return public_url(endpoint, _anchor=_anchor, **values)
        if (endpoint == "static" and len(values) == 1 and "filename" in values and _anchor is None
                and _method is None and _scheme is None and not self.debug and has_request_context()):
            return self._static_url(values["filename"])
        return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external,
                               **values)

    STATIC_URLS_KEPT = 500

    def _static_url(self, filename):
        """A static file's address with its fingerprint (init_static_versions), worked out once
        per file and script root: a team page links sixteen (the officers' placeholder photo
        eight times). In debug the file is looked at each time, since it may be edited."""
        kept = self.__dict__.setdefault("_static_urls", {})
        key = (filename, request.script_root)
        found = kept.get(key)
        if found is None:
            found = super().url_for("static", filename=filename)
            if len(kept) < self.STATIC_URLS_KEPT:
                kept[key] = found
        return found


REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_log = logging.getLogger("app.requests")


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def init_logging(app):
    """Outside tests: every line of the app's log on stderr (gunicorn and systemd's journal take
    it from there), with the request id of the request it belongs to."""
    if app.testing or getattr(app.logger, "_portal_handler", False):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(_RequestIdFilter())
    app.logger.handlers[:] = [handler]
    app.logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    app.logger.propagate = False
    app.logger._portal_handler = True
    app.extensions["request_line_writer"] = RequestLineWriter(app.logger, handler)


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestLineWriter:
    """Each request's log line, exactly as the app's log handler would write it (LOG_FORMAT,
    at INFO on "app.requests"), formatted in one go and written to the handler's stream in
    one write. Through logging (a LogRecord, the caller's frame looked up, the filter, the
    formatter, the local time worked out for each line) it was 7 % of an API request's CPU
    (py-spy and cProfile, issue 15). Used only while that handler is the only place the line
    would go; otherwise (another handler or filter added, a level changed) the line goes
    through logging as before."""

    def __init__(self, app_logger, handler, line_logger=None):
        self.app_logger, self.handler = app_logger, handler
        self.line_logger = line_logger or request_log  # a child of app_logger
        self._second = None, ""

    def writes_for_logging(self):
        """Whether a line written here is what logging would do with line_logger.info()."""
        app_logger, handler, line_logger = self.app_logger, self.handler, self.line_logger
        return (line_logger.isEnabledFor(logging.INFO) and not line_logger.handlers and not line_logger.filters
                and line_logger.propagate and len(app_logger.handlers) == 1 and app_logger.handlers[0] is handler
                and not app_logger.propagate and not app_logger.filters and handler.level <= logging.INFO
                and isinstance(handler.formatter, logging.Formatter) and handler.formatter._fmt == LOG_FORMAT)

    def timestamp(self, now):
        """logging.Formatter's asctime for `now` (local time, milliseconds after a comma), the
        date and time worked out once a second."""
        second = int(now)
        cached_second, text = self._second
        if cached_second != second:
            text = time.strftime(logging.Formatter.default_time_format, time.localtime(second))
            self._second = second, text
        return f"{text},{int((now - second) * 1000):03d}"

    def write(self, request_id, message, now=None):
        line = f"{self.timestamp(time.time() if now is None else now)} INFO {self.line_logger.name} [{request_id}] {message}\n"
        handler = self.handler
        handler.acquire()
        try:
            handler.stream.write(line)
            handler.flush()
        except Exception:  # noqa: BLE001  (as logging does: a failed write never fails the request)
            handler.handleError(logging.makeLogRecord({"msg": message}))
        finally:
            handler.release()


def init_requests(app):
    """A request id for each request (the proxy's X-Request-Id when it sends a sane one), on
    the response and in one log line per request; health and readiness endpoints; and a
    Retry-After on every 429 that is a whole number of seconds, at least 1."""

    @app.before_request
    def start_request():
        incoming = request.environ.get("HTTP_X_REQUEST_ID", "")
        # 32 hex digits, as uuid4().hex gave, without a system call for each request: an id
        # names a request in the logs and is no secret (random is reseeded in each worker).
        g.request_id = incoming if REQUEST_ID.match(incoming) else f"{random.getrandbits(128):032x}"
        g.request_started = time.perf_counter()

    writer = app.extensions.get("request_line_writer")

    def finish_request(response):
        if response.status_code == 429:
            # A view that refused the request itself (sign-in delays) knows its own wait; the
            # rate limiter's header is worked out again, since it can say 0.
            given = response.headers.get("Retry-After", "")
            own_wait = limiter.current_limit is None and given.isdigit() and int(given) >= 1
            if not own_wait:
                response.headers["Retry-After"] = str(_retry_after_seconds())
        this, kept = request._get_current_object(), g._get_current_object()
        request_id = getattr(kept, "request_id", "-")
        response.headers["X-Request-Id"] = request_id
        started = getattr(kept, "request_started", None)
        query = this.query_string
        line = '%s "%s %s" %s %s %.1fms' % (
            this.remote_addr, this.method, this.full_path if query else this.path, response.status_code,
            response.calculate_content_length() or "-", (time.perf_counter() - started) * 1000 if started else 0.0)
        if writer is not None and writer.writes_for_logging():
            writer.write(request_id, line)
        else:
            request_log.info("%s", line)
        return response

    # After-request functions run last-registered first: at the front of the list, this one
    # runs after the rate limiter has written its headers.
    app.after_request_funcs.setdefault(None, []).insert(0, finish_request)

    @app.route("/healthz")
    def healthz():
        """Alive and able to reach the database: for the load balancer and the deployment's checks."""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001  (any failure means unhealthy; it is logged)
            app.logger.exception("health check: database unreachable")
            return jsonify({"status": "unavailable", "database": "unreachable"}), 503
        return jsonify({"status": "ok", "database": "ok"})

    @app.route("/readyz")
    def readyz():
        """Ready for traffic: the database is reachable and at the latest migration, and the
        rate-limit store answers."""
        from alembic.script import ScriptDirectory

        checks = {}
        try:
            current = set(db.session.execute(text("SELECT version_num FROM alembic_version")).scalars())
            heads = set(ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config()).get_heads())
            checks["database"] = "ok" if current == heads else "migrations pending: run flask db upgrade"
        except Exception:  # noqa: BLE001
            db.session.rollback()
            app.logger.exception("readiness: database")
            checks["database"] = "unreachable"
        try:
            checks["rate_limit_storage"] = "ok" if limiter.storage.check() else "unreachable"
        except Exception:  # noqa: BLE001
            app.logger.exception("readiness: rate-limit storage")
            checks["rate_limit_storage"] = "unreachable"
        ready = all(value == "ok" for value in checks.values())
        return jsonify({"status": "ready" if ready else "not ready", **checks}), 200 if ready else 503


def _retry_after_seconds():
    """Seconds until the limit that refused this request lets one through again, rounded up."""
    limit = limiter.current_limit
    if limit is None:
        return 1
    return max(1, math.ceil(limit.window[0] - time.time()))


def init_static_versions(app):
    """Static URLs carry a fingerprint of the file (`/static/css/portal.css?v=1a2b3c4d5e`), so
    the proxy can let browsers keep them for a year (deploy/nginx): a changed file is a new URL."""
    import hashlib
    import os
    from functools import lru_cache

    @lru_cache(maxsize=1024)
    def fingerprint(path, _modified):
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()[:10]

    @app.url_defaults
    def static_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            path = os.path.join(app.static_folder, values["filename"])
            try:
                values["v"] = fingerprint(path, os.stat(path).st_mtime_ns)
            except OSError:
                pass
