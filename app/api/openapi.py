"""The OpenAPI 3.0 description of the open API, served at /api/openapi.json."""

_NULLABLE_STRING = {"type": "string", "nullable": True}


def _obj(properties, required=None, additional=True):
    schema = {"type": "object", "properties": properties, "required": required or list(properties)}
    if not additional:
        schema["additionalProperties"] = False
    return schema


def _list(item):
    return {"type": "array", "items": item}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR = _json(_ref("Error"), "Error")
_MONTH = {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}
_DATE = {"name": "date", "in": "query", "required": False, "schema": _MONTH, "example": "2018-07",
         "description": "YYYY-MM; the latest month imported when left out"}
_ERRORS = {"404": _ERROR, "429": {"description": "Too many requests; see Retry-After",
                                  "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                                  "content": {"application/json": {"schema": _ref("Error")}}}}

_FORCE = {"name": "force", "in": "path", "required": True, "schema": {"type": "string"},
          "description": "Force id", "example": "west-yorkshire"}
_NEIGHBOURHOOD = {"name": "neighbourhood", "in": "path", "required": True, "schema": {"type": "string"},
                  "description": "Neighbourhood id", "example": "E02002330"}


def _get(summary, response, parameters=(), extra_errors=None, tags=("data.police.uk compatible",)):
    responses = {"200": _json(response), **_ERRORS, **(extra_errors or {})}
    return {"get": {"summary": summary, "tags": list(tags), "parameters": list(parameters), "responses": responses}}


_COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 5},
           "description": "Reports by type (speeding, parking, drug_dealing, noise, litter, vandalism, groups, "
                          "other); a type appears only with at least `threshold` reports"}

