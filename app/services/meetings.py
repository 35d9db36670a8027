"""Publishing meetings (one, or a series from a recurrence rule) and recording what a held
meeting agreed. The caller commits."""
import secrets
from datetime import datetime

from app.domain.localtime import to_local
from app.domain.recurrence import LAST, MonthlyNthWeekday, Weekly, occurrences, series_rule
from app.models import Meeting, MeetingSeries, apply_changes, record


def repeat_rule(repeat, first_day):
    """The rule for the form's "repeat" choice, from the first meeting's date."""
    if repeat == "weekly":
        return Weekly(1)
    if repeat == "fortnightly":
        return Weekly(2)
    nth = (first_day.day - 1) // 7 + 1
    if repeat == "monthly_last" or nth == 5:
        return MonthlyNthWeekday(LAST, first_day.weekday())
    return MonthlyNthWeekday(nth, first_day.weekday())


def publish_meeting(session, team_id, values, start, by, *, now):
    """One meeting, published (advertised, for the Pledge's notice rule) at `now`."""
    return _add(session, team_id, values, start, by, published_at=now)


def publish_series(session, team_id, values, rule, first_day, until, at, by, *, now):
    """The meetings of `rule` from `first_day` to `until` at London time `at`, all published at
    `now`, with the rule stored so calendars get one repeating event. A rule giving one date
    makes one meeting."""
    starts = occurrences(rule, first_day, until, at)
    if len(starts) < 2:
        return [_add(session, team_id, values, start, by, published_at=now) for start in starts]
    series = MeetingSeries(key=secrets.token_hex(8), team_id=team_id,
                           first_start=datetime.combine(to_local(starts[0]).date(), at),
                           rule=series_rule(rule, first_day, until, count=len(starts)))
    session.add(series)
    return [_add(session, team_id, values, start, by, published_at=now, series_key=series.key, series_start=start)
            for start in starts]


def _add(session, team_id, values, start, by, **columns):
    meeting = Meeting(team_id=team_id, starts_at=start, **columns)
    changes = apply_changes(meeting, values)
    session.add(meeting)
    record("created", meeting, by=by, changes={"starts_at": [None, start.isoformat()], **changes})
    return meeting


def record_meeting(meeting, attendance, minutes, team_priorities, chosen_ids, by, *, now):
    """The attendance and minutes of a held meeting, and which of the team's priorities it
    agreed; the first time either is given is when it was recorded (for the Pledge's rule)."""
    changes = apply_changes(meeting, {"attendance": attendance, "minutes": minutes})
    chosen = set(chosen_ids or [])
    before = sorted(p.id for p in meeting.priorities_agreed)
    for priority in team_priorities:
        if priority.id in chosen:
            priority.decided_at_meeting = meeting
        elif priority.decided_at_meeting_id == meeting.id:
            priority.decided_at_meeting = None
    if before != sorted(chosen):
        changes["priorities_agreed"] = [before, sorted(chosen)]
    if meeting.recorded_at is None and (meeting.attendance is not None or meeting.minutes):
        meeting.recorded_at = now
    if changes:
        record("minutes recorded", meeting, by=by, changes=changes)
