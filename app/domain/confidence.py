"""The confidence question, as the British Crime Survey asks it: "How much do you agree: the
police and local council are dealing with the crime and anti-social behaviour issues that
matter in this area", on a five-point agreement scale (plus "don't know"), and, after a
reply, "Did we answer your question?". Plain Python: the rules the pages, the API and the
staff area share.

The published figure is the share agreeing (strongly agree or agree) among those who
answered on the scale; "don't know" is not counted, as in the survey. Each answer counts in
the calendar quarter (Europe/London) it was first given, and can be changed only while that
quarter is open, so a published quarter never changes afterwards.
"""
import math
from dataclasses import dataclass
from datetime import date

QUESTION = ("How much do you agree: the police and local council are dealing with the crime and anti-social "
            "behaviour issues that matter in this area")

STRONGLY_AGREE, AGREE, NEITHER, DISAGREE, STRONGLY_DISAGREE = (
    "strongly_agree", "agree", "neither", "disagree", "strongly_disagree")
DONT_KNOW = "dont_know"
SCALE = (STRONGLY_AGREE, AGREE, NEITHER, DISAGREE, STRONGLY_DISAGREE)
AGREEMENT_CHOICES = SCALE + (DONT_KNOW,)
AGREEING = frozenset({STRONGLY_AGREE, AGREE})

YES, PARTLY, NO = "yes", "partly", "no"
ANSWERED_CHOICES = (YES, PARTLY, NO)

MESSAGE, CONSULTATION = "message", "consultation"
SOURCES = (MESSAGE, CONSULTATION)

# Nothing is published for a team's quarter with fewer answers on the scale than this.
# At 30 the 95 % interval around a share near one half is about ±17 points wide (Wilson);
# at 10 it is about ±26, wide enough to say almost nothing while looking like a figure.
# 30 also keeps any one resident's answer from being read off a small count, and is a
# common rule of thumb below which survey results are suppressed as unreliable.
MINIMUM_RESPONSES = 30

# The 97.5th percentile of the standard normal distribution: a two-sided 95 % interval.
Z_95 = 1.959963984540054


def wilson_interval(successes, total, z=Z_95):
    """The Wilson score interval for a proportion, as (low, high) between 0 and 1, or None
    when nothing was counted.

    Chosen over the normal approximation (p ± z·√(p(1−p)/n)) because the counts here are
    small and shares near 0 or 1 are common: the normal interval then runs below 0 or above
    1, collapses to zero width when every answer agrees (p = 1), and covers the true share
    far less often than 95 %. Wilson's stays inside [0, 1] and keeps close to its stated
    coverage from small n upwards (Brown, Cai and DasGupta, 2001). statsmodels has it
    (proportion_confint(method="wilson")), but would bring numpy, scipy and pandas into the
    portal for these few lines; the tests check them against published values."""
    if total <= 0:
        return None
    if not 0 <= successes <= total:
        raise ValueError("successes must be between 0 and total")
    p = successes / total
    z2 = z * z
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = (z / (1 + z2 / total)) * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 (January to March) to 4 (October to December)

    @property
    def key(self):
        return f"{self.year:04d}-Q{self.number}"

    @property
    def first_day(self):
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self):
        following = self.following
        return date.fromordinal(following.first_day.toordinal() - 1)

    @property
    def following(self):
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    @property
    def previous(self):
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)


def quarter_of(day):
    """The calendar quarter a (London) date falls in."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(key):
    """A Quarter from "YYYY-QN", or None for anything else."""
    if not isinstance(key, str) or len(key) != 7 or key[4:6] != "-Q" or not key[:4].isdigit() \
            or key[6] not in "1234":
        return None
    year = int(key[:4])
    return Quarter(year, int(key[6])) if year >= 1 else None


def recent_quarters(today, count=5):
    """The quarter `today` is in and the `count - 1` before it, oldest first."""
    quarters = [quarter_of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous)
    return list(reversed(quarters))


def may_change(first_answered_on, today):
    """An answer may be changed only in the quarter it was first given: once that quarter
    closes its figure is published and stays as published."""
    return quarter_of(first_answered_on) == quarter_of(today)


def may_ask_after_message(first_human_reply_at, anonymised=False):
    """Ask about a message only once a person has replied (a receipt is not a reply) and
    while the message still holds the resident's details."""
    return first_human_reply_at is not None and not anonymised


@dataclass(frozen=True)
class Figure:
    """A team's (or a force's) confidence figure for a quarter."""
    quarter: Quarter
    counts: dict        # answer -> number, every choice in AGREEMENT_CHOICES
    on_scale: int       # answers on the five-point scale: the figure's denominator
    agreeing: int
    dont_know: int
    minimum: int
    share: float | None           # 0..1, None when below the minimum
    interval: tuple | None        # (low, high), 0..1, None when below the minimum

    @property
    def shown(self):
        return self.share is not None

    @property
    def responses(self):
        return self.on_scale + self.dont_know

    @property
    def percent(self):
        return percent(self.share)

    @property
    def interval_percent(self):
        return None if self.interval is None else (percent(self.interval[0]), percent(self.interval[1]))


def figure(quarter, counts, minimum=MINIMUM_RESPONSES):
    """The share agreeing and its 95 % interval from {answer: number}, or no share at all when
    fewer than `minimum` answered on the scale."""
    full = {choice: int(counts.get(choice, 0) or 0) for choice in AGREEMENT_CHOICES}
    on_scale = sum(full[choice] for choice in SCALE)
    agreeing = sum(full[choice] for choice in AGREEING)
    shown = on_scale >= max(1, minimum)
    return Figure(quarter=quarter, counts=full, on_scale=on_scale, agreeing=agreeing, dont_know=full[DONT_KNOW],
                  minimum=minimum, share=agreeing / on_scale if shown else None,
                  interval=wilson_interval(agreeing, on_scale) if shown else None)


@dataclass(frozen=True)
class AnsweredShares:
    """"Did we answer your question?": how many said each, and their shares of those who said."""
    counts: dict
    total: int
    shares: dict  # answer -> 0..1, or None when nobody answered

    def shown(self, minimum):
        return self.total >= max(1, minimum)

    def percent(self, answer):
        return percent(self.shares[answer])


def answered_shares(counts):
    full = {choice: int(counts.get(choice, 0) or 0) for choice in ANSWERED_CHOICES}
    total = sum(full.values())
    return AnsweredShares(counts=full, total=total,
                          shares={choice: (full[choice] / total if total else None) for choice in ANSWERED_CHOICES})


NEW, REPLACE, LOCKED = "new", "replace", "locked"


def second_answer(first_answered_on, today):
    """One answer per source (a message, or a consultation response): what a further answer
    does. None before means it is the first (NEW); within the quarter of the first it
    replaces it (REPLACE); after that quarter it is refused (LOCKED)."""
    if first_answered_on is None:
        return NEW
    return REPLACE if may_change(first_answered_on, today) else LOCKED


def percent(share):
    """A share as a whole percentage for publishing (half up, as people round)."""
    return None if share is None else int(math.floor(share * 100 + 0.5))
