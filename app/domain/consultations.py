"""The rules of "Have your say": when a consultation is open, who may answer, one answer
per resident, how the ranked answers are scored, and what the results say.

Plain Python: the caller passes today's London date and the rows as plain values.

Scoring is a Borda count over each resident's ranking of up to three issues: a first choice
earns 3 points, a second 2, a third 1. It rewards issues many people care about rather
than only those with the most first choices (a plurality count would let a loud minority's
single issue beat one nearly everyone put second), a resident who names only one issue
still gives it the full 3 points (ranking fewer never weakens a first choice), and the rule
fits in one sentence on the results page. Ties go to more first choices, then more
residents naming the issue, then the order the team listed the issues in.
"""
import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

MAX_CHOICES = 3
POINTS = {1: 3, 2: 2, 3: 1}  # rank -> Borda points
SOMETHING_ELSE = "else"  # the choice value of "something else, in your own words"

SCHEDULED, OPEN, CLOSED = "scheduled", "open", "closed"

ENGAGEMENT_METHODS = ("online", "meetings", "street_briefings", "surgeries", "alerts")

# How a resident confirmed: a link sent to their email, or a one-time code an officer handed out.
BY_EMAIL, BY_CODE = "email", "code"

# Codes officers hand out: no 0/O, 1/I/L, so they can be read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def status(opens_on: date, closes_on: date, closed_early_on: date | None, today: date) -> str:
    """Open from the start of `opens_on` to the end of `closes_on` (London days), unless the
    team closed it early: closed from the day it did so."""
    if closed_early_on is not None and closed_early_on <= today:
        return CLOSED
    if today > closes_on:
        return CLOSED
    if today < opens_on:
        return SCHEDULED
    return OPEN


def last_day(closes_on: date, closed_early_on: date | None) -> date:
    """The last London day on which a confirmed response counts."""
    if closed_early_on is not None and closed_early_on <= closes_on:
        # Closed during that day: answers confirmed earlier the same day still count.
        return closed_early_on
    return closes_on


def dates_problem(opens_on: date, closes_on: date, today: date) -> str | None:
    """Why an opening and closing date cannot be used, or None."""
    if closes_on < opens_on:
        return "closes_before_opening"
    if closes_on < today:
        return "closes_in_past"
    if (closes_on - opens_on).days > 92:
        return "too_long"
    return None


def ranking(choices: list[str], issue_keys: set[str]) -> tuple[list[str], str | None]:
    """A resident's ranked choices from the form's first, second and third boxes (blank
    where not chosen). Returns (the ranking, None) or ([], the problem): nothing chosen,
    the same issue twice, a choice after a blank (a second choice without a first), or an
    issue that is not on the list."""
    chosen = [c.strip() if c else "" for c in choices[:MAX_CHOICES]]
    while chosen and not chosen[-1]:
        chosen.pop()
    if not chosen:
        return [], "none"
    if "" in chosen:
        return [], "gap"
    if len(set(chosen)) != len(chosen):
        return [], "repeated"
    if any(c not in issue_keys and c != SOMETHING_ELSE for c in chosen):
        return [], "unknown"
    return chosen, None


def eligible_neighbourhood(postcode_neighbourhood: str | None, own: str, beside: set[str]) -> bool:
    """Whether a resident whose postcode lies in `postcode_neighbourhood` may answer a
    consultation of the neighbourhood `own`: inside it, or in one of the neighbourhoods that
    border it (`beside`). Boundaries are statistical lines that often run down the middle of
    a street, so the people across the road, who use the same shops and parks, have a say;
    a fixed radius would not do as well, taking in half a city for a small urban area and
    too little of a large rural one."""
    return postcode_neighbourhood is not None and (postcode_neighbourhood == own or postcode_neighbourhood in beside)


def normalise_email(email: str) -> str:
    """One address per mailbox, so a resident cannot answer twice by varying how they write it:
    lower case, no "+tag", and for Gmail no dots (which Gmail ignores)."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def resident_key(secret: str, *, email: str | None = None, code: str | None = None) -> str:
    """Who a response belongs to, for "one each", without keeping the address once confirmed:
    a keyed hash of the normalised email, or of the one-time code."""
    if email is not None:
        value = "email:" + normalise_email(email)
    elif code is not None:
        value = "code:" + code
    else:
        raise ValueError("a resident is known by an email or a code")
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()[:40]


def normalise_code(text: str) -> str:
    """A code as typed ("ab3d-7kq2", with spaces or dashes) in its stored form."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


@dataclass(frozen=True)
class Ballot:
    """One confirmed response, as the rules need it."""

    resident: str  # the resident key
    confirmed_on: date  # London day
    confirmed_order: int  # later confirmations have larger numbers (the row id)
    ranking: tuple  # issue keys and/or SOMETHING_ELSE, first choice first
    engagement: tuple = ()
    channel: str = BY_EMAIL


def one_per_resident(ballots: list[Ballot]) -> list[Ballot]:
    """Each resident's latest confirmed response only: answering again replaces the answer."""
    latest = {}
    for ballot in ballots:
        kept = latest.get(ballot.resident)
        if kept is None or ballot.confirmed_order > kept.confirmed_order:
            latest[ballot.resident] = ballot
    return sorted(latest.values(), key=lambda b: b.confirmed_order)


