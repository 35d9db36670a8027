"""The neighbourhood policing portal: application factory."""
import os
from pathlib import Path

from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, INSTANCE_DIR

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    from app.web import PortalFlask

    app = PortalFlask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    config = config or CONFIGS[os.environ.get("PORTAL_ENV", "development")]
    app.config.from_object(config() if isinstance(config, type) else config)
    app.config.from_prefixed_env("PORTAL")
    Path(app.instance_path).mkdir(exist_ok=True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file has no server to go away between requests: no "SELECT 1" before each checkout.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
                                                   "pool_pre_ping": False}
    if app.config.get("PROXY_COUNT"):
        # The client's address and scheme as the proxies saw them (rate limits, Secure cookies),
        # trusting exactly PROXY_COUNT hops of X-Forwarded-For/-Proto and no more.
        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from app import extensions, hostile_input, models, web  # noqa: F401  (models register their tables)

    hostile_input.init_app(app)

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.babel.init_app(app, locale_selector=web.select_locale)
    web.init_app(app)
    models.accounts.use_hash_profile(app.config["PASSWORD_HASH_PROFILE"])

    from app.about.views import bp as about_bp
    from app.admin.views import bp as admin_bp
    from app.alerts.views import bp as alerts_bp
    from app.api.views import bp as api_bp
    from app.confidence.views import bp as confidence_bp
    from app.contact.follow_up import bp as your_message_bp
    from app.contact.views import bp as contact_bp
    from app.crime.views import bp as crime_bp
    from app.feeds.views import bp as feeds_bp
    from app.find.views import bp as find_bp
    from app.inbox.views import bp as inbox_bp
    from app.meetings.views import bp as meetings_bp
    from app.performance.views import bp as performance_bp
    from app.priorities.views import bp as priorities_bp
    from app.reports.views import bp as reports_bp
    from app.team_admin.views import bp as team_admin_bp
    from app.staff.views import bp as staff_bp
    from app.teams.views import bp as teams_bp
    from app.tiles.views import bp as tiles_bp
    from app.updates.views import bp as updates_bp
    from app.your_data.views import bp as your_data_bp

    for blueprint in (find_bp, teams_bp, api_bp, staff_bp, priorities_bp, meetings_bp, updates_bp, team_admin_bp,
                      feeds_bp, alerts_bp, crime_bp, tiles_bp, contact_bp, your_message_bp, inbox_bp, admin_bp,
                      performance_bp, about_bp, your_data_bp, reports_bp, confidence_bp):
        app.register_blueprint(blueprint)
    if app.config.get("DEV_MAIL_PAGE"):
        from app.devmail.views import bp as devmail_bp

        app.register_blueprint(devmail_bp)

    from app import cli

    cli.init_app(app)
    return app
