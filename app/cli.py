"""Flask commands: `flask --app app import …`, `flask --app app users …`, `flask --app app demo …`."""


def init_app(app):
    pass
