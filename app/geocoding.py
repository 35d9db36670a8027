"""Street and place names → a point, through a Nominatim geocoder (geopy).

Code-Point Open has no street names, so "find your team by street" needs a geocoder.
It is off unless GEOCODER_URL names a Nominatim server (a force's own, or a hosted one
whose usage policy it meets); search by team, neighbourhood, council and postcode
district works without it. Nothing here knows Flask.
"""
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    address: str


def make_geocoder(url, user_agent, timeout=3):
    """A geopy Nominatim for a base URL like "https://nominatim.example.org", or None."""
    if not url:
        return None
    parts = urlsplit(url)
    return Nominatim(domain=parts.netloc + parts.path.rstrip("/"), scheme=parts.scheme or "https",
                     user_agent=user_agent, timeout=timeout)


def geocode_place(geocoder, text):
    """The best match for `text` in Great Britain, or None (nothing found, or the geocoder failed)."""
    try:
        location = geocoder.geocode(text, exactly_one=True, country_codes="gb")
    except GeopyError as error:
        log.warning("geocoder failed for %r: %s", text, error)
        return None
    if location is None:
        return None
    return Place(location.latitude, location.longitude, location.address)
