"""The compliance report: one aggregated SQL pass per report, grouped by team.

A message was answered in time when its first human reply came by its stored due time
(fixed at arrival by the clock's rules); one not answered yet is not yet due while that
time is ahead. Median and 90th percentile are nearest-rank (app.domain.clock.nearest_rank).
A message with no human reply counts with the time it has waited so far.
"""
import string
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from sqlalchemy import (BigInteger, DateTime, Text, and_, bindparam, case, cast, func, literal,
                        select, true, union_all)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from app.domain import clock
from app.domain.clock import Figures
from app.models import MESSAGE, Message, Neighbourhood, Team
from app.models.inbox import reply_promise


def promise():
    """How soon the team promises a first reply (Pledge 4, 10): REPLY_PROMISE_HOURS."""
    return reply_promise()


class wait_ms_between(FunctionElement):  # noqa: N801  (reads like the SQL function it is)
    """Whole milliseconds from the second timestamp to the first, half a millisecond up:
    clock.wait_ms in SQL, for a message still waiting (an answered one has it stored)."""
    type = BigInteger()
    inherit_cache = True
    name = "wait_ms_between"


@compiles(wait_ms_between)
def _wait_ms_between_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    # julianday() keeps whole milliseconds, so the product is a whole number give or take rounding.
    return f"CAST(round((julianday({later}) - julianday({earlier})) * 86400000.0) AS INTEGER)"


@compiles(wait_ms_between, "postgresql")
def _wait_ms_between_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(floor(date_part('epoch', {later} - {earlier}) * 1000 + 0.5) AS BIGINT)"


@dataclass(frozen=True)
class TeamFigures:
    team_id: int
    all: Figures
    weekdays: Figures
    weekends: Figures


def monthly_report(session, year, month, now, team_ids=None, force_id=None, kind=MESSAGE):
    """{team_id: TeamFigures} for the London calendar month, teams with no messages left out."""
    start, end = clock.month_bounds(year, month)
    return period_report(session, start, end, now, team_ids, force_id, kind)


def period_report(session, start, end, now, team_ids=None, force_id=None, kind=MESSAGE):
    """{team_id: TeamFigures} for messages received in [start, end), teams with none left out.

    One grouped pass over the messages' index, no join to the threads: the counts are
    comparisons with each message's stored due time (fixed at arrival by clock.deadline), the
    part of the week its stored flag (clock.is_weekend), and the waits are the stored first
    reply waits (clock.wait_ms), timed against `now` only for a message still waiting. Each
    message comes back as one integer, "wait * 32 + its five facts as bits" (the four FLAGS
    and the weekend), in one string of them per team (SQLite's group_concat, PostgreSQL's
    string_agg): the database's part is a single cheap aggregate, and numpy counts and ranks
    them (clock.nearest_rank) without a Python object per message, the same on both."""
    m = Message.__table__.c
    now_literal = literal(now, DateTime)
    unanswered = m.first_human_reply_at.is_(None)
    wait = func.coalesce(m.first_reply_wait_ms,
                         wait_ms_between(func.coalesce(m.first_human_reply_at, now_literal), m.received_at))
    conditions = {
        "in_time": m.first_human_reply_at <= m.reply_due_at,
        "still_open": m.closed_at.is_(None),
        "receipt_only": and_(unanswered, m.contact_by != "phone"),
        "not_yet_due": and_(unanswered, m.reply_due_at > now_literal),
    }
    weekend_bit = case((m.received_on_weekend == true(), 1 << len(FLAGS)), else_=0)
    packed = wait * (1 << (len(FLAGS) + 1)) + weekend_bit
    for bit, name in enumerate(FLAGS):
        packed = packed + case((conditions[name], 1 << bit), else_=0)
    # Most messages have been answered: their wait is stored and the flags of a message still
    # waiting are 0, so the database evaluates half the expression for them.
    answered = (m.first_reply_wait_ms * (1 << (len(FLAGS) + 1)) + weekend_bit
                + case((conditions["in_time"], 1 << FLAGS.index("in_time")), else_=0)
                + case((conditions["still_open"], 1 << FLAGS.index("still_open")), else_=0))
    packed = case((and_(m.first_reply_wait_ms.is_not(None), m.first_human_reply_at.is_not(None)), answered),
                  else_=packed)
    # Over more than a couple of months of every team, the team index is read in its own order
    # (no sort before grouping).
    team_order = team_ids is None and force_id is None and end - start > timedelta(days=62)
    if session.get_bind().dialect.name == "postgresql":
        joined = func.string_agg(cast(packed, Text), literal(","))
    else:
        joined = func.group_concat(packed)
    where = _conditions(m, start, end, kind, team_ids, force_id)
    statement = select(m.team_id, func.count(), joined).where(*where).group_by(m.team_id)
    rows = _rows_of_every_team(session, statement, m.team_id) if team_order else session.execute(statement).all()
    groups = _figures_of_packed([text for _team, _count, text in rows], [count for _team, count, _text in rows])
    return {team_id: TeamFigures(team_id, *(groups[part][index] for part in PARTS))
            for index, (team_id, _count, _text) in enumerate(rows)}


