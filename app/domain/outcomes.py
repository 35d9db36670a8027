"""data.police.uk outcome categories in plain words, grouped so people can see what happened.

The strings are the "Last outcome category" values of the street-level CSVs. Anti-social
behaviour has no outcome (it is not a crime record); a crime with an empty outcome is
"not known". An unknown string (a new category) falls into "Other outcome" rather than
being hidden, and keeps its own wording.
"""


def N_(text):
    """Marks a string for translation; the template translates it with ``_()`` when shown."""
    return text


COURT = "court"
OUT_OF_COURT = "out_of_court"
NO_SUSPECT = "no_suspect"
UNABLE_TO_PROSECUTE = "unable_to_prosecute"
UNDER_INVESTIGATION = "under_investigation"
OTHER_ORGANISATION = "other_organisation"
NOT_KNOWN = "not_known"
NOT_RECORDED = "not_recorded"  # anti-social behaviour: no outcome is published
OTHER = "other"

GROUPS = {
    COURT: N_("Charged and taken to court"),
    OUT_OF_COURT: N_("Cautioned, fined or dealt with out of court"),
    NO_SUSPECT: N_("No suspect identified"),
    UNABLE_TO_PROSECUTE: N_("Suspect identified but unable to prosecute"),
    UNDER_INVESTIGATION: N_("Still under investigation"),
    OTHER_ORGANISATION: N_("Passed to another organisation"),
    NOT_KNOWN: N_("Outcome not yet known"),
    OTHER: N_("Other outcome"),
    NOT_RECORDED: N_("Anti-social behaviour (no outcome is published)"),
}

# category -> (group, plain words for one crime)
OUTCOMES = {
    "Awaiting court outcome": (COURT, N_("A suspect has been charged and the case is waiting for court")),
    "Suspect charged": (COURT, N_("A suspect has been charged")),
    "Suspect charged as part of another case": (COURT, N_("A suspect has been charged as part of another case")),
    "Court result unavailable": (COURT, N_("The case went to court; the result is not available")),
    "Court case unable to proceed": (COURT, N_("The case went to court but could not go ahead")),
    "Defendant found not guilty": (COURT, N_("The case went to court and the defendant was found not guilty")),
    "Defendant sent to Crown Court": (COURT, N_("The defendant has been sent to the Crown Court")),
    "Offender sent to prison": (COURT, N_("The offender was sent to prison")),
    "Offender given suspended prison sentence": (COURT, N_("The offender was given a suspended prison sentence")),
    "Offender given community sentence": (COURT, N_("The offender was given a community sentence")),
    "Offender fined": (COURT, N_("The offender was fined by a court")),
    "Offender given conditional discharge": (COURT, N_("The offender was given a conditional discharge")),
    "Offender given absolute discharge": (COURT, N_("The offender was given an absolute discharge")),
    "Offender ordered to pay compensation": (COURT, N_("The offender was ordered to pay compensation")),
    "Offender deprived of property": (COURT, N_("The offender was deprived of property")),
    "Offender otherwise dealt with": (COURT, N_("The offender was dealt with by the court in another way")),
    "Offender given a caution": (OUT_OF_COURT, N_("The offender was given a caution")),
    "Offender given a drugs possession warning": (OUT_OF_COURT, N_("The offender was given a drugs possession warning")),
    "Offender given penalty notice": (OUT_OF_COURT, N_("The offender was given a penalty notice (a fine)")),
    "Local resolution": (OUT_OF_COURT, N_("Resolved locally, for example by an apology or putting right the harm")),
    "Investigation complete; no suspect identified": (
        NO_SUSPECT, N_("The investigation is complete and no suspect was identified")),
    "Unable to prosecute suspect": (UNABLE_TO_PROSECUTE, N_("A suspect was identified but could not be prosecuted")),
    "Formal action is not in the public interest": (
        UNABLE_TO_PROSECUTE, N_("Formal action against the suspect was judged not to be in the public interest")),
    "Further action is not in the public interest": (
        UNABLE_TO_PROSECUTE, N_("Further action was judged not to be in the public interest")),
    "Further investigation is not in the public interest": (
        UNABLE_TO_PROSECUTE, N_("Further investigation was judged not to be in the public interest")),
    "Under investigation": (UNDER_INVESTIGATION, N_("The police are still investigating")),
    "Action to be taken by another organisation": (
        OTHER_ORGANISATION, N_("Another organisation (for example the council) is taking action")),
    "Status update unavailable": (NOT_KNOWN, N_("The police have not published an update")),
}

# The order groups are shown in: what happened to those brought to justice first.
GROUP_ORDER = [COURT, OUT_OF_COURT, UNABLE_TO_PROSECUTE, NO_SUSPECT, UNDER_INVESTIGATION,
               OTHER_ORGANISATION, NOT_KNOWN, OTHER, NOT_RECORDED]


def group_of(outcome, is_anti_social_behaviour=False):
    """The group key for an outcome category string (None/'' = not known)."""
    if is_anti_social_behaviour:
        return NOT_RECORDED
    if not outcome:
        return NOT_KNOWN
    return OUTCOMES.get(outcome, (OTHER, None))[0]


def describe(outcome, is_anti_social_behaviour=False):
    """Plain words for what happened, for one crime."""
    if is_anti_social_behaviour:
        return GROUPS[NOT_RECORDED]
    if not outcome:
        return GROUPS[NOT_KNOWN]
    known = OUTCOMES.get(outcome)
    return known[1] if known else outcome


def grouped_counts(counts, anti_social_behaviour=0):
    """``{outcome category: n}`` → ``[(group key, label, n)]`` in GROUP_ORDER, empty groups left out."""
    totals = dict.fromkeys(GROUP_ORDER, 0)
    for outcome, n in counts.items():
        totals[group_of(outcome)] += n
    totals[NOT_RECORDED] += anti_social_behaviour
    return [(key, GROUPS[key], totals[key]) for key in GROUP_ORDER if totals[key]]
