"""The reference for the HTTP benchmark: a bare Flask app that answers
GET /api/postcodes/<postcode> with the same JSON document the portal gives for one real
postcode, without a database, middleware or extensions: Flask's floor on this machine.

    gunicorn -w 2 -k gthread --threads 8 'bare_app:create_app()'   (from benchmarks/)
"""
import json
import os

from flask import Flask, jsonify


def create_app():
    app = Flask(__name__)
    document = json.loads(os.environ.get("BARE_POSTCODE_JSON", "{}"))

    @app.get("/api/postcodes/<path:text>")
    def postcode(text):
        return jsonify(document)

    return app
