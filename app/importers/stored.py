"""What the importers share below them: reading the stored boundaries back, and writing
rows in bulk (COPY on PostgreSQL). Both loading.py and crime_store.py build on this module,
so neither imports the other's private helpers."""
import csv
import gc
import io
import multiprocessing
import queue
import sqlite3
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import (JSON, BigInteger, Boolean, Float, Integer, MetaData, SmallInteger, String, Table, Text, event,
                        select)
from sqlalchemy.pool import Pool

from app.domain.areas import Boundaries
from app.models.geography import DataVersion, Neighbourhood

neighbourhoods_table = Neighbourhood.__table__
COPY_ROWS = 100_000


def is_postgres(conn):
    return conn.dialect.name == "postgresql"


def temp_table(name, *columns):
    return Table(name, MetaData(), *columns, prefixes=["TEMPORARY"])


def copies_in_binary(conn):
    """Whether rows can be written by binary COPY (PostgreSQL under psycopg 3)."""
    return is_postgres(conn) and conn.dialect.driver == "psycopg"


def copy_in_binary(conn, table_name, names, binary_types, rows):
    """Binary COPY of tuples into ``table_name (names)``, each row formatted by psycopg's C
    code (about a tenth of the client's CPU of formatting CSV in Python, and less parsing
    for the server)."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        with cursor.copy(f"COPY {table_name} ({', '.join(names)}) FROM STDIN WITH (FORMAT binary)") as copy:
            copy.set_types(binary_types)
            write_row = copy.write_row
            for row in rows:
                write_row(row)
    finally:
        cursor.close()


# PostgreSQL's binary COPY: a header (signature, no flags, no extension), the rows, a trailer.
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
COPY_TRAILER = b"\xff\xff"


def binary_copy_rows(columns):
    """Rows in PostgreSQL's binary COPY format (without its header and trailer), made column
    by column with numpy: about a third of the client's CPU of psycopg formatting each row
    from Python tuples, which for a national postcode load is time taken from the process
    reading the files on a two-core machine.

    ``columns``, in the COPY's column order, each ``(values, lengths)``: ``values`` a numpy
    array of big-endian numbers (``>i2``, ``>i4``, ``>f8``: the binary form of int2, int4 and
    float8) or of bytes (``S<n>``: UTF-8 text, padded); ``lengths`` None when every value is
    whole, else an int32 array of each value's length in bytes (at most its dtype's size),
    -1 for NULL. Each row is the field count, then each field's length and its bytes; the
    rows are laid out at full width and the bytes of short values and NULLs left out."""
    count = len(columns[0][0])
    fields = [("fields", ">i2")]
    for number, (values, _) in enumerate(columns):
        fields += [(f"length{number}", ">i4"), (f"value{number}", values.dtype)]
    layout = np.dtype(fields)  # packed, as the format is: no padding between fields
    rows = np.empty(count, layout)
    rows["fields"] = len(columns)
    kept = None
    for number, (values, lengths) in enumerate(columns):
        size = values.dtype.itemsize
        rows[f"value{number}"] = values
        rows[f"length{number}"] = size if lengths is None else lengths
        short = np.empty(0, dtype=np.intp) if lengths is None else np.flatnonzero(lengths < size)
        if len(short):
            if kept is None:
                kept = np.ones((count, layout.itemsize), dtype=bool)
            start = layout.fields[f"value{number}"][1]
            kept[short, start:start + size] = np.arange(size) < np.maximum(lengths[short], 0)[:, None]
    laid_out = rows.view(np.uint8).reshape(count, layout.itemsize)
    return (laid_out if kept is None else laid_out[kept]).tobytes()


@contextmanager
def binary_copy(conn, table_name, names, freeze=False):
    """One ``COPY table_name (names) FROM STDIN`` in binary (psycopg 3) for rows made by
    ``binary_copy_rows``: yields a function that sends some rows. However many batches are
    sent, it is one statement: the server takes each batch in while the caller makes the
    next, instead of the two waiting for each other at the end of a COPY a batch. An error
    in the block ends the COPY as failed (the transaction then rolls back) and is raised
    as it was. ``freeze``: COPY … FREEZE, for a table emptied (TRUNCATE) or created in this
    same transaction: the rows are written already frozen and the pages marked all-visible,
    so nothing has to visit them again to set hint bits or freeze them, and the scans that
    check the keys built after the load skip the per-row visibility test."""
    options = "FORMAT binary, FREEZE" if freeze else "FORMAT binary"
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        with cursor.copy(f"COPY {table_name} ({', '.join(names)}) FROM STDIN WITH ({options})") as copy:
            copy.write(COPY_HEADER)
            yield copy.write
            copy.write(COPY_TRAILER)
    finally:
        cursor.close()


# PostgreSQL's name for each column type, as a binary COPY is told it; subclasses before
# their bases (Text is a String, SmallInteger and BigInteger are Integers).
_BINARY_TYPES = ((JSON, "json"), (Text, "text"), (String, "varchar"), (SmallInteger, "int2"),
                 (BigInteger, "int8"), (Integer, "int4"), (Float, "float8"), (Boolean, "bool"))


def _binary_type(column_type):
    """PostgreSQL's name for a column type, as a binary COPY is told it."""
    for python_type, name in _BINARY_TYPES:
        if isinstance(column_type, python_type):
            return name
    raise TypeError(f"no binary COPY type for {column_type!r}")