SCHEMAS = {
    "ReportedCell": _obj({"south": {"type": "number"}, "west": {"type": "number"}, "north": {"type": "number"},
                          "east": {"type": "number"}, "counts": _COUNTS, "total": {"type": "integer"}}),
    "ReportedProblems": _obj({
        "force": {"type": "string"}, "neighbourhood": {"type": "string"},
        "quarter": {"type": "string", "pattern": r"^\d{4}-Q[1-4]$"}, "threshold": {"type": "integer"},
        "cell_size_degrees": _obj({"latitude": {"type": "number"}, "longitude": {"type": "number"}}),
        "types": _list({"type": "string"}), "totals": _COUNTS, "cells": _list(_ref("ReportedCell")),
    }),
    "Error": _obj({"status": {"type": "integer"}, "error": {"type": "string"}}),
    "ForceSummary": _obj({"id": {"type": "string"}, "name": {"type": "string"}}),
    "EngagementMethod": _obj({"title": {"type": "string"}, "url": {"type": "string"}, "description": _NULLABLE_STRING}),
    "Force": _obj({
        "id": {"type": "string"}, "name": {"type": "string"}, "description": _NULLABLE_STRING,
        "url": _NULLABLE_STRING, "telephone": _NULLABLE_STRING,
        "engagement_methods": _list(_ref("EngagementMethod")),
    }),
    "NeighbourhoodSummary": _obj({"id": {"type": "string"}, "name": {"type": "string"}}),
    "Point": _obj({"latitude": {"type": "string"}, "longitude": {"type": "string"}}),
    "Location": _obj({
        "name": {"type": "string"}, "type": {"type": "string"}, "address": {"type": "string"},
        "postcode": _NULLABLE_STRING, "latitude": _NULLABLE_STRING, "longitude": _NULLABLE_STRING,
        "description": _NULLABLE_STRING,
    }),
    "Link": _obj({"url": {"type": "string"}, "title": {"type": "string"}, "description": _NULLABLE_STRING}),
    "Neighbourhood": _obj({
        "id": {"type": "string"}, "name": {"type": "string"}, "description": _NULLABLE_STRING,
        "url_force": {"type": "string"},
        "contact_details": {"type": "object", "additionalProperties": {"type": "string"}},
        "centre": _ref("Point"), "locations": _list(_ref("Location")), "links": _list(_ref("Link")),
    }),
    "Person": _obj({"name": {"type": "string"}, "rank": {"type": "string"}, "bio": _NULLABLE_STRING,
                    "contact_details": {"type": "object"}}),
    "Event": _obj({
        "title": {"type": "string"}, "description": {"type": "string"}, "address": {"type": "string"},
        "type": {"type": "string"}, "start_date": {"type": "string"}, "end_date": {"type": "string"},
        "contact_details": {"type": "object"},
    }),
    "Priority": _obj({
        "issue": {"type": "string"}, "issue-date": {"type": "string"}, "action": _NULLABLE_STRING,
        "action-date": _NULLABLE_STRING, "title": {"type": "string"},
    }),
    "Located": _obj({"force": {"type": "string"}, "neighbourhood": {"type": "string"}}),
    "Postcode": _obj({
        "postcode": {"type": "string"}, "latitude": {"type": "number"}, "longitude": {"type": "number"},
        "force": _ref("ForceSummary"), "neighbourhood": _ref("NeighbourhoodSummary"),
    }),
    "YouSaidWeDid": _obj({
        "date": {"type": "string", "format": "date"}, "you_said": {"type": "string"}, "we_did": {"type": "string"},
        "raised_at": _NULLABLE_STRING, "priority": _NULLABLE_STRING,
    }),
    "Meeting": _obj({
        "id": {"type": "integer"}, "title": {"type": "string"}, "type": {"type": "string"},
        "cancelled": {"type": "boolean"}, "start_date": {"type": "string"}, "end_date": {"type": "string"},
        "venue": {"type": "string"}, "address": _NULLABLE_STRING, "accessibility": _NULLABLE_STRING,
        "purpose": {"type": "string"}, "minutes": _NULLABLE_STRING,
        "attendance": {"type": "integer", "nullable": True},
    }),
    "Street": _obj({"id": {"type": "integer"}, "name": {"type": "string"}}),
    "CrimeLocation": {**_obj({"latitude": {"type": "string"}, "street": _ref("Street"),
                              "longitude": {"type": "string"}}), "nullable": True},
    "OutcomeStatus": {**_obj({"category": {"type": "string"}, "date": _MONTH}), "nullable": True},
    "Crime": _obj({
        "category": {"type": "string"}, "location_type": _NULLABLE_STRING, "location": _ref("CrimeLocation"),
        "context": {"type": "string"}, "outcome_status": _ref("OutcomeStatus"),
        "persistent_id": {"type": "string"}, "id": {"type": "integer"}, "location_subtype": {"type": "string"},
        "month": _MONTH,
    }),
    "CrimeWithoutOutcome": _obj({
        "category": {"type": "string"}, "location_type": _NULLABLE_STRING, "location": _ref("CrimeLocation"),
        "context": {"type": "string"}, "persistent_id": {"type": "string"}, "id": {"type": "integer"},
        "location_subtype": {"type": "string"}, "month": _MONTH,
    }),
    "CrimeCategory": _obj({"url": {"type": "string"}, "name": {"type": "string"}}),
    "LastUpdated": _obj({"date": {"type": "string", "format": "date"}}),
    "Outcome": _obj({
        "category": _obj({"code": {"type": "string"}, "name": {"type": "string"}}),
        "date": _MONTH, "person_id": _NULLABLE_STRING,
    }),
    "CrimeOutcomes": _obj({"crime": _ref("CrimeWithoutOutcome"), "outcomes": _list(_ref("Outcome"))}),
    "PledgeMonth": _obj({
        "month": {"type": "string", "example": "2026-10"},
        "value": {"type": "number", "nullable": True},
        "grade": {"type": "string", "enum": ["excellent", "good", "fair", "poor"], "nullable": True},
        "met": {"type": "boolean", "nullable": True},
        # Counts, except visible time's officer days (shifts spread over their dates: may be fractional).
        "done": {"type": "number", "nullable": True},
        "total": {"type": "number", "nullable": True},
        "explanation": _NULLABLE_STRING,
        "improvement": _NULLABLE_STRING,
        "late_changes": _list(_ref("PledgeLateChange")),
    }),
    "PledgeLateChange": _obj({
        "dated": {"type": "string", "format": "date"},
        "made_at": {"type": "string", "example": "2026-11-27T10:05:00"},  # London wall-clock time
        "action": {"type": "string", "enum": ["added", "changed", "cancelled", "recorded"]},
        "title": {"type": "string"},
    }),
    "PledgeLine": _obj({
        "measure": {"type": "string", "enum": ["messages", "feedback", "follow_up", "meetings", "priorities", "updates", "tenure",
                                                      "visible"]},
        "unit": {"type": "string", "enum": ["percent", "months"]},
        "value": {"type": "number", "nullable": True},
        "grade": {"type": "string", "enum": ["excellent", "good", "fair", "poor"], "nullable": True},
        "months_measured": {"type": "integer"}, "months_met": {"type": "integer"},
        "months": _list(_ref("PledgeMonth")),
    }, required=["measure", "unit", "value", "grade", "months_measured", "months_met"]),
    "PledgePeriod": _obj({"from": {"type": "string"}, "to": {"type": "string"}}),
    "PledgeThresholds": {"type": "object", "additionalProperties": {
        "type": "object", "additionalProperties": {"type": "number"}}},
    "TeamPerformance": _obj({
        "force": {"type": "string"}, "neighbourhood": {"type": "string"}, "period": _ref("PledgePeriod"),
        "thresholds": _ref("PledgeThresholds"), "measures": _list(_ref("PledgeLine")),
    }),
    "ForcePerformance": _obj({
        "force": {"type": "string"}, "period": _ref("PledgePeriod"),
        "thresholds": _ref("PledgeThresholds"),
        "teams": _list(_obj({"neighbourhood": {"type": "string"}, "name": {"type": "string"},
                             "measures": _list(_ref("PledgeLine"))})),
    }),
    "ConfidenceAnswered": _obj({
        "responses": {"type": "integer", "description": 'Answers to "Did we answer your question?"'},
        "shown": {"type": "boolean"},
        "counts": {"type": "object", "nullable": True, "properties": {
            "yes": {"type": "integer"}, "partly": {"type": "integer"}, "no": {"type": "integer"}}},
        "shares": {"type": "object", "nullable": True, "properties": {
            "yes": {"type": "number", "nullable": True}, "partly": {"type": "number", "nullable": True},
            "no": {"type": "number", "nullable": True}}},
    }),
    "ConfidenceQuarter": _obj({
        "quarter": {"type": "string", "pattern": r"^\d{4}-Q[1-4]$", "example": "2026-Q3"},
        "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
        "complete": {"type": "boolean", "description": "false for the quarter still running"},
        "responses": {"type": "integer", "description": "answers on the five-point scale (the denominator)"},
        "shown": {"type": "boolean", "description": "false below the minimum: no share, interval or breakdown"},
        "agree": {"type": "integer", "nullable": True, "description": "strongly agree + agree"},
        "dont_know": {"type": "integer", "nullable": True, "description": "not counted in the share"},
        "share": {"type": "number", "nullable": True, "minimum": 0, "maximum": 1},
        "interval": {"type": "array", "nullable": True, "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
                     "description": "95 % Wilson score interval, [low, high], 0 to 1"},
        "did_we_answer": _ref("ConfidenceAnswered"),
    }, required=["quarter", "from", "to", "complete", "responses", "shown", "agree", "dont_know", "share",
                 "interval"]),
    "TeamConfidence": _obj({
        "force": {"type": "string"}, "neighbourhood": {"type": "string"}, "question": {"type": "string"},
        "agreeing": _list({"type": "string"}), "scale": _list({"type": "string"}),
        "minimum": {"type": "integer"}, "interval": {"type": "string"},
        "quarters": _list(_ref("ConfidenceQuarter")),
    }),
    "ForceConfidence": _obj({
        "force": {"type": "string"}, "question": {"type": "string"},
        "agreeing": _list({"type": "string"}), "scale": _list({"type": "string"}),
        "minimum": {"type": "integer"}, "interval": {"type": "string"},
        "quarters": _list(_ref("ConfidenceQuarter")),
        "teams": _list(_obj({"neighbourhood": {"type": "string"}, "name": {"type": "string"},
                             "quarters": _list(_ref("ConfidenceQuarter"))})),
    }),
}