def _rows_of_every_team(session, statement, team_column):
    """statement's rows (grouped by team) for every team, in team order.

    PostgreSQL reads two halves of the teams at once: their UNION ALL runs as a Parallel
    Append, each half's aggregate in a worker process of its own. SQLite is told the teams as
    a list, so that it seeks each team's slice of the period in the team index (team, kind,
    received) instead of skipping through the whole index or sorting the period's slice of
    the report index by team."""
    if session.get_bind().dialect.name != "postgresql":
        return session.execute(statement.where(team_column.in_(select(Team.id)))).all()
    low, high = session.execute(select(func.min(Team.id), func.max(Team.id))).one()
    if low is None or low == high:
        return session.execute(statement).all()
    middle = (low + high + 1) // 2
    first, second = statement.where(team_column < middle), statement.where(team_column >= middle)
    return sorted(session.execute(union_all(first, second)).all(), key=lambda row: row[0])


FLAGS = ("in_time", "still_open", "receipt_only", "not_yet_due")  # the low bits, in this order; the weekend above


def _figures_of_packed(packed_strings, counts):
    """{"all"|"weekdays"|"weekends": [Figures per team]} from each team's messages packed as
    "wait * 32 + weekend * 16 + the FLAGS' bits", joined by commas. numpy parses them into one
    array, counts the flags with one bincount, and sorts the waits once by (team, wait); each
    percentile is picked at clock.nearest_rank, within the team or, for one part of the
    week, at the rank-th of that part's messages in the team's sorted run. No Python object
    per message."""
    teams = len(counts)
    joined = ",".join(text for text in packed_strings if text)
    if not joined:
        return {part: [Figures()] * teams for part in PARTS}
    values = np.fromstring(joined, dtype=np.int64, sep=",")
    team = np.repeat(np.arange(teams, dtype=np.int64), np.asarray(counts, dtype=np.int64))
    if len(values) != len(team):
        raise ValueError("the waits read do not match the messages counted")
    facts = values & ((1 << (len(FLAGS) + 1)) - 1)  # the weekend bit and the flags
    # {team: [weekday pattern counts, weekend pattern counts]} → counts of each flag.
    patterns = np.bincount((team << (len(FLAGS) + 1)) | facts, minlength=teams << (len(FLAGS) + 1))
    bits = (np.arange(1 << len(FLAGS))[:, None] >> np.arange(len(FLAGS))) & 1
    by_part = patterns.reshape(teams, 2, 1 << len(FLAGS)) @ bits  # teams × (weekday, weekend) × flag
    sizes = patterns.reshape(teams, 2, 1 << len(FLAGS)).sum(axis=2)  # teams × (weekday, weekend)

    waits = values >> (len(FLAGS) + 1)
    low = int(waits.min())
    shifted = waits - low  # non-negative, so that the team can sit above it in the same integer
    span_bits = max(1, int(shifted.max()).bit_length()) + 1  # and the weekend bit below it
    weekend = (values >> len(FLAGS)) & 1
    keyed = (shifted << 1) | weekend
    if span_bits + max(1, teams.bit_length()) > 62:  # too wide to pack: sort by team, then wait
        keyed = keyed[np.lexsort((keyed, team))]
    else:
        # The values come team by team, so the keys are already in runs: timsort ("stable")
        # takes them in a third of quicksort's time.
        keyed = np.sort((team << span_bits) | keyed, kind="stable") & ((1 << span_bits) - 1)
    ordered, ordered_weekend = (keyed >> 1) + low, keyed & 1
    ends = np.cumsum(counts)
    starts = ends - counts
    result = {"all": _picked(ordered, np.arange(len(ordered)), starts, ends - starts, by_part.sum(axis=1))}
    for part, name in enumerate(("weekdays", "weekends")):
        # Positions of this part's messages in the sorted run: the k-th of a team's is the
        # (messages of the part in earlier teams + k)-th of them all.
        positions = np.nonzero(ordered_weekend == part)[0]
        before = np.concatenate(([0], np.cumsum(sizes[:, part])))[:-1]
        result[name] = _picked(ordered, positions, before, sizes[:, part], by_part[:, part, :])
    return result


