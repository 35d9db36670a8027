"""Queries shared by the pages and the JSON API: postcode → team, place search."""
import threading
from dataclasses import dataclass
from enum import Enum
from functools import cache

from sqlalchemy import bindparam, create_engine, func, or_, select
from sqlalchemy.pool import NullPool

from app.domain import postcodes
from app.extensions import db
from app.models import DataVersion, Force, Neighbourhood, Postcode, Team


class PostcodeStatus(Enum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NO_COORDINATES = "no_coordinates"
    OUTSIDE_COVERAGE = "outside_coverage"
    FOUND = "found"


@dataclass
class PostcodeRecord:
    postcode: str
    latitude: float | None
    longitude: float | None
    neighbourhood_id: str | None
    neighbourhood_name: str | None
    force_id: str | None
    force_name: str | None


@dataclass
class PostcodeLookup:
    status: PostcodeStatus
    query: str
    postcode: str | None = None
    record: PostcodeRecord | None = None
    # A well-formed postcode whose whole postcode area has no data loaded (the demo has
    # Leeds only, so CF10 1AA): the answer is "we have data for …", not "check the postcode".
    outside_loaded_area: bool = False


# One indexed read of plain columns: this is the hottest query the portal has.
_POSTCODE_QUERY = (
    select(Postcode.postcode, Postcode.latitude, Postcode.longitude, Postcode.neighbourhood_id,
           Neighbourhood.name, Neighbourhood.force_id, Force.name)
    .outerjoin(Neighbourhood, Neighbourhood.id == Postcode.neighbourhood_id)
    .outerjoin(Force, Force.id == Neighbourhood.force_id)
)
# Built once and run on the session's connection: building the statement and the ORM's
# execution path cost 0.19 ms a lookup, this 0.035 ms (cProfile of the API request).
_POSTCODE_BY_CANONICAL = _POSTCODE_QUERY.where(Postcode.postcode == bindparam("postcode"))
_driver_statements = {}


def _driver_statement(dialect):
    """The look-up's SQL for the database driver, compiled once per dialect, with its one
    parameter positional (psycopg's "%s", SQLite's "?"): (sql, positional)."""
    statement = _driver_statements.get(dialect.name)
    if statement is None:
        compiled = _POSTCODE_BY_CANONICAL.compile(dialect=dialect)
        if compiled.positiontup is None and "format" in getattr(dialect.loaded_dbapi, "paramstyle", ""):
            compiled = _POSTCODE_BY_CANONICAL.compile(dialect=type(dialect)(paramstyle="format"))
        statement = _driver_statements[dialect.name] = (compiled.string, compiled.positiontup is not None)
    return statement


def _postcode_row(connection, canonical):
    """The look-up's row read through the database driver's own cursor, with the statement
    compiled once per dialect: SQLAlchemy's execution path was half the look-up's CPU (40 of
    80 microseconds), a twentieth of an API request's (issue 15, third round)."""
    sql, positional = _driver_statement(connection.dialect)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, (canonical,) if positional else {"postcode": canonical})
        return cursor.fetchone()
    finally:
        cursor.close()


class _HeldReader:
    """A thread's own connection for the API's look-ups (see _held_reader), with one cursor
    kept open on it and the statement compiled for its driver: a cursor made and closed for
    each request, the statement's parameter by name and the engine's URL compared were a
    third of the look-up's client CPU on PostgreSQL (issue 15, fourth round)."""

    def __init__(self, engine):
        self.url = engine.url
        self.connection = engine.connect()
        self.cursor = self.connection.connection.dbapi_connection.cursor()
        self.sql, self.positional = _driver_statement(self.connection.dialect)

    app_engine = None  # the app's engine this reader was last found to serve (its URL's)

    def serves(self, url):
        return (url is self.url or url == self.url) and self.alive()

    def alive(self):
        connection = self.connection
        return not connection.closed and not connection.invalidated

    def row(self, canonical):
        self.cursor.execute(self.sql, (canonical,) if self.positional else {"postcode": canonical})
        # Read to the end: SQLite then resets the statement, so the thread holds no read lock
        # between requests (a writer, an import, never waits for it).
        rows = self.cursor.fetchall()
        return rows[0] if rows else None

    def invalidate(self):
        self.connection.invalidate()