def insert_many(conn, table, rows):
    """Insert ``rows`` (dicts with the same keys) into ``table``: one binary COPY on
    PostgreSQL under psycopg 3 (where an executemany is a statement a row: a national
    boundary import inserts 7,201 neighbourhoods and as many teams), else an executemany.
    Constraints and foreign keys are checked as for an INSERT; a column the rows leave out
    gets the database's default (SQLAlchemy's Python-side defaults are not applied by COPY),
    so give every column that has one."""
    if not rows:
        return
    if not copies_in_binary(conn):
        conn.execute(table.insert(), rows)
        return
    names = list(rows[0])
    types = [_binary_type(table.c[name].type) for name in names]
    copy_in_binary(conn, table.name, names, types, (tuple(row[name] for name in names) for row in rows))


def bulk_insert(conn, table, rows, freeze=False):
    """Insert tuples fast: a CSV COPY on PostgreSQL, executemany elsewhere. ``freeze``:
    COPY … FREEZE (see ``binary_copy``)."""
    if not rows:
        return
    names = [c.name for c in table.columns]
    if is_postgres(conn):
        cursor = conn.connection.dbapi_connection.cursor()
        copy = f"COPY {table.name} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv{', FREEZE' if freeze else ''})"
        for start in range(0, len(rows), COPY_ROWS):
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerows(["" if v is None else v for v in row] for row in rows[start : start + COPY_ROWS])
            if hasattr(cursor, "copy_expert"):  # psycopg2
                buffer.seek(0)
                cursor.copy_expert(copy, buffer)
            else:  # psycopg 3
                with cursor.copy(copy) as pipe:
                    pipe.write(buffer.getvalue())
        cursor.close()
    else:
        # executemany of plain tuples on the driver's cursor: SQLAlchemy's per-row dict
        # handling would cost more than the insert itself at a million rows.
        statement = str(table.insert().compile(dialect=conn.dialect))
        if conn.dialect.paramstyle == "qmark":
            cursor = conn.connection.dbapi_connection.cursor()
            cursor.executemany(statement, rows)
            cursor.close()
        else:
            conn.execute(table.insert(), [dict(zip(names, row)) for row in rows])


# SQLite's page cache for a bulk load (KiB, as a negative cache_size): the postcodes table
# and its two indexes stay in memory instead of being re-read page by page.
BULK_LOAD_CACHE_KIB = 32_768


_DONE = object()


