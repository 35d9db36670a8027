"""JSON for scripts and our own checks. Field names follow data.police.uk where it has them."""
from flask import Blueprint, jsonify, request

from app.lookups import PostcodeStatus, find_postcode

bp = Blueprint("api", __name__, url_prefix="/api")

_POSTCODE_ERRORS = {
    PostcodeStatus.INVALID: (400, "Not a valid UK postcode. A postcode looks like LS1 1AZ or SW1A 2AA."),
    PostcodeStatus.NOT_FOUND: (404, "Postcode not found."),
    PostcodeStatus.NO_COORDINATES: (404, "This postcode has no location in the postcode data."),
    PostcodeStatus.OUTSIDE_COVERAGE: (404, "This postcode is outside the area this portal covers (England and Wales)."),
}


def error(status, message, **extra):
    return jsonify({"status": status, "error": message, **extra}), status


def neighbourhood_json(neighbourhood):
    return {
        "force": {"id": neighbourhood.force.id, "name": neighbourhood.force.name},
        "neighbourhood": {"id": neighbourhood.id, "name": neighbourhood.name},
    }


@bp.get("/postcodes/<path:text>")
def postcode(text):
    lookup = find_postcode(text)
    if lookup.status is not PostcodeStatus.FOUND:
        status, message = _POSTCODE_ERRORS[lookup.status]
        return error(status, message, reason=lookup.status.value, postcode=lookup.postcode)
    record = lookup.record
    return jsonify({
        "postcode": record.postcode,
        "latitude": record.latitude,
        "longitude": record.longitude,
        **neighbourhood_json(record.neighbourhood),
    })


@bp.get("/locate-neighbourhood")
def locate_neighbourhood():
    from app.geography import locate

    try:
        lat, lng = (float(part) for part in request.args.get("q", "").split(","))
    except ValueError:
        return error(400, "Give q as latitude,longitude, for example q=53.7997,-1.5492")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return error(400, "Latitude must be between -90 and 90 and longitude between -180 and 180.")
    neighbourhood = locate(lat, lng)
    if neighbourhood is None:
        return error(404, "No neighbourhood found at that point.")
    return jsonify({"force": neighbourhood.force_id, "neighbourhood": neighbourhood.id})
