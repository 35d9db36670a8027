from flask import Blueprint

bp = Blueprint("find", __name__)
