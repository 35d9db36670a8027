"""Read the names residents use for neighbourhoods.

* House of Commons Library "MSOA names" CSV, columns exactly
  ``msoa11cd,msoa11nm,msoa11nmw,msoa11hclnm,msoa11hclnmw,Laname``: the HCL name in English
  (``msoa11hclnm``) and Welsh (``msoa11hclnmw``, empty in England) of each 2011 MSOA.
* data.police.uk's list of a force's neighbourhoods (``/api/<force>/neighbourhoods``
  saved as JSON): ``[{"id": "...", "name": "..."}]``, ids as in the force's boundary KML.

``read_names(path, report)`` takes a file or a folder of them (``.csv``/``.json``, plain
or ``.gz``) and yields ``NeighbourhoodName``s; rows it cannot use are skipped with a reason.
"""
import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path

HCL_COLUMNS = ["msoa11cd", "msoa11nm", "msoa11nmw", "msoa11hclnm", "msoa11hclnmw", "Laname"]


@dataclass(frozen=True)
class NeighbourhoodName:
    neighbourhood_id: str
    name: str
    name_cy: str | None = None


def _open_text(path):
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # older downloads of the HCL file are Windows-1252
        return raw.decode("cp1252")


def _kind(path):
    name = path.name.lower().removesuffix(".gz")
    return "csv" if name.endswith(".csv") else "json" if name.endswith(".json") else None


def read_names(path, report, on_file=None):
    path = Path(path)
    files = sorted(p for p in path.iterdir() if _kind(p)) if path.is_dir() else [path]
    for file in files:
        if on_file:
            on_file(file)
        kind = _kind(file)
        if kind == "csv":
            yield from read_hcl_names(_open_text(file), report)
        elif kind == "json":
            yield from read_police_neighbourhoods(_open_text(file), report)
        else:
            report.skip("not a .csv or .json file", file.name)


def read_hcl_names(text, report):
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    if header != HCL_COLUMNS:
        report.skip("CSV without the House of Commons Library MSOA names columns", ",".join(header)[:80])
        return
    for line, row in enumerate(reader, start=2):
        code = (row["msoa11cd"] or "").strip()
        name = (row["msoa11hclnm"] or "").strip()
        if not code:
            report.skip("row without an MSOA code", f"line {line}")
        elif not name:
            report.skip("row without a House of Commons Library name", code)
        else:
            yield NeighbourhoodName(code, name, (row["msoa11hclnmw"] or "").strip() or None)


def read_police_neighbourhoods(text, report):
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        report.skip("file is not JSON", str(error)[:80])
        return
    if not isinstance(items, list):
        report.skip("JSON is not a list of neighbourhoods", type(items).__name__)
        return
    for item in items:
        if not isinstance(item, dict) or not str(item.get("id") or "").strip():
            report.skip("neighbourhood without an id", str(item)[:60])
        elif not str(item.get("name") or "").strip():
            report.skip("neighbourhood without a name", item["id"])
        else:
            yield NeighbourhoodName(str(item["id"]).strip(), " ".join(str(item["name"]).split()))