PARTS = ("all", "weekdays", "weekends")


def _picked(ordered, positions, before, sizes, flag_counts):
    """[Figures per team]: team t's messages are ordered[positions[before[t]:before[t] + sizes[t]]],
    sorted by wait."""
    result = [Figures()] * len(sizes)
    present = np.nonzero(sizes)[0]
    if not len(present):
        return result
    present_sizes = sizes[present]
    first = before[present]

    def seconds_at_rank(fraction):
        # Teams share a few hundred sizes: the clock's rank is asked once per size.
        rank_of = {size: clock.nearest_rank(size, fraction) for size in set(present_sizes.tolist())}
        ranks = np.fromiter((rank_of[size] for size in present_sizes.tolist()), dtype=np.int64, count=len(present))
        return (ordered[positions[first + ranks - 1]] / 1000).tolist()

    median, p90, longest = (seconds_at_rank(fraction) for fraction in (0.5, 0.9, 1.0))
    counted = flag_counts[present]
    in_time, still_open, receipt_only, not_yet_due = (
        counted[:, FLAGS.index(name)].tolist() for name in ("in_time", "still_open", "receipt_only", "not_yet_due"))
    columns = zip(present.tolist(), present_sizes.tolist(), in_time, still_open, receipt_only, not_yet_due,
                  median, p90, longest)
    for team_index, received, in_time, still_open, receipt_only, not_yet_due, median_s, p90_s, longest_s in columns:
        result[team_index] = Figures(received=received, answered_in_time=in_time, median_wait=median_s,
                                     p90_wait=p90_s, longest_wait=longest_s, still_open=still_open,
                                     receipt_only=receipt_only, not_yet_due=not_yet_due)
    return result


def counts_over_months_of_kinds(session, months, kinds, team_ids=None, force_id=None):
    """{kind: {team_id: (answered in time, received)}} over the London `months` taken
    together (the first to the last, which must follow each other): the force's Pledge table,
    which shows each team's whole period only. One grouped pass, a row per team and kind."""
    m = Message.__table__.c
    months = sorted(months)
    start, end = clock.month_bounds(*months[0])[0], clock.month_bounds(*months[-1])[1]
    in_time = func.count(case((m.first_human_reply_at <= m.reply_due_at, 1)))
    query = select(m.team_id, m.kind, in_time, func.count()).where(
        *_conditions(m, start, end, tuple(kinds), team_ids, force_id)).group_by(m.team_id, m.kind)
    result = {kind: {} for kind in kinds}
    for team_id, kind, answered, received in session.connection().execute(query):
        result[kind][team_id] = (answered, received)
    return result


def bucket(column, edges, values):
    """values[k] where k is the number of the sorted `edges` at or before `column`, as a
    balanced tree of comparisons: about log2(len(edges)) per row (5 for a year of months)
    instead of a CASE that tries every month."""
    def between(low, high):
        if low == high:
            return literal(values[low])
        middle = (low + high + 1) // 2
        return case((column >= edges[middle - 1], between(middle, high)), else_=between(low, middle - 1))

    return between(0, len(edges))


def _conditions(m, start, end, kind, team_ids, force_id):
    """`kind` is one kind, or a tuple of kinds."""
    conditions = [m.kind.in_(kind) if isinstance(kind, tuple) else m.kind == kind,
                  m.received_at >= start, m.received_at < end]
    if team_ids is not None:
        conditions.append(m.team_id.in_(list(team_ids)))
    if force_id is not None:
        conditions.append(m.team_id.in_(
            select(Team.id).join(Neighbourhood).where(Neighbourhood.force_id == force_id)))
    return conditions


def counts_by_month(session, months, team_ids=None, force_id=None, kind=MESSAGE):
    """{team_id: {(year, month): (answered in time, received)}} over London `months` [(year,
    month)], in one query: the Pledge page's 12 months without medians. A month with no
    messages is left out."""
    return counts_by_month_of_kinds(session, months, (kind,), team_ids, force_id)[kind]


# counts_by_month_of_kinds sends each message as one character of this alphabet: the one at
# 2k if it came in month k (from 0) of the months asked for and was not answered in time, at
# 2k + 1 if it was; the last two stand for a message between the months asked for (uncounted).
_MONTH_LETTERS = string.ascii_uppercase + string.ascii_lowercase + string.digits


