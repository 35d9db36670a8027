"""Read OS Code-Point Open: headerless CSVs of ``postcode,quality,easting,northing``.

``read_codepoint(path, report)`` takes one file or a folder of ``*.csv`` / ``*.csv.gz``
and yields ``Batch``es of numpy arrays, one or more per file. Bad rows are skipped and
reported with a reason: malformed postcode, bad numbers, duplicate postcode.

A row with positional quality 90, or easting and northing 0, has *no coordinates*: it is
kept (the postcode exists) with NaN easting/northing/latitude/longitude, which the loader
stores as NULL. Eastings and northings (BNG, EPSG:27700) are converted to WGS84 with one
vectorised pyproj transform per batch and rounded to 6 decimal places.
"""
import gzip
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pyproj import Transformer

from app.domain.postcodes import _INWARD, _OUTWARD, try_normalise

NO_COORDINATES_QUALITY = 90
BATCH_ROWS = 250_000
# The extent of the British National Grid, generously.
MAX_EASTING = 800_000
MAX_NORTHING = 1_300_000

MALFORMED_POSTCODE = "malformed postcode"
BAD_NUMBERS = "bad numbers"
WRONG_COLUMNS = "wrong number of columns"
DUPLICATE = "duplicate postcode"

canonical = re.compile(rf"^{_OUTWARD} {_INWARD}$").match
# A whole file of well-formed rows (canonical postcode, three unsigned integers), CRLF or LF.
_ROW = rf"{_OUTWARD} {_INWARD},[0-9]{{1,3}},[0-9]{{1,6}},[0-9]{{1,7}}"
_REGULAR_FILE = re.compile(rf"(?:{_ROW}\r?\n)*(?:{_ROW}\r?\n?)?".encode("ascii")).fullmatch
_COLUMNS = np.dtype([("postcode", "U8"), ("quality", "i4"), ("easting", "i4"), ("northing", "i4")])
_TO_WGS84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


@dataclass
class Batch:
    source: str
    postcodes: list  # canonical str
    quality: np.ndarray  # int16
    easting: np.ndarray  # float64, NaN = no coordinates
    northing: np.ndarray
    latitude: np.ndarray  # float64 rounded to 6 dp, NaN = no coordinates
    longitude: np.ndarray

    def __len__(self):
        return len(self.postcodes)

    @property
    def has_coordinates(self):
        return np.isfinite(self.easting)

    def rows(self, *extra_columns):
        """Plain tuples ``(postcode, quality, easting, northing, lat, lon, *extra)``, None for
        missing coordinates."""
        return list(self.each_row(*extra_columns))

    def each_row(self, *extra_columns):
        """The same tuples one at a time (``zip`` over the columns, in C): a writer that takes
        an iterator never holds them all, and each tuple's memory is reused for the next.
        Built column-wise: numpy makes the Python numbers, and only the few rows without
        coordinates are patched to None."""
        missing = np.flatnonzero(~self.has_coordinates).tolist()
        columns = [self.postcodes, self.quality.tolist()]
        for values, kind in ((self.easting, np.int64), (self.northing, np.int64), (self.latitude, None), (self.longitude, None)):
            column = (np.nan_to_num(values).astype(kind) if kind else values).tolist()
            for index in missing:
                column[index] = None
            columns.append(column)
        return zip(*columns, *extra_columns)