def counted(ballots: list[Ballot], opens_on: date, closes_on: date, closed_early_on: date | None) -> list[Ballot]:
    """The responses that count: confirmed while the consultation was open, one per resident."""
    end = last_day(closes_on, closed_early_on)
    return one_per_resident([b for b in ballots if opens_on <= b.confirmed_on <= end])


@dataclass
class IssueScore:
    key: str
    points: int = 0
    first_choices: int = 0
    mentions: int = 0


@dataclass
class Results:
    issues: list  # [IssueScore], best first
    residents_online: int  # counted responses through the portal
    by_code: int  # of which confirmed with a code at a library terminal or meeting
    at_meeting: int  # the officer's count of residents who took part at the meeting
    something_else: int  # residents who put "something else" among their choices
    engagement: dict = field(default_factory=dict)  # method -> residents who prefer it

    @property
    def residents_total(self):
        return self.residents_online + self.at_meeting


def score(ballots: list[Ballot], issue_keys: list[str]) -> list[IssueScore]:
    """Borda points per issue (see the module's docstring), best first."""
    scores = {key: IssueScore(key) for key in issue_keys}
    for ballot in ballots:
        for rank, key in enumerate(ballot.ranking, start=1):
            if key in scores and rank in POINTS:
                scores[key].points += POINTS[rank]
                scores[key].mentions += 1
                if rank == 1:
                    scores[key].first_choices += 1
    listed = {key: i for i, key in enumerate(issue_keys)}
    return sorted(scores.values(), key=lambda s: (-s.points, -s.first_choices, -s.mentions, listed[s.key]))


def results(ballots: list[Ballot], issue_keys: list[str], opens_on: date, closes_on: date,
            closed_early_on: date | None, at_meeting: int | None) -> Results:
    kept = counted(ballots, opens_on, closes_on, closed_early_on)
    engagement = Counter(method for b in kept for method in set(b.engagement) if method in ENGAGEMENT_METHODS)
    return Results(
        issues=score(kept, issue_keys), residents_online=len(kept),
        by_code=sum(1 for b in kept if b.channel == BY_CODE), at_meeting=at_meeting or 0,
        something_else=sum(1 for b in kept if SOMETHING_ELSE in b.ranking),
        engagement={method: engagement.get(method, 0) for method in ENGAGEMENT_METHODS},
    )


# Themes residents write to their team about, found by words in a message's subject and
# text: (theme, words). A word matches at the start of a word ("speed" finds "speeding").
MESSAGE_THEMES = [
    ("Speeding and dangerous driving", ("speed", "racing", "dangerous driving", "boy racer")),
    ("Parking", ("parking", "parked", "park on the pavement")),
    ("Drug dealing and drug use", ("drug", "dealing", "cannabis", "weed")),
    ("Noise", ("noise", "noisy", "loud music")),
    ("Litter and fly-tipping", ("litter", "fly-tip", "fly tip", "rubbish", "dumped")),
    ("Vandalism and graffiti", ("vandal", "graffiti", "smashed", "damage")),
    ("Groups causing annoyance", ("gang", "groups of", "youths", "teenagers", "intimidat")),
    ("Burglary", ("burglar", "broke in", "break-in", "break in")),
    ("Vehicle crime", ("car stolen", "stolen car", "catalytic", "broken into", "car crime")),
    ("Bike theft", ("bike", "bicycle", "cycle theft")),
    ("Anti-social behaviour", ("anti-social", "antisocial", "asb", "nuisance")),
]
MIN_MESSAGES_FOR_A_THEME = 2  # one message is one person's concern, not yet a theme


def _mentions(text, word):
    position = text.find(word)
    while position != -1:
        if position == 0 or not text[position - 1].isalnum():
            return True
        position = text.find(word, position + 1)
    return False


def message_themes(texts: list[str], top: int = 3) -> list[tuple[str, int]]:
    """[(theme, messages mentioning it)] of the themes most written about, most first, each in
    at least MIN_MESSAGES_FOR_A_THEME messages. A message counts once for each theme it mentions."""
    counts = Counter()
    for text in texts:
        lowered = " ".join((text or "").lower().split())
        for theme, words in MESSAGE_THEMES:
            if any(_mentions(lowered, word) for word in words):
                counts[theme] += 1
    order = {theme: i for i, (theme, _words) in enumerate(MESSAGE_THEMES)}
    found = [(theme, n) for theme, n in counts.items() if n >= MIN_MESSAGES_FOR_A_THEME]
    return sorted(found, key=lambda pair: (-pair[1], order[pair[0]]))[:top]


@dataclass(frozen=True)
class Candidate:
    title: str
    source: str  # priority, messages, crime, reports
    detail: str = ""  # why it is suggested, for the officer


def merge_candidates(groups: list[list[Candidate]]) -> list[Candidate]:
    """The suggestions in order of their groups, without the same title twice (case and
    spacing aside): a current priority that is also a theme of messages is listed once."""
    seen, merged = set(), []
    for group in groups:
        for candidate in group:
            key = " ".join(candidate.title.lower().split())
            if key not in seen:
                seen.add(key)
                merged.append(candidate)
    return merged