_CONFIDENCE = (
    "Residents' answers to the confidence question, asked after a reply to their message and at the end of a "
    "consultation: the share agreeing (strongly agree or agree) of those answering on the five-point scale, "
    "\"don't know\" not counted, per calendar quarter (Europe/London) with the number of answers and a 95 % "
    "Wilson score interval. Each answer counts once, in the quarter it was first given. Below the minimum "
    "number of answers only the count is given. The current quarter is included, marked complete: false."
)

_CRIMES_STREET = (
    "Street-level crimes of a month: within one mile of lat,lng, or inside the area poly. Categories are "
    "data.police.uk's slugs (all-crime for every one; see /crime-categories). Locations are the anonymised "
    "map points of the published data; street.id is the portal's id for the map point (the published files "
    "do not carry data.police.uk's). context is always empty (not imported) and outcome_status gives the "
    "latest outcome with the crime's month as its date. An area holding more than 10,000 crimes is refused "
    "with 503, as data.police.uk does; a poly longer than 4,094 characters with 400."
)
_OUTCOMES_FOR_CRIME = (
    "A crime by its 64-character persistent id, and its outcomes. The portal imports the street-level "
    "files, which hold only the latest outcome of each crime: outcomes has that one outcome (its "
    "data.police.uk code and name, dated with the crime's month), or is empty when none is published. "
    "Anti-social behaviour has no persistent id."
)