def read_ahead(items, depth=2):
    """Yield ``items`` while a thread makes the next ones (at most ``depth`` waiting).

    An error in the producing thread is raised here, in the caller's thread, so the
    caller's transaction rolls back as if it had been one loop; if the caller stops early
    (an error of its own), the thread is told to stop and is waited for."""
    waiting = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(item):
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            for item in items:
                if not hand_over((item, None)):
                    return
            hand_over((_DONE, None))
        except BaseException as error:  # noqa: BLE001 - handed to the consuming thread
            hand_over((_DONE, error))

    thread = threading.Thread(target=produce, name="import-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = waiting.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        thread.join()


def read_in_another_process(items, report=None):
    """Yield ``items`` (picklable) made in a forked child process while this one goes on
    with the previous ones: on two cores, reading, projecting and assigning postcodes runs
    beside the database writes instead of taking turns with them for the GIL.

    What the child does to ``report`` (rows skipped and why) is brought back at the end,
    and what it prints (progress) is printed here, in order. An error in the child is
    raised here, so the caller's transaction rolls back; if the caller stops early, the
    child is stopped. The child never touches the database: it leaves by ``os._exit``
    (multiprocessing's fork start), so the connection it inherited is not closed by it.
    Without ``fork`` (Windows), or inside a daemonic process (which may not have children:
    a multiprocessing pool's worker), a thread reads ahead instead."""
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        context = None
    if context is None or multiprocessing.current_process().daemon:
        yield from read_ahead(items)
        return
    receiving, sending = context.Pipe(duplex=False)
    _widen_pipe(receiving)
    child = context.Process(target=_make_in_child, args=(items, sending, receiving, report),
                            name="import-reader", daemon=True)
    child.start()
    sending.close()
    try:
        while True:
            try:
                kind, payload, printed = receiving.recv()
            except EOFError:
                child.join()
                raise RuntimeError(f"the import's reading process stopped (exit code {child.exitcode})") from None
            if printed:
                sys.stdout.write(printed)
            if kind == "item":
                yield payload
            elif kind == "error":
                raise payload
            else:
                if report is not None:
                    report.__dict__.update(payload.__dict__)
                return
    finally:
        receiving.close()
        if child.is_alive():
            child.terminate()
        child.join()


# The pipe from the reading child holds this much (Linux's limit for an unprivileged process,
# /proc/sys/fs/pipe-max-size, is 1 MiB by default; the default pipe, 64 KiB). With a default
# pipe the child could not send a batch (about 1 MB) until the parent asked for it, so the
# two took turns; with room for a batch the child reads the next file while the parent is
# still writing the one before, and a slow batch on one side is not a wait on the other.
PIPE_BYTES = 1 << 20


def _widen_pipe(connection):
    """Give the pipe room for about a batch (Linux; elsewhere, or if refused, as it was)."""
    try:
        import fcntl

        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, min(PIPE_BYTES, limit))
    except (ImportError, AttributeError, OSError, ValueError):
        pass


def _make_in_child(items, sending, parents_end, report):
    parents_end.close()  # so that, if the parent dies, sending fails here instead of waiting for ever
    printed = io.StringIO()
    sys.stdout = printed

    def take_printed():
        text = printed.getvalue()
        printed.seek(0)
        printed.truncate()
        return text

    try:
        for item in items:
            sending.send(("item", item, take_printed()))
        sending.send(("done", report, take_printed()))
    except BaseException as error:  # noqa: BLE001 - handed to the parent
        try:
            sending.send(("error", error, take_printed()))
        except Exception:  # noqa: BLE001 - the parent stopped listening, or the error will not pickle
            try:
                sending.send(("error", RuntimeError(f"{type(error).__name__}: {error}"), ""))
            except Exception:  # noqa: BLE001, S110 - the parent has gone: nothing to tell
                pass
    finally:
        sending.close()