def counts_by_month_of_kinds(session, months, kinds, team_ids=None, force_id=None):
    """{kind: counts_by_month(…, kind)} for each of `kinds`, in one pass over the messages.

    Each message is one character of its team's string for its kind (SQLite's group_concat,
    PostgreSQL's string_agg), which says its month and whether it was answered in time
    (_MONTH_LETTERS), and the characters are counted here. Grouped by team and kind alone,
    the database reads the team index in its own order; grouped by month as well, SQLite
    sorted a big force's ~100,000 messages first (700 teams: 83 ms of SQL against 38)."""
    m = Message.__table__.c
    months = sorted(months)
    if 2 * len(months) + 2 > len(_MONTH_LETTERS):
        raise ValueError(f"counts_by_month_of_kinds counts at most {len(_MONTH_LETTERS) // 2 - 1} months at once")
    late_letters, in_time_letters = _MONTH_LETTERS[:2 * len(months):2], _MONTH_LETTERS[1:2 * len(months):2]
    bounds = [clock.month_bounds(*key) for key in months]
    edges, late, in_time = [], [_MONTH_LETTERS[-2]], [_MONTH_LETTERS[-1]]
    for (start, end), late_letter, in_time_letter in zip(bounds, late_letters, in_time_letters):
        if not edges or edges[-1] != start:
            edges.append(start)
            late.append(None)
            in_time.append(None)
        late[-1], in_time[-1] = late_letter, in_time_letter
        edges.append(end)
        late.append(_MONTH_LETTERS[-2])
        in_time.append(_MONTH_LETTERS[-1])
    # The month is found twice in the statement, but each message evaluates one of them.
    letter = case((m.first_human_reply_at <= m.reply_due_at, bucket(m.received_at, edges, in_time)),
                  else_=bucket(m.received_at, edges, late))
    query = select(m.team_id, m.kind, func.aggregate_strings(letter, "")).where(
        *_conditions(m, bounds[0][0], bounds[-1][1], tuple(kinds), team_ids, force_id)).group_by(m.team_id, m.kind)
    result = {kind: {} for kind in kinds}
    for team_id, kind, letters in session.connection().execute(query).all():
        by_month = {}
        for key, late_letter, in_time_letter in zip(months, late_letters, in_time_letters):
            answered = letters.count(in_time_letter)
            received = letters.count(late_letter) + answered
            if received:
                by_month[key] = (answered, received)
        if by_month:
            result[kind][team_id] = by_month
    return result


_TEAM_RECORD_STATEMENTS = {}


def _team_record_statement(months):
    """The statement of team_counts_by_month for `months` consecutive months, built once (its
    team and month edges are parameters): a team page reads it on every view."""
    if months not in _TEAM_RECORD_STATEMENTS:
        m = Message.__table__.c
        edges = [bindparam(f"edge_{n}", type_=m.received_at.type) for n in range(months + 1)]
        month = case(*[(m.received_at < edges[n + 1], n) for n in range(months - 1)], else_=months - 1)
        in_time = case((m.first_human_reply_at <= m.reply_due_at, 1), else_=0)  # as counts_by_month_of_kinds
        _TEAM_RECORD_STATEMENTS[months] = (
            select(month.label("month"), func.sum(in_time), func.count())
            .where(m.team_id == bindparam("team_id", type_=m.team_id.type), m.kind == MESSAGE, m.received_at >= edges[0],
                   m.received_at < edges[-1])
            .group_by(month))
    return _TEAM_RECORD_STATEMENTS[months]


def team_counts_by_month(session, team_id, months):
    """{(year, month): (answered in time, received)} of one team's messages over consecutive
    London `months` [(year, month)]: counts_by_month(…, team_ids=[team_id])[team_id], from a
    statement built once."""
    months = sorted(months)
    bounds = [clock.month_bounds(*key) for key in months]
    if any(end != next_start for (_, end), (next_start, _) in zip(bounds, bounds[1:])):
        raise ValueError("team_counts_by_month takes consecutive months")
    edges = {f"edge_{n}": start for n, (start, _) in enumerate(bounds)} | {f"edge_{len(bounds)}": bounds[-1][1]}
    rows = session.execute(_team_record_statement(len(months)), {"team_id": team_id, **edges})
    return {months[index]: (int(in_time or 0), received) for index, in_time, received in rows}


def total(figures_list):
    """Force-wide counts (medians cannot be added up, so they are left out)."""
    figures_list = list(figures_list)
    return Figures(
        received=sum(f.received for f in figures_list),
        answered_in_time=sum(f.answered_in_time for f in figures_list),
        longest_wait=max((f.longest_wait for f in figures_list if f.longest_wait is not None), default=None),
        still_open=sum(f.still_open for f in figures_list),
        receipt_only=sum(f.receipt_only for f in figures_list),
        not_yet_due=sum(f.not_yet_due for f in figures_list),
    )
