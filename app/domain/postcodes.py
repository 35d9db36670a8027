"""Parse, normalise and classify UK postcodes.

A postcode is an outward code (area letters, district digits, optional letter) and an
inward code (a digit and two letters), e.g. "LS1 1AZ", "SW1A 2AA", "M1 1AE". Input may
come with any spacing or case; the canonical form is upper case with one space.
"""
import re

_OUTWARD = r"(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"^({_OUTWARD})({_INWARD})$")
_OUTCODE = re.compile(rf"^{_OUTWARD}$")
_SPACES = re.compile(r"\s+")

# Postcode areas wholly in Scotland. TD and DG reach a few English addresses, but those
# lie inside an English neighbourhood's boundary, so only unclaimed ones are judged here.
SCOTTISH_AREAS = frozenset(
    "AB DD DG EH FK G HS IV KA KW KY ML PA PH TD ZE".split()
)
# Real postcode areas outside Great Britain: Northern Ireland, Isle of Man, Channel Islands.
OUTSIDE_GB_AREAS = frozenset("BT IM JE GY".split())


class InvalidPostcode(ValueError):
    pass


def normalise(text):
    """Return the canonical form of a postcode, or raise InvalidPostcode."""
    if not isinstance(text, str):
        raise InvalidPostcode("A postcode must be text")
    compact = _SPACES.sub("", text).upper()
    if compact == "GIR0AA":
        return "GIR 0AA"
    match = _POSTCODE.match(compact)
    if not match:
        raise InvalidPostcode(f"{text!r} is not a UK postcode")
    return f"{match.group(1)} {match.group(2)}"


def try_normalise(text):
    try:
        return normalise(text)
    except InvalidPostcode:
        return None


def is_outcode(text):
    """True for a postcode district on its own, e.g. "LS6" or "SW1A"."""
    return bool(_OUTCODE.match(_SPACES.sub("", text or "").upper()))


_SECTOR = re.compile(rf"^({_OUTWARD}) ?([0-9])$")


def as_sector(text):
    """"LS6 3" for a postcode sector typed on its own ("ls6 3", "LS63"), else None."""
    match = _SECTOR.match(_SPACES.sub(" ", (text or "").strip().upper()))
    if not match:
        compact = _SPACES.sub("", (text or "").upper())
        match = _SECTOR.match(compact[:-1] + " " + compact[-1:]) if len(compact) > 2 else None
    return f"{match.group(1)} {match.group(2)}" if match else None


def sort_key(code):
    """Orders postcode districts and sectors as people expect: LS2 before LS10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def area(postcode):
    """The letters at the start: "LS" for "LS1 1AZ", "G" for "G1 1AA"."""
    return re.match(r"[A-Z]+", postcode).group(0)


def outcode(postcode):
    return postcode.split(" ")[0]


def sector(postcode):
    """"LS1 1" for "LS1 1AZ": the unit alerts and messages can target."""
    return postcode[:-2]


def outside_great_britain(postcode):
    return area(postcode) in OUTSIDE_GB_AREAS