@contextmanager
def no_cyclic_gc():
    """No cyclic garbage collection while millions of row tuples are made: none of them is
    in a cycle, and each collection would walk them all again, which cost more than the
    load itself. Collection resumes as it was afterwards, error or not."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def bulk_load_settings(conn):
    """For the length of a bulk load: no cyclic garbage collection, and on SQLite a larger
    page cache (the postcodes table and its indexes stay in memory instead of being read
    again page by page); then both as they were (the connection goes back to the pool).
    Durability is untouched: the load is one ordinary transaction."""
    with no_cyclic_gc(), _sqlite_page_cache(conn):
        yield


@contextmanager
def _sqlite_page_cache(conn):
    if conn.dialect.name != "sqlite":
        yield
        return
    cursor = conn.connection.dbapi_connection.cursor()
    previous = cursor.execute("PRAGMA cache_size").fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = -{BULK_LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(previous)}")
        cursor.close()


# SQLite checks a foreign key with one look-up in the parent table's key for every row
# written: a fifth of the CPU of inserting the national postcodes. A bulk load into SQLite
# may instead switch the check off on its own connection and check every key at the end,
# once, inside its transaction (``foreign_keys_checked_at_the_end``, ``check_foreign_keys``).
_FOREIGN_KEYS_OFF = "foreign keys switched off for a bulk load"


def foreign_keys_checked_at_the_end(conn):
    """SQLite: switch foreign-key enforcement off on this connection (only) and begin the
    load's transaction; True if done. The caller must then call ``check_foreign_keys`` for
    every table it wrote before its transaction commits.

    SQLite ignores the pragma inside a transaction, so this is done only when none has
    begun on the connection yet (pysqlite begins one at the first write); otherwise, or on
    another database, nothing changes and False is returned (every row checked as usual).
    Enforcement comes back on when the connection goes back to the pool, whether the load
    committed or rolled back: other connections never had it off."""
    if conn.dialect.name != "sqlite":
        return False
    dbapi_connection = conn.connection.dbapi_connection
    if dbapi_connection.in_transaction or not dbapi_connection.execute("PRAGMA foreign_keys").fetchone()[0]:
        return False
    conn.connection.info[_FOREIGN_KEYS_OFF] = True
    dbapi_connection.execute("PRAGMA foreign_keys = OFF")
    dbapi_connection.execute("BEGIN")
    return True


def check_foreign_keys(conn, table, column, parent_table, parent_column):
    """Raise ``sqlite3.IntegrityError`` (as SQLite itself would have, at the first row) if
    any ``table.column`` names a row ``parent_table`` does not hold: one pass over the
    column's index, one key look-up for each distinct value."""
    missing = conn.connection.dbapi_connection.execute(
        f"SELECT d.{column} FROM (SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL) AS d "
        f"WHERE NOT EXISTS (SELECT 1 FROM {parent_table} WHERE {parent_table}.{parent_column} = d.{column}) LIMIT 1"
    ).fetchone()
    if missing is not None:
        raise sqlite3.IntegrityError(f"FOREIGN KEY constraint failed: {table}.{column} {missing[0]!r} is not in "
                                     f"{parent_table}")


@event.listens_for(Pool, "checkin")
def _foreign_keys_back_on(dbapi_connection, connection_record):
    if connection_record is None or not connection_record.info.pop(_FOREIGN_KEYS_OFF, False):
        return
    if dbapi_connection is None:  # closed, not to be used again
        return
    if dbapi_connection.in_transaction:  # the pool's reset has rolled back already; be sure
        dbapi_connection.rollback()
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


# -- postcodes --------------------------------------------------------------------------


def boundary_features_from_db(conn):
    """``(id, wgs84_geometry)`` pairs of the stored neighbourhoods (GeoJSON parsed at once)."""
    rows = conn.execute(select(neighbourhoods_table.c.id, neighbourhoods_table.c.boundary_geojson)).all()
    if not rows:
        return []
    return list(zip([r[0] for r in rows], shapely.from_geojson([r[1] for r in rows])))


def boundaries_from_db(conn):
    """The stored neighbourhood boundaries as a Boundaries index (None when there are none).

    For the web layer's single-point lookups, cache it per version::

        boundaries = cached_boundaries(boundaries_version(conn), lambda: boundary_features_from_db(conn))
        neighbourhood_id = boundaries.locate(lat, lng, max_distance=...)
    """
    features = boundary_features_from_db(conn)
    return Boundaries(features) if features else None


def boundaries_version(conn):
    """The stored boundaries' version, moved on by load_boundaries whenever they change:
    the key for caching a Boundaries index."""
    return DataVersion.current(conn, DataVersion.BOUNDARIES)