class _PreparedPostgresReader(_HeldReader):
    """On psycopg 3: the look-up as a server-side prepared statement run with libpq's own
    PQexecPrepared (psycopg.pq, psycopg's documented libpq binding) in one blocking call.
    psycopg's cursor sends the statement and then waits for its answer, two hand-overs of the
    interpreter lock each time, and adapts the parameter and each value in Python: 30 µs of
    the worker's CPU a look-up against 14 µs, and 36 µs of the server's against 30 µs (the
    Describe and Sync it sends with it), measured one look-up after another (issue 15, fourth
    round). The seven columns are text and two float8s, read as psycopg's text loaders read
    them (PostgreSQL prints a float8 in the shortest form that reads back exactly)."""

    NAME = b"portal_postcode_lookup"
    FLOATS = (1, 2)  # latitude, longitude

    def __init__(self, engine):
        super().__init__(engine)
        from psycopg import pq

        self.pq = pq
        self.pgconn = self.connection.connection.dbapi_connection.pgconn
        self.encoding = self.connection.connection.dbapi_connection.info.encoding
        self._prepare()

    def _prepare(self):
        sql = self.sql.replace("%s", "$1", 1) if self.positional else self.sql.replace("%(postcode)s", "$1")
        self._check(self.pgconn.prepare(self.NAME, sql.encode(self.encoding)), self.pq.ExecStatus.COMMAND_OK)

    def _check(self, result, wanted):
        if result.status == wanted:
            return result
        import psycopg

        message = (result.error_message or self.pgconn.error_message).decode(self.encoding, "replace").strip()
        if self.pgconn.status != self.pq.ConnStatus.OK:
            raise psycopg.OperationalError(message)
        raise psycopg.DatabaseError(message)

    def row(self, canonical):
        import psycopg

        try:
            result = self._check(self.pgconn.exec_prepared(self.NAME, [canonical.encode(self.encoding)]),
                                 self.pq.ExecStatus.TUPLES_OK)
        except psycopg.OperationalError:
            raise
        except psycopg.DatabaseError:
            # The statement is gone or its plan no longer fits (a migration changed a column):
            # prepare it again, once.
            self.pgconn.exec_(b"DEALLOCATE " + self.NAME)
            self._prepare()
            result = self._check(self.pgconn.exec_prepared(self.NAME, [canonical.encode(self.encoding)]),
                                 self.pq.ExecStatus.TUPLES_OK)
        if not result.ntuples:
            return None
        values = [result.get_value(0, column) for column in range(result.nfields)]
        return tuple(None if value is None else float(value) if column in self.FLOATS
                     else value.decode(self.encoding) for column, value in enumerate(values))


def read_connection():
    """A connection for a few reads outside the ORM session. On PostgreSQL in autocommit, so a
    single read needs no BEGIN and ROLLBACK round trips; SQLite's driver begins no transaction
    for a read anyway (and setting the level costs a PRAGMA)."""
    connection = db.engine.connect()
    if connection.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


_held = threading.local()
_held_engines = {}


def _held_reader():
    """This thread's own autocommit connection, kept from one API request to the next.
    PostgreSQL: checking one out of the pool for each request (the pool's "SELECT 1" ping,
    setting autocommit and undoing it) cost 0.2 ms of CPU and 2 ms on the clock, three times
    the read itself (issue 15, third round). SQLite: the pool's checkout, its SQLAlchemy
    Connection and the rollback on return were 9 % of an API request's in-process profile
    (cProfile, fourth round); each read on a held connection still sees every write committed
    before it (SQLite's driver begins no transaction for a read). Kept outside the ORM's pool
    (NullPool), so that a worker's few threads never take the pool's connections from the pages."""
    return _reader_for(db.engine)


def _reader_for(app_engine):
    held = getattr(_held, "reader", None)
    if held is not None and held.app_engine is app_engine and held.alive():
        return held
    url = app_engine.url
    if held is not None and held.serves(url):
        held.app_engine = app_engine
        return held
    engine = _held_engines.get(url)
    if engine is None:
        engine = _held_engines[url] = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    reader = _PreparedPostgresReader if engine.dialect.driver == "psycopg" else _HeldReader
    _held.reader = reader(engine)
    _held.reader.app_engine = app_engine
    return _held.reader


def _in_memory(url):
    """A SQLite database in memory (the tests'): each connection would open an empty one."""
    return url.get_backend_name() == "sqlite" and (url.database in (None, "", ":memory:")
                                                   or url.query.get("mode") == "memory")


