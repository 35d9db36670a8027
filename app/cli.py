"""The `flask` command groups: each lives in its area's `commands.py`; this only registers them."""


def init_app(app):
    from app.admin.commands import users
    from app.alerts.commands import alerts_group
    from app.crime.commands import import_crimes
    from app.demo.commands import demo_group
    from app.importers.commands import import_group
    from app.inbox.commands import inbox

    import_group.add_command(import_crimes)
    for group in (import_group, demo_group, alerts_group, users, inbox):
        app.cli.add_command(group)
