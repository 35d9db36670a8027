"""Read data.police.uk street-level crime CSVs exactly as published.

Accepts one CSV, a gzipped CSV, a folder (searched recursively) or the monthly archive
zip, which holds every force's ``*-street.csv`` beside outcomes and stop-and-search
files; any file whose header is not the street-level header is skipped and reported.

Each file yields a ``CrimeFile`` of row tuples (``ROW_FIELDS``). Rows are judged here:

* anti-social behaviour has no Crime ID: it is still one row, counted once;
* no coordinates (``No Location``), or coordinates that cannot be read: the row is kept,
  counted for its force, with longitude/latitude None (never put on a map);
* no valid Month, no Crime type, no force, or the wrong number of columns: skipped,
  with the reason in the report.
"""
import csv
import gzip
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from app.importers.boundaries import force_slug

HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
          "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
ROW_FIELDS = ("month", "force_id", "crime_ref", "category", "outcome", "longitude", "latitude",
              "location", "lsoa_code", "lsoa_name")

NOT_STREET_FILE = "file is not a street-level crimes CSV (e.g. outcomes or stop and search)"
UNREADABLE = "unreadable file"
WRONG_COLUMNS = "row with the wrong number of columns"
BAD_MONTH = "row without a valid Month (YYYY-MM)"
NO_CATEGORY = "row without a Crime type"
NO_FORCE = "row without Reported by"
NO_LOCATION = "no location: counted for the force, not mapped"
BAD_COORDINATES = "coordinates unreadable or out of range: counted for the force, not mapped"

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# Forces whose data.police.uk id is not the plain slug of their "Reported by" name.
_CRIME_FORCE_IDS = {
    "british transport police": "btp",
    "police service of northern ireland": "northern-ireland",
}


def crime_force_id(reported_by):
    text = " ".join(reported_by.strip().lower().split())
    if text in _CRIME_FORCE_IDS:
        return _CRIME_FORCE_IDS[text]
    if text.endswith(" constabulary"):
        text = text[: -len(" constabulary")]
    return force_slug(text)


@dataclass
class CrimeFile:
    source: str
    rows: list = field(default_factory=list)  # tuples in ROW_FIELDS order
    force_names: dict = field(default_factory=dict)  # force id -> "Reported by" as written

    def __len__(self):
        return len(self.rows)


def read_police_uk(path, report, on_file=None):
    """Yield one CrimeFile per street-level CSV found at ``path``."""
    for name, open_text in _sources(Path(path)):
        if on_file:
            on_file(name)
        try:
            with open_text() as stream:
                crime_file = read_stream(stream, name, report)
        except (OSError, UnicodeDecodeError, csv.Error, zipfile.BadZipFile, EOFError) as error:
            report.skip(UNREADABLE, f"{name}: {error}")
            continue
        if crime_file is not None:
            yield crime_file


def read_stream(stream, name, report):
    """Parse one CSV text stream; None when it is not a street-level file."""
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None or [h.strip().lstrip("\ufeff") for h in header] != HEADER:
        report.skip(NOT_STREET_FILE, name)
        return None
    result = CrimeFile(source=name)
    rows = result.rows
    forces = {}
    for line, row in enumerate(reader, start=2):
        if len(row) != 12:
            if row:
                report.skip(WRONG_COLUMNS, f"{name}:{line}")
            continue
        crime_ref, month, reported_by, _falls_within, lon, lat, location, lsoa_code, lsoa_name, \
            category, outcome, _context = row
        month = month.strip()
        if not _MONTH.match(month):
            report.skip(BAD_MONTH, f"{name}:{line}")
            continue
        category = category.strip()
        if not category:
            report.skip(NO_CATEGORY, f"{name}:{line}")
            continue
        reported_by = reported_by.strip()
        if not reported_by:
            report.skip(NO_FORCE, f"{name}:{line}")
            continue
        force_id = forces.get(reported_by)
        if force_id is None:
            force_id = forces[reported_by] = crime_force_id(reported_by)
            result.force_names[force_id] = reported_by
        longitude, latitude = _coordinates(lon, lat, report, name, line)
        rows.append((month, force_id, crime_ref.strip() or None, category, outcome.strip() or None,
                     longitude, latitude, location.strip() or None, lsoa_code.strip() or None,
                     lsoa_name.strip() or None))
    return result


def _coordinates(lon, lat, report, name, line):
    lon, lat = lon.strip(), lat.strip()
    if not lon and not lat:
        report.note(NO_LOCATION)
        return None, None
    try:
        x, y = float(lon), float(lat)
    except ValueError:
        report.note(BAD_COORDINATES, f"{name}:{line}")
        return None, None
    if not (-180 <= x <= 180 and -90 <= y <= 90) or (x == 0 and y == 0):
        report.note(BAD_COORDINATES, f"{name}:{line}")
        return None, None
    return x, y


# -- where the CSVs are -----------------------------------------------------------------


def _is_csv(name):
    lower = name.lower()
    return lower.endswith(".csv") or lower.endswith(".csv.gz")


def _text(binary, name):
    if name.lower().endswith(".gz"):
        binary = gzip.open(binary)
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _sources(path):
    """(display name, opener) pairs, in a stable order."""
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            yield from _sources_of_file(file, display=str(file.relative_to(path)))
    else:
        yield from _sources_of_file(path, display=path.name)


def _sources_of_file(file, display):
    if file.name.lower().endswith(".zip"):
        yield from _zip_sources(file, display)
    elif _is_csv(file.name):
        yield display, lambda: _text(open(file, "rb"), file.name)


def _zip_sources(file, display):
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as error:
        def fail(error=error):
            raise error
        yield display, fail
        return
    with archive:
        for member in sorted(archive.namelist()):
            if _is_csv(member):
                yield f"{display}/{member}", lambda m=member: _text(archive.open(m), m)
