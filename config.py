"""Configuration: one class per environment, values from the environment.

`create_app()` picks the class named by `PORTAL_ENV` (development, test, production);
any setting below can be overridden by an environment variable of the same name.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env(name, default=None):
    return os.environ.get(name, default)


DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"


class Config:
    SECRET_KEY = _env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'portal.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    UPLOAD_FOLDER = _env("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    # Uploads and form bodies: anything larger is refused with 413.
    MAX_CONTENT_LENGTH = int(_env("MAX_CONTENT_LENGTH", 5 * 1024 * 1024))

    # Argon2 parameters for staff passwords, by argon2.profiles name.
    PASSWORD_HASH_PROFILE = _env("PASSWORD_HASH_PROFILE", "RFC_9106_LOW_MEMORY")
    # Staff: a pending sign-in (password given, second factor not yet) and a reset link last this long.
    SIGN_IN_PENDING_MINUTES = 10
    PASSWORD_RESET_MINUTES = 60

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    LANGUAGES = {"en": "English", "cy": "Cymraeg", "pl": "Polski", "ur": "اردو"}

    # Counters shared by every worker and host: redis://host:6379/0 in production (memory://
    # counts per process, so with N workers a client would get N times its limit).
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    # A moving window: a client's last N requests are counted, whatever the clock's second says.
    RATELIMIT_STRATEGY = _env("RATELIMIT_STRATEGY", "moving-window")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True
    # The open API, per client: data.police.uk's 15 a second with bursts of up to 30, i.e. 30
    # in any 2 seconds (any limits string, e.g. "100 per minute", "15/second;30/2 seconds").
    API_RATE_LIMIT = _env("API_RATE_LIMIT", "30 per 2 seconds")
    # How many proxies in front of the app set X-Forwarded-For/-Proto (nginx alone: 1). Those
    # headers are trusted that many hops back and no further; 0 (the default) trusts none, so
    # a client cannot pick its own address for the rate limits.
    PROXY_COUNT = int(_env("PROXY_COUNT", 0))
    # Host names the app answers to (comma-separated); others get 400. Empty: any (development).
    TRUSTED_HOSTS = [h.strip() for h in _env("TRUSTED_HOSTS", "").split(",") if h.strip()] or None

    # A postcode outside every boundary goes to the nearest neighbourhood within this
    # distance (coast, generalised edges); beyond it, it is outside coverage.
    NEAREST_NEIGHBOURHOOD_MAX_METRES = float(_env("NEAREST_NEIGHBOURHOOD_MAX_METRES", 5000))

    # Base map for Leaflet: empty means the portal's own layers on a plain background.
    BASEMAP_TILE_URL = _env("BASEMAP_TILE_URL", "")
    BASEMAP_ATTRIBUTION = _env("BASEMAP_ATTRIBUTION", "")

    REPLY_PROMISE_HOURS = 24

    # A Nominatim server for street and place search (Code-Point has no street names);
    # empty: search by team, neighbourhood, council and postcode district only.
    GEOCODER_URL = _env("GEOCODER_URL", "")
    GEOCODER_USER_AGENT = _env("GEOCODER_USER_AGENT", "npt-portal")
    # Team inbox: sergeants are emailed when a message has waited this many hours unanswered.
    INBOX_ESCALATION_HOURS = tuple(int(h) for h in _env("INBOX_ESCALATION_HOURS", "16,24").split(","))
    # Residents' replies come back to INBOX_REPLY_ADDRESS with the reference as +tag.
    INBOX_REPLY_ADDRESS = _env("INBOX_REPLY_ADDRESS", "replies@portal.example")
    # Shared secret of POST /inbox/inbound-email (a mail provider's webhook); unset = endpoint off.
    INBOUND_MAIL_SECRET = _env("INBOUND_MAIL_SECRET")
    # Residents' messages: personal details are kept this many days after the message is
    # closed, then anonymised by `flask --app app inbox anonymise` (cron, daily).
    MESSAGE_RETENTION_DAYS = int(_env("MESSAGE_RETENTION_DAYS", 365))
    CONTACT_RATE_LIMIT = _env("CONTACT_RATE_LIMIT", "5 per minute; 20 per day")
    # Have your say: answers per client address (a library terminal sends many a day).
    CONSULTATION_RATE_LIMIT = _env("CONSULTATION_RATE_LIMIT", "10 per minute; 200 per day")

    # Where "Leave this site quickly" goes: a neutral page that gives nothing away.
    QUICK_EXIT_URL = _env("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

    MAIL_SERVER = _env("MAIL_SERVER", "localhost")
    MAIL_PORT = int(_env("MAIL_PORT", 25))
    MAIL_USE_TLS = _env("MAIL_USE_TLS", "0") == "1"
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_FROM = _env("MAIL_FROM", "Neighbourhood Policing <no-reply@portal.example>")

    # The portal's public address. Every absolute link (emails, feeds, calendars, the API's
    # links and OpenAPI servers) is built on it, never on a request's Host header.
    PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL", "http://localhost:5000")
    # Links in emails: False builds them on PUBLIC_BASE_URL only (never the request's Host).
    EMAIL_LINKS_FROM_REQUEST = False
    # /dev/mail (every email the portal queued, readable in the browser): development only.
    DEV_MAIL_PAGE = False

    # Who runs the site and how to reach them: shown in the footer, the privacy notice,
    # the accessibility statement and the cookies page.
    SITE_OPERATOR = _env("SITE_OPERATOR", "Neighbourhood Policing portal demonstration (not a real police service)")
    SITE_OPERATOR_EMAIL = _env("SITE_OPERATOR_EMAIL", "enquiries@portal.example")
    SITE_OPERATOR_PHONE = _env("SITE_OPERATOR_PHONE", "101")
    SITE_OPERATOR_ADDRESS = _env("SITE_OPERATOR_ADDRESS", "")
    DATA_PROTECTION_EMAIL = _env("DATA_PROTECTION_EMAIL", "data.protection@portal.example")
    # The accessibility statement's dates (the regulations require them), ISO format.
    ACCESSIBILITY_STATEMENT_PREPARED = _env("ACCESSIBILITY_STATEMENT_PREPARED", "2026-11-27")
    ACCESSIBILITY_STATEMENT_REVIEWED = _env("ACCESSIBILITY_STATEMENT_REVIEWED", "2026-11-27")

    # "How we are doing against the Pledge" (app/domain/pledge.py): a value at or above a
    # band's threshold earns that band; below the lowest given, Poor. The same thresholds
    # grade each month and the 12 months together, and are shown on the page. A month
    # graded Excellent or Good keeps the promise; Fair or Poor misses it.
    PLEDGE_THRESHOLDS = {
        # Residents' messages answered by a person within REPLY_PROMISE_HOURS, % of those
        # received in the month (the inbox's 24-hour clock).
        "messages": {"excellent": 95, "good": 85, "fair": 70},
        # "Unhappy with our service" feedback acknowledged by a person within 24 hours, %.
        "feedback": {"excellent": 95, "good": 85, "fair": 70},
        # A public meeting held in the month: a month is 100% or 0%; over 12 months, the
        # share of months with one (100% = every month, 91.6% = 11 of 12, 75% = 9 of 12).
        "meetings": {"excellent": 100, "good": 91.6, "fair": 75},
        # Current priorities with an action or agreement in the last month (not stale) at
        # the end of the month, %.
        "priorities": {"excellent": 100, "good": 80, "fair": 60},
        # A "You said – We did" post published in the month, as for meetings.
        "updates": {"excellent": 100, "good": 91.6, "fair": 75},
        # Median months the team's officers had served it at the end of the month
        # (Pledge 3: officers stay long enough to know the neighbourhood).
        "tenure": {"excellent": 24, "good": 12, "fair": 6},
        # Pledge 3: officers' duty time spent in the neighbourhood, not taken away to court,
        # training or other duties (leave is not duty time), %. The Pledge's target is 80 %.
        "visible": {"excellent": 90, "good": 80, "fair": 70},
        # Pledge 10: people unhappy with our service offered a meeting or call, a plan agreed
        # with a date and the outcome recorded, each in time, % of those whose stages fell due.
        "follow_up": {"excellent": 95, "good": 85, "fair": 70},
    }
    # A meeting counts as held for the Pledge only if it was published at least this many
    # days before it took place (residents need notice to come)...
    MEETING_NOTICE_DAYS = int(_env("MEETING_NOTICE_DAYS", 7))
    # ...and its attendance or minutes were recorded within this many days after it: two
    # weeks is time to write up an evening meeting and have the chair agree the minutes,
    # and short enough that a month's grade is settled by the middle of the next month.
    MEETING_RECORD_DAYS = int(_env("MEETING_RECORD_DAYS", 14))
    # The dissatisfaction route (Pledge 10): after the acknowledgement, offer to meet or call
    # within this many days of the feedback arriving, and agree a plan (with a date for its
    # outcome) within this many.
    DISSATISFACTION_OFFER_DAYS = int(_env("DISSATISFACTION_OFFER_DAYS", 5))
    DISSATISFACTION_PLAN_DAYS = int(_env("DISSATISFACTION_PLAN_DAYS", 14))
    # The force's Pledge page lists this many teams a page.
    PLEDGE_TEAMS_PER_PAGE = int(_env("PLEDGE_TEAMS_PER_PAGE", 50))


class DevelopmentConfig(Config):
    DEBUG = False
    EMAIL_LINKS_FROM_REQUEST = True
    DEV_MAIL_PAGE = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = False
    # Tests sign in hundreds of times: the cheapest Argon2 parameters (the timing test sets its own).
    PASSWORD_HASH_PROFILE = "CHEAPEST"


class ConfigurationError(RuntimeError):
    """The production configuration is missing something it cannot run safely without."""


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "https"
    # A rate-limit store that is down must not take the site (or a resident's message) with it.
    RATELIMIT_SWALLOW_ERRORS = True

    def __init__(self):
        # Read the environment now, not when config.py was first imported.
        self.SECRET_KEY = _env("SECRET_KEY")
        self.PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL", "")
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "")
        problems = []
        if not self.SECRET_KEY or self.SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(self.SECRET_KEY) < 32:
            problems.append("SECRET_KEY: set it to a long random value, e.g. "
                            "python3 -c 'import secrets; print(secrets.token_hex(32))'")
        if not self.PUBLIC_BASE_URL.startswith("https://"):
            problems.append("PUBLIC_BASE_URL: the portal's public https:// address, e.g. https://portal.example.police.uk")
        if not self.RATELIMIT_STORAGE_URI or self.RATELIMIT_STORAGE_URI.startswith("memory://"):
            problems.append("RATELIMIT_STORAGE_URI: a store every worker shares, e.g. redis://localhost:6379/0")
        if problems:
            raise ConfigurationError("The production configuration cannot start. Set in the environment:\n  "
                                     + "\n  ".join(problems))
        from urllib.parse import urlsplit

        self.TRUSTED_HOSTS = Config.TRUSTED_HOSTS or [urlsplit(self.PUBLIC_BASE_URL).hostname]


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