def look_up_postcode(text):
    """find_postcode for the open API, on a connection of its own rather than the ORM session
    (opening and closing the session was a quarter of the request's CPU, cProfile, issue 15):
    the thread's held connection. If the database dropped it (a restart, a failover), it is
    replaced and the read made once more."""
    app_engine = db.engine
    reader = getattr(_held, "reader", None)
    # The thread's reader, if it is the one for this app's database (one look-up of the engine
    # a request: each was a lookup in Flask-SQLAlchemy's weak dictionary of apps).
    if reader is None or reader.app_engine is not app_engine or not reader.alive():
        if _in_memory(app_engine.url):
            with read_connection() as connection:
                return find_postcode(text, connection)
        reader = _reader_for(app_engine)
    driver = reader.connection.dialect.loaded_dbapi
    try:
        return find_postcode(text, reader.connection, reader.row)
    except (driver.OperationalError, driver.InterfaceError):  # the connection, not the query
        reader.invalidate()
        reader = _held_reader()
        return find_postcode(text, reader.connection, reader.row)


def find_postcode(text, connection=None, read_row=None):
    """What the portal knows of a postcode as typed. `connection`: a Core connection of its
    own to read on (the API's: look_up_postcode), read through the driver's cursor (or with
    `read_row(canonical)`, the held reader's); by default the request's session's, through
    SQLAlchemy."""
    canonical = postcodes.try_normalise(text or "")
    if canonical is None:
        return PostcodeLookup(PostcodeStatus.INVALID, text or "")
    if read_row is not None:
        row = read_row(canonical)
    elif connection is not None:
        row = _postcode_row(connection, canonical)
    else:
        connection = db.session.connection()
        row = connection.execute(_POSTCODE_BY_CANONICAL, {"postcode": canonical}).first()
    if row is None:
        area = postcodes.area(canonical)
        if postcodes.outside_great_britain(canonical):
            return PostcodeLookup(PostcodeStatus.OUTSIDE_COVERAGE, text, canonical)
        if _area_loaded(connection, area):
            return PostcodeLookup(PostcodeStatus.NOT_FOUND, text, canonical)
        if area in postcodes.SCOTTISH_AREAS:
            return PostcodeLookup(PostcodeStatus.OUTSIDE_COVERAGE, text, canonical)
        return PostcodeLookup(PostcodeStatus.NOT_FOUND, text, canonical, outside_loaded_area=True)
    record = PostcodeRecord(*row)
    if record.latitude is None:
        status = PostcodeStatus.NO_COORDINATES
    elif record.neighbourhood_id is None:
        status = PostcodeStatus.OUTSIDE_COVERAGE
    else:
        status = PostcodeStatus.FOUND
    return PostcodeLookup(status, text, canonical, record)


def _area_loaded(connection, area):
    """Whether any postcode of the area ("CF", "L") is loaded and placed in a neighbourhood:
    one read of the primary-key index, stopping at the first row."""
    return connection.execute(
        select(Postcode.postcode).where(Postcode.postcode >= f"{area}0", Postcode.postcode < f"{area}:",
                                        Postcode.neighbourhood_id.is_not(None)).limit(1)).first() is not None


ALL_FORCES = 43  # the territorial police forces of England and Wales (+ British Transport Police is not one)


def loaded_coverage():
    """What the portal has data for, from the forces and councils loaded:
    [(force name, [council, …])], or None when every force is loaded."""
    rows = db.session.execute(
        select(Force.name, Neighbourhood.local_authority).join(Neighbourhood, Neighbourhood.force_id == Force.id)
        .group_by(Force.name, Neighbourhood.local_authority).order_by(Force.name, Neighbourhood.local_authority)).all()
    forces = {}
    for force, council in rows:
        forces.setdefault(force, [])
        if council:
            forces[force].append(council)
    if len(forces) >= ALL_FORCES:
        return None
    return list(forces.items())


@dataclass
class PlaceMatch:
    neighbourhood_id: str
    force_id: str
    team_name: str
    neighbourhood_name: str
    force_name: str
    local_authority: str | None
    known_name: str | None = None
    known_name_cy: str | None = None


@dataclass
class PlaceResults:
    matches: list
    total: int
    fuzzy: bool = False  # found by a near spelling, not the words as typed
    suggestion: str | None = None  # the name the near spelling matched


FUZZY_SCORE = 82  # 0-100; "Headingly" → "Headingley" scores 95, unrelated words under 60


def _place_rows():
    return (select(Neighbourhood, Team.name, Force.name)
            .join(Team, Team.neighbourhood_id == Neighbourhood.id)
            .join(Force, Force.id == Neighbourhood.force_id))


def _as_matches(rows):
    return [PlaceMatch(n.id, n.force_id, team_name, n.name, force_name, n.local_authority, n.known_name,
                       n.known_name_cy)
            for n, team_name, force_name in rows]


