"""Flask commands: `flask --app app import …`, `flask --app app users …`, `flask --app app demo …`."""


def init_app(app):
    from app.admin.commands import users
    from app.inbox.commands import inbox

    app.cli.add_command(users)
    app.cli.add_command(inbox)
