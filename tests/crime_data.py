"""Helpers for the crime tests: the bundled Leeds extract, and small hand-made CSVs."""
import csv
import gzip
import io
from pathlib import Path

from app.importers.police_uk import HEADER

ROOT = Path(__file__).resolve().parent.parent
DEMO_CRIMES = ROOT / "data" / "demo" / "crimes" / "2018-07-leeds-street.csv.gz"
DEMO_NEIGHBOURHOODS = ROOT / "data" / "demo" / "neighbourhoods.geojson.gz"
LEEDS_CITY_CENTRE = (-1.5491, 53.7965)


def csv_text(rows, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def crime_row(crime_id="abc", month="2018-07", force="West Yorkshire Police", lon="-1.549", lat="53.7965",
              location="On or near Park Row", lsoa="E01033010", lsoa_name="Leeds 111A",
              category="Burglary", outcome="Under investigation"):
    return [crime_id, month, force, force, lon, lat, location, lsoa, lsoa_name, category, outcome, ""]


def demo_rows():
    """The extract read with csv.DictReader: an independent reading for expected counts."""
    with gzip.open(DEMO_CRIMES, "rt", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