def search_places(text, limit=20, offset=0):
    """Teams whose team name, neighbourhood name (English or Welsh, statistical or the name
    people use), council, postcode district ("LS6") or sector ("LS6 3") match; when nothing
    matches as typed, the nearest spelling of a place name. Returns PlaceResults."""
    text = " ".join((text or "").split())
    if len(text) < 2:
        return PlaceResults([], 0)
    sector = postcodes.as_sector(text) if " " in text else None  # "LS63" is read as a district
    if sector:
        return _teams_in_postcodes(sector, limit, offset)
    if postcodes.is_outcode(text):
        return _teams_in_postcodes(text.replace(" ", "").upper() + " ", limit, offset)
    results = _teams_named(text, limit, offset)
    if results.total:
        return results
    near = _nearest_name(text)
    if near is None:
        return results
    results = _teams_named(near, limit, offset)
    results.fuzzy, results.suggestion = True, near
    return results


def _teams_named(text, limit, offset):
    lowered = text.lower()
    pattern, starts = f"%{_escape_like(lowered)}%", f"{_escape_like(lowered)}%"
    names = [func.lower(Team.name), func.lower(Neighbourhood.name), func.lower(Neighbourhood.known_name),
             func.lower(Neighbourhood.known_name_cy), func.lower(Neighbourhood.local_authority)]
    where = or_(*(column.like(pattern, escape="\\") for column in names))
    total = db.session.scalar(
        select(func.count()).select_from(Neighbourhood).join(Team, Team.neighbourhood_id == Neighbourhood.id)
        .where(where))
    exact_name = or_(func.lower(Neighbourhood.known_name) == lowered, func.lower(Neighbourhood.known_name_cy) == lowered)
    name_starts = or_(func.lower(Neighbourhood.known_name).like(starts, escape="\\"),
                      func.lower(Team.name).like(starts, escape="\\"))
    rows = db.session.execute(
        _place_rows().where(where)
        .order_by(exact_name.desc(), name_starts.desc(), Team.name, Neighbourhood.id)
        .limit(limit).offset(offset))
    return PlaceResults(_as_matches(rows), total or 0)


def _nearest_name(text):
    """The place name (a neighbourhood's, in English or Welsh, or a council's) nearest in
    spelling to `text`, or None. rapidfuzz: a well-kept C++ matcher that works the same on
    SQLite and PostgreSQL (pg_trgm would serve PostgreSQL only)."""
    from rapidfuzz import fuzz, process, utils

    choices = _place_names()
    found = process.extractOne(text, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                               score_cutoff=FUZZY_SCORE)
    return found[0] if found else None


_names_cache = {}


def _place_names():
    """Every distinct place name, read once per version of the names and boundaries."""
    key = (DataVersion.current(db.session, DataVersion.BOUNDARIES), DataVersion.current(db.session, DataVersion.NAMES))
    if _names_cache.get("key") != key:
        names = set()
        for row in db.session.execute(select(Neighbourhood.known_name, Neighbourhood.known_name_cy,
                                             Neighbourhood.local_authority)):
            names.update(name for name in row if name)
        _names_cache.update(key=key, names=sorted(names))
    return _names_cache["names"]


def _teams_in_postcodes(prefix, limit, offset):
    """Teams holding postcodes that start with `prefix` ("LS6 " for a district, "LS6 3" for
    a sector), most postcodes first."""
    counts = (
        select(Postcode.neighbourhood_id, func.count().label("n"))
        .where(
            # a range on the primary key rather than LIKE, so both databases use the index
            Postcode.postcode >= prefix,
            Postcode.postcode < prefix + "~",
            Postcode.neighbourhood_id.is_not(None),
        )
        .group_by(Postcode.neighbourhood_id)
        .subquery()
    )
    total = db.session.scalar(select(func.count()).select_from(counts))
    rows = db.session.execute(
        _place_rows().join(counts, counts.c.neighbourhood_id == Neighbourhood.id)
        .order_by(counts.c.n.desc(), Neighbourhood.id).limit(limit).offset(offset))
    return PlaceResults(_as_matches(rows), total or 0)


@cache
def _sectors_statement():
    """Built once, with the neighbourhood as a parameter (every team page reads it)."""
    sector = func.substr(Postcode.postcode, 1, func.length(Postcode.postcode) - 2)
    return select(sector).where(Postcode.neighbourhood_id == bindparam("neighbourhood_id")).group_by(sector)


def covered_sectors(neighbourhood_id):
    """{district: [sectors]} of the postcodes a neighbourhood holds, e.g. {"LS6": ["LS6 1", "LS6 2"]}."""
    rows = db.session.scalars(_sectors_statement(), {"neighbourhood_id": neighbourhood_id}).all()
    districts = {}
    for value in sorted(rows, key=postcodes.sort_key):
        districts.setdefault(postcodes.outcode(value + "AA"), []).append(value)
    return districts


def _escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
