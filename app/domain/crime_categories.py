"""data.police.uk's crime category slugs and outcome codes for the names in the street CSVs.

The CSVs carry plain names ("Violence and sexual offences", "Under investigation"); the
API speaks in slugs and codes ("violent-crime", "under-investigation"). This is the one
place the two are matched. A name not listed here (a category or outcome introduced
after this was written) gets a slug made from its words, so it is never dropped.
"""
import re

ALL_CRIME = "all-crime"

# (slug, API name, CSV "Crime type" names), in data.police.uk's order.
CATEGORIES = [
    ("anti-social-behaviour", "Anti-social behaviour", ("Anti-social behaviour",)),
    ("bicycle-theft", "Bicycle theft", ("Bicycle theft",)),
    ("burglary", "Burglary", ("Burglary",)),
    ("criminal-damage-arson", "Criminal damage and arson", ("Criminal damage and arson",)),
    ("drugs", "Drugs", ("Drugs",)),
    ("other-theft", "Other theft", ("Other theft",)),
    ("possession-of-weapons", "Possession of weapons", ("Possession of weapons",)),
    ("public-order", "Public order", ("Public order",)),
    ("robbery", "Robbery", ("Robbery",)),
    ("shoplifting", "Shoplifting", ("Shoplifting",)),
    ("theft-from-the-person", "Theft from the person", ("Theft from the person",)),
    ("vehicle-crime", "Vehicle crime", ("Vehicle crime",)),
    # Before May 2013 the CSVs said "Violent crime".
    ("violent-crime", "Violence and sexual offences", ("Violence and sexual offences", "Violent crime")),
    ("other-crime", "Other crime", ("Other crime",)),
]

_SLUG_OF_NAME = {name: slug for slug, _label, names in CATEGORIES for name in names}
_NAMES_OF_SLUG = {slug: names for slug, _label, names in CATEGORIES}

# data.police.uk outcome code -> its name. The CSVs use the same names except where
# _CSV_OUTCOME_NAMES says otherwise.
OUTCOMES = {
    "awaiting-court-result": "Awaiting court outcome",
    "court-result-unavailable": "Court result unavailable",
    "unable-to-proceed": "Court case unable to proceed",
    "local-resolution": "Local resolution",
    "no-further-action": "Investigation complete; no suspect identified",
    "deprived-of-property": "Offender deprived of property",
    "fined": "Offender fined",
    "absolute-discharge": "Offender given absolute discharge",
    "cautioned": "Offender given a caution",
    "drugs-possession-warning": "Offender given a drugs possession warning",
    "penalty-notice-issued": "Offender given a penalty notice",
    "community-penalty": "Offender given community sentence",
    "conditional-discharge": "Offender given conditional discharge",
    "suspended-sentence": "Offender given suspended prison sentence",
    "imprisoned": "Offender sent to prison",
    "other-court-disposal": "Offender otherwise dealt with",
    "compensation": "Offender ordered to pay compensation",
    "sentenced-in-another-case": "Suspect charged as part of another case",
    "charged": "Suspect charged",
    "not-guilty": "Defendant found not guilty",
    "sent-to-crown-court": "Defendant sent to Crown Court",
    "unable-to-prosecute": "Unable to prosecute suspect",
    "formal-action-not-in-public-interest": "Formal action is not in the public interest",
    "action-taken-by-another-organisation": "Action to be taken by another organisation",
    "further-investigation-not-in-public-interest": "Further investigation is not in the public interest",
    "further-action-not-in-public-interest": "Further action is not in the public interest",
    "under-investigation": "Under investigation",
    "status-update-unavailable": "Status update unavailable",
}
_CSV_OUTCOME_NAMES = {"Offender given penalty notice": "penalty-notice-issued"}
_CODE_OF_OUTCOME = {name: code for code, name in OUTCOMES.items()} | _CSV_OUTCOME_NAMES


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def category_slug(name):
    """The data.police.uk slug for a CSV "Crime type"."""
    return _SLUG_OF_NAME.get(name) or slugify(name)


def category_names(slug, stored_names=()):
    """The CSV names a slug stands for: the known ones, or those of ``stored_names`` whose slug it is."""
    if slug in _NAMES_OF_SLUG:
        return list(_NAMES_OF_SLUG[slug])
    return [name for name in stored_names if category_slug(name) == slug]


def category_list(stored_names=()):
    """[(slug, name)] as crime-categories lists them: all-crime, the known categories, then any
    other category found in the data."""
    listed = [(ALL_CRIME, "All crime")] + [(slug, label) for slug, label, _names in CATEGORIES]
    known = {slug for slug, _label in listed}
    for name in sorted(stored_names):
        slug = category_slug(name)
        if slug not in known:
            known.add(slug)
            listed.append((slug, name))
    return listed


def outcome_code(name):
    """(code, name) of data.police.uk for a CSV "Last outcome category"."""
    code = _CODE_OF_OUTCOME.get(name) or slugify(name)
    return code, OUTCOMES.get(code, name)