def codepoint_files(path):
    """The files to read: the path itself, or the CSVs in a folder sorted by name."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"No such file or folder: {path}")
    return sorted(p for p in path.iterdir() if p.is_file() and (p.name.endswith(".csv") or p.name.endswith(".csv.gz")))


def _open_text(path):
    if str(path).endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


class SeenPostcodes:
    """The postcodes already read, kept compactly: each file's postcodes as one sorted numpy
    array of 64-bit keys (the postcode's 8 ASCII bytes, big-endian, so keys sort as the
    postcodes do), with its smallest and largest key. A national import holds 1.7 million
    postcodes: 14 MB here against about 180 MB as a set of str. A file is compared only
    with the earlier files whose key range overlaps its own (for Code-Point's one file per
    postcode area, none), so checking stays cheap whatever the order of the files."""

    def __init__(self):
        self.files = []  # (smallest key, largest key, sorted keys)

    def __len__(self):
        return sum(len(keys) for _, _, keys in self.files)

    def add_all(self, postcodes):
        self.add_sorted_keys(np.sort(postcode_keys(postcodes)))

    def add_sorted_keys(self, keys):
        if len(keys):
            self.files.append((keys[0], keys[-1], keys))

    def any_of(self, postcodes):
        """Whether any of ``postcodes`` was seen before."""
        return self.any_of_keys(postcode_keys(postcodes))

    def any_of_keys(self, keys):
        if not len(keys):
            return False
        low, high = keys.min(), keys.max()
        for smallest, largest, seen in self.files:
            if largest < low or smallest > high:
                continue
            at = np.searchsorted(seen, keys).clip(max=len(seen) - 1)
            if (seen[at] == keys).any():
                return True
        return False

    def __contains__(self, postcode):
        key = np.uint64(int.from_bytes(postcode.encode("ascii").ljust(8, b"\0"), "big"))
        for smallest, largest, seen in self.files:
            if smallest <= key <= largest:
                at = int(np.searchsorted(seen, key))
                if at < len(seen) and seen[at] == key:
                    return True
        return False


def postcode_keys(postcodes):
    """Canonical postcodes (at most 8 ASCII characters) as unsigned 64-bit keys in their order."""
    return np.asarray(postcodes, dtype="S8").view(">u8").astype(np.uint64)


def read_codepoint(path, report, seen=None, batch_rows=BATCH_ROWS, on_file=None):
    """Yield ``Batch``es from a file or folder; skipped rows go to ``report``.

    ``seen`` (a ``SeenPostcodes``) is shared across files so a postcode repeated anywhere is
    reported as a duplicate; the first occurrence wins.
    """
    seen = SeenPostcodes() if seen is None else seen
    for file in codepoint_files(path):
        if on_file:
            on_file(file)
        yield from _read_file(file, report, seen, batch_rows)


def _read_file(file, report, seen, batch_rows):
    """A file as batches: parsed in bulk when every row is regular (the published files
    are), otherwise row by row so that each bad row is skipped with its line number."""
    columns = _parse_regular(file, seen)
    if columns is None:
        yield from _read_rows_one_by_one(file, report, seen, batch_rows)
        return
    postcodes, quality, easting, northing, keys = columns
    seen.add_sorted_keys(keys)
    for start in range(0, len(postcodes), batch_rows):
        end = start + batch_rows
        yield make_batch(file.name, postcodes[start:end], quality[start:end], easting[start:end], northing[start:end])


def _parse_regular(file, seen):
    """(postcodes, quality, easting, northing, sorted keys of the postcodes) of a file whose
    rows all pass the row-by-row checks, parsed by numpy in C; None when any row would be
    skipped or is a duplicate."""
    with _open_binary(file) as handle:
        raw = handle.read()
    if not _REGULAR_FILE(raw):
        return None
    if not raw:
        return [], np.zeros(0, np.int16), np.zeros(0), np.zeros(0), np.zeros(0, np.uint64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy warns about an empty input; the regex ruled out bad rows
        table = np.loadtxt(io.BytesIO(raw), delimiter=",", dtype=_COLUMNS, ndmin=1, comments=None, encoding="ascii")
    quality, easting, northing = table["quality"], table["easting"], table["northing"]
    if (quality > 100).any() or (easting > MAX_EASTING).any() or (northing > MAX_NORTHING).any():
        return None
    # Each postcode as its key, sorted once: a repeat within the file is two equal neighbours
    # (the regex allows only canonical ASCII postcodes of at most 8 characters, so two
    # postcodes have equal keys only if they are the same).
    keys = np.sort(postcode_keys(table["postcode"]))
    if (keys[1:] == keys[:-1]).any() or seen.any_of_keys(keys):
        return None
    return table["postcode"].tolist(), quality, easting, northing, keys


def _open_binary(path):
    return gzip.open(path, "rb") if str(path).endswith(".gz") else open(path, "rb")


def _read_rows_one_by_one(file, report, seen, batch_rows):
    postcodes, quality, easting, northing = [], [], [], []
    in_this_file = set()
    source = file.name
    with _open_text(file) as handle:
        for line_number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line:
                continue
            fields = line.split(",")
            where = f"{source}:{line_number}"
            if len(fields) != 4:
                report.skip(WRONG_COLUMNS, where)
                continue
            raw_postcode, raw_quality, raw_easting, raw_northing = fields
            if canonical(raw_postcode):  # the usual case: already "LS1 1AZ"
                postcode = raw_postcode
            else:
                postcode = try_normalise(raw_postcode.strip().strip('"'))
                if postcode is None:
                    report.skip(MALFORMED_POSTCODE, f"{where} {raw_postcode!r}")
                    continue
            try:
                q = int(raw_quality)
                e = int(raw_easting)
                n = int(raw_northing)
            except ValueError:
                report.skip(BAD_NUMBERS, f"{where} {postcode}")
                continue
            if not (0 <= q <= 100 and 0 <= e <= MAX_EASTING and 0 <= n <= MAX_NORTHING):
                report.skip(BAD_NUMBERS, f"{where} {postcode}")
                continue
            if postcode in in_this_file or postcode in seen:
                report.skip(DUPLICATE, f"{where} {postcode}")
                continue
            in_this_file.add(postcode)
            postcodes.append(postcode)
            quality.append(q)
            easting.append(e)
            northing.append(n)
            if len(postcodes) >= batch_rows:
                yield make_batch(source, postcodes, quality, easting, northing)
                postcodes, quality, easting, northing = [], [], [], []
    seen.add_all(list(in_this_file))
    if postcodes:
        yield make_batch(source, postcodes, quality, easting, northing)


def make_batch(source, postcodes, quality, easting, northing):
    quality = np.asarray(quality, dtype=np.int16)
    e = np.asarray(easting, dtype=np.float64)
    n = np.asarray(northing, dtype=np.float64)
    no_coordinates = (quality == NO_COORDINATES_QUALITY) | ((e == 0) & (n == 0))
    e[no_coordinates] = np.nan
    n[no_coordinates] = np.nan
    lon, lat = bng_to_wgs84(e, n)
    return Batch(source, list(postcodes), quality, e, n, lat, lon)


def bng_to_wgs84(easting, northing):
    """Vectorised BNG → (lon, lat), rounded to 6 dp; NaN stays NaN."""
    e = np.asarray(easting, dtype=np.float64)
    n = np.asarray(northing, dtype=np.float64)
    lon = np.full(e.shape, np.nan)
    lat = np.full(e.shape, np.nan)
    ok = np.isfinite(e) & np.isfinite(n)
    if ok.any():
        x, y = _TO_WGS84.transform(e[ok], n[ok])
        lon[ok] = np.round(x, 6)
        lat[ok] = np.round(y, 6)
    return lon, lat