def _with_description(path, description):
    path["get"]["description"] = description
    return path


def _crimes_street():
    number = {"type": "number"}
    parameters = [
        {"name": "category", "in": "path", "required": True, "schema": {"type": "string"}, "example": "all-crime"},
        {"name": "lat", "in": "query", "required": False, "schema": number, "example": 53.7965},
        {"name": "lng", "in": "query", "required": False, "schema": number, "example": -1.5491},
        {"name": "poly", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "lat,lng:lat,lng:lat,lng — joined back to the first point",
         "example": "53.80,-1.56:53.80,-1.53:53.78,-1.545"},
        _DATE,
    ]
    too_many = _json(_ref("Error"), "The area holds more than 10,000 crimes")
    operation = _with_description(_get("Street-level crimes near a point or inside an area", _list(_ref("Crime")),
                                       parameters, {"400": _ERROR, "503": too_many}), _CRIMES_STREET)
    form_fields = {p["name"]: {**p["schema"], **({"description": p["description"]} if "description" in p else {})}
                   for p in parameters if p["in"] == "query"}
    post = {**operation["get"], "summary": "Street-level crimes near a point or inside an area (form-encoded, "
                                           "for polygons too long for a URL)",
            "parameters": [p for p in parameters if p["in"] == "path"],
            "requestBody": {"required": False, "content": {"application/x-www-form-urlencoded": {
                "schema": {"type": "object", "properties": form_fields, "additionalProperties": False},
                "example": {"poly": "53.80,-1.56:53.80,-1.53:53.78,-1.545", "date": "2018-07"}}}}}
    return {**operation, "post": post}


