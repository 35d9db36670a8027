"""Rendered tiles, cached in memory (small LRU) and on disk, keyed by the data version.

Because the key holds the month's data version, a re-import can never serve a stale tile;
``invalidate_months`` (called by the import) also removes the superseded files from disk.
The month's neighbourhood totals (what zoomed-out tiles draw) are kept per process, keyed
the same way.
"""
import hashlib
import shutil
import threading
from collections import OrderedDict
from pathlib import Path

from app.queries import crime as crime_queries

RENDER_VERSION = "r1"  # bump when the tile drawing changes, so caches and ETags move on


def data_version(month):
    """Changes whenever any release of the month is imported again with different rows."""
    rows = crime_queries.release_fingerprints(month)
    text = RENDER_VERSION + ";" + ";".join(f"{f}:{v}:{d}" for f, v, d in rows)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


_totals_lock = threading.Lock()
_totals = OrderedDict()  # (month, version, category) -> (lons, lats, counts) of every neighbourhood


def neighbourhood_totals(month, category, west, south, east, north, version=None):
    """(lons, lats, counts) at the centres of the neighbourhoods whose centre is in the box.

    The month's totals are computed once per data version (one pass over the month) and
    kept, so the zoomed-out tiles of a national month do not each aggregate every crime.
    """
    key = (month, version or data_version(month), category)
    with _totals_lock:
        found = _totals.get(key)
    if found is None:
        found = crime_queries.neighbourhood_totals(month, category)
        with _totals_lock:
            _totals[key] = found
            while len(_totals) > 32:
                _totals.popitem(last=False)
    lons, lats, counts = found
    inside = (lons >= west) & (lons <= east) & (lats >= south) & (lats <= north)
    return lons[inside], lats[inside], counts[inside]


class TileCache:
    def __init__(self, root, max_entries=4096):
        self.root = Path(root)
        self.max_entries = max_entries
        self._memory = OrderedDict()
        self._lock = threading.Lock()

    def _path(self, key):
        month, version, *rest = key
        return self.root.joinpath(month, version, *[str(p) for p in rest[:-1]], f"{rest[-1]}.png")

    def get(self, key):
        with self._lock:
            png = self._memory.get(key)
            if png is not None:
                self._memory.move_to_end(key)
                return png
        path = self._path(key)
        try:
            png = path.read_bytes()
        except OSError:
            return None
        self._remember(key, png)
        return png

    def put(self, key, png):
        self._remember(key, png)
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{threading.get_ident()}.tmp")
            partial.write_bytes(png)
            partial.replace(path)
        except OSError:
            pass  # a read-only or full disk only costs a re-render

    def _remember(self, key, png):
        with self._lock:
            self._memory[key] = png
            self._memory.move_to_end(key)
            while len(self._memory) > self.max_entries:
                self._memory.popitem(last=False)

    def get_or_render(self, key, render):
        png = self.get(key)
        if png is None:
            png = render()
            self.put(key, png)
        return png

    def clear_memory(self):
        with self._lock:
            self._memory.clear()


def cache_root(app):
    return app.config.get("TILE_CACHE_DIR") or str(Path(app.instance_path) / "tile-cache")


def invalidate_months(root, months):
    """Remove every cached tile of these months from disk."""
    for month in set(months):
        shutil.rmtree(Path(root) / month, ignore_errors=True)