def openapi_document(server_url):
    team = (_FORCE, _NEIGHBOURHOOD)
    paths = {
        "/forces": _get("All forces", _list(_ref("ForceSummary"))),
        "/forces/{force}": _get("One force", _ref("Force"), [_FORCE]),
        "/{force}/neighbourhoods": _get("A force's neighbourhoods", _list(_ref("NeighbourhoodSummary")), [_FORCE]),
        "/{force}/{neighbourhood}": _get("A neighbourhood and how to contact its team", _ref("Neighbourhood"), team),
        "/{force}/{neighbourhood}/boundary": _get("The neighbourhood's outline", _list(_ref("Point")), team),
        "/{force}/{neighbourhood}/people": _get("The team's officers", _list(_ref("Person")), team),
        "/{force}/{neighbourhood}/events": _get("Upcoming public meetings", _list(_ref("Event")), team),
        "/{force}/{neighbourhood}/priorities": _get("Current priorities and the latest action",
                                                    _list(_ref("Priority")), team),
        "/locate-neighbourhood": _get(
            "The neighbourhood at a point", _ref("Located"),
            [{"name": "q", "in": "query", "required": True, "schema": {"type": "string"},
              "description": "latitude,longitude", "example": "53.7997,-1.5492"}],
            {"400": _ERROR},
        ),
        "/{force}/{neighbourhood}/you-said-we-did": _get(
            '"You said – We did": what residents raised and what the team did', _list(_ref("YouSaidWeDid")),
            team, tags=["Portal"]),
        "/{force}/{neighbourhood}/meetings": _get(
            "Meetings of the past year and upcoming, with minutes", _list(_ref("Meeting")), team, tags=["Portal"]),
        "/crimes-street/{category}": _crimes_street(),
        "/crime-categories": _get("Crime categories: url (the slug) and name", _list(_ref("CrimeCategory")),
                                  [_DATE], {"400": _ERROR}),
        "/crime-last-updated": _get("The latest month of crime data, as its first day", _ref("LastUpdated")),
        "/outcomes-for-crime/{persistent_id}": _with_description(_get(
            "A crime and its latest outcome", _ref("CrimeOutcomes"),
            [{"name": "persistent_id", "in": "path", "required": True, "schema": {"type": "string"},
              "example": "5e8e9d7b5f2c4b0a9a7c1d3e2f4a6b8c0d1e3f5a7b9c2d4e6f8a0b1c3d5e7f9a"}]),
            _OUTCOMES_FOR_CRIME),
        "/{force}/{neighbourhood}/performance": _get(
            "How the team is doing against the Policing Pledge: each measure graded month by month over the "
            "last 12 whole months, with the team's explanations of missed months", _ref("TeamPerformance"),
            team, tags=["Portal"]),
        "/{force}/{neighbourhood}/reported-problems": _get(
            "Local problems residents reported, only as counts by type in grid squares of about 1 km (0.009° by "
            "0.015°) over a whole quarter that has ended, each count at least the threshold (5); totals are sums "
            "of the counts shown. Never points or text",
            _ref("ReportedProblems"),
            [*team, {"name": "quarter", "in": "query", "required": False,
                     "schema": {"type": "string", "pattern": r"^\d{4}-Q[1-4]$"}, "example": "2026-Q3",
                     "description": "an ended quarter; the latest ended quarter when left out"}],
            {"400": _ERROR}, tags=["Portal"]),
        "/{force}/performance": _get(
            "Every team in the force against the Pledge: each measure's 12-month figure and grade",
            _ref("ForcePerformance"), [_FORCE], tags=["Portal"]),
        "/{force}/{neighbourhood}/confidence": _with_description(_get(
            "Residents' confidence in the team, per quarter, beside its Pledge figures", _ref("TeamConfidence"),
            team, tags=["Portal"]), _CONFIDENCE),
        "/{force}/confidence": _with_description(_get(
            "Residents' confidence across the force (all teams' answers pooled) and per team, per quarter",
            _ref("ForceConfidence"), [_FORCE], tags=["Portal"]), _CONFIDENCE),
        "/postcodes/{postcode}": _get(
            "A postcode's location, force and neighbourhood", _ref("Postcode"),
            [{"name": "postcode", "in": "path", "required": True, "schema": {"type": "string"}, "example": "LS1 1AZ"}],
            {"400": _ERROR}, tags=["Portal"]),
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Neighbourhood policing portal API",
            "version": "1",
            "description": "Compatible with data.police.uk's API for forces, neighbourhoods, their teams, "
                           "events and priorities, and street-level crimes and their outcomes, with the portal's own postcodes, meetings and "
                           '"You said – We did". Errors are JSON {"status", "error"}; by default 15 '
                           "requests a second per client with bursts of 30, beyond which 429 with Retry-After.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
