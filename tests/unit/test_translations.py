"""The catalogues: every string the public can see has a Welsh, Polish and Urdu
translation, and the committed .mo files match their .po files (a fresh clone serves
them without a build step).

A new public page fails `test_every_public_string_has_a_welsh_translation` until
`bash scripts/translations.sh update` is run and the new entries are translated.
"""
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "app" / "translations"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}

# Staff-only pages and forms may stay in English (they say so on the staff home).
# Anything not listed here counts as public, so a new page is public by default.
STAFF_ONLY = (
    "templates/staff/", "templates/team_admin/", "app/staff/", "app/team_admin/", "app/access.py", "app/forms/",
    "app/staff_labels.py",
    "templates/meetings/new.html", "templates/meetings/edit.html", "templates/meetings/cancel.html",
    "templates/meetings/record.html", "templates/priorities/new.html", "templates/priorities/edit.html",
    "templates/priorities/close.html", "templates/priorities/add_action.html", "templates/updates/new.html",
    "templates/alerts/officer_message.html", "app/meetings/forms.py", "app/priorities/forms.py",
    "app/cli.py", "app/alerts/commands.py", "app/importers/", "app/demo/", "app/models/accounts.py",
    # The team inbox, sergeants' review, compliance report and user administration: all under /staff.
    "templates/inbox/", "app/inbox/views.py", "app/inbox/forms.py", "app/inbox/commands.py",
    "templates/admin/", "app/admin/", "app/crime/commands.py",
    # A sergeant's explanation of a missed Pledge promise (/staff/teams/<id>/performance/…); the
    # explanation itself is shown on the public Pledge page, whose strings are all translated.
    "templates/performance/explain.html", "app/performance/forms.py",
    # The team's Pledge work for staff: missed months to explain, officers' time away.
    "templates/performance/staff_team.html", "templates/performance/visible_time.html",
    # Residents' confidence answers for the team's staff (/staff/teams/<id>/confidence).
    "templates/confidence/staff_team.html",
    # Residents' reports of local problems as the team sees them: its map and table, and the thread.
    "templates/reports/staff_reports.html", "templates/reports/_in_thread.html",
)

def extracted():
    """{msgid or (msgctxt, msgid): {source paths}} for every translatable string in the code, extracted
    afresh. A string with a context ("Closed" for opening hours, "Closed" for a status) is its own entry."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {}
    for filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault((context, msgid) if context else msgid, set()).add(filename.replace("\\", "/"))
    return found


def msgids_from(prefixes=None, exclude=()):
    wanted = set()
    for msgid, files in extracted().items():
        for name in files:
            if any(name.startswith(p) for p in exclude):
                continue
            if prefixes is None or any(name.startswith(p) for p in prefixes):
                wanted.add(msgid)
    return wanted


def catalogue(lang):
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=lang)


def untranslated(lang, msgids):
    translations = catalogue(lang)
    missing = []
    for key in sorted(msgids, key=str):
        msgid, context = (key[1], key[0]) if isinstance(key, tuple) else (key, None)
        message = translations.get(msgid, context=context)
        strings = message and (message.string if isinstance(message.string, (list, tuple)) else [message.string])
        if not message or message.fuzzy or not all(strings):
            missing.append(key)
    return missing


def test_every_public_string_has_a_welsh_translation():
    public = msgids_from(exclude=STAFF_ONLY)
    assert len(public) > 200
    missing = untranslated("cy", public)
    assert not missing, f"{len(missing)} public strings have no Welsh translation " \
        f"(run scripts/translations.sh update, translate, compile):\n" + "\n".join(map(str, missing))


@pytest.mark.parametrize("lang", ["pl", "ur"])
def test_polish_and_urdu_translate_every_public_string_the_welsh_check_covers(lang):
    missing = untranslated(lang, msgids_from(exclude=STAFF_ONLY))
    assert not missing, f"{len(missing)} public strings missing in {lang}:\n" + "\n".join(map(str, missing))


def test_a_string_with_a_context_needs_its_own_translation():
    public = msgids_from(exclude=STAFF_ONLY)
    assert ("opening hours", "Closed") in public and ("status", "Closed") in public
    assert untranslated("cy", {("a context nobody has used", "Closed")}) == [("a context nobody has used", "Closed")]


def test_welsh_uses_the_cldr_six_form_plural_rule():
    from babel.messages.plurals import get_plural

    welsh = catalogue("cy")
    assert welsh.num_plurals == 6
    assert welsh.plural_expr == get_plural("cy").plural_expr
    years = welsh.get("%(num)d year")
    # zero, one, two, few (3), many (6), other: "0 o flynyddoedd", "1 flwyddyn", "2 flynedd", "3 blynedd"…
    assert years.string[1] == "%(num)d flwyddyn" and years.string[2] == "%(num)d flynedd"
    assert years.string[5] == "%(num)d o flynyddoedd"


def test_a_new_untranslated_public_string_is_caught(tmp_path):
    public = msgids_from(exclude=STAFF_ONLY) | {"A sentence nobody has translated yet"}
    assert untranslated("cy", public) == ["A sentence nobody has translated yet"]


def messages_of(catalog):
    """{(context, msgid forms): the forms shown} as gettext serves them from a compiled
    catalogue, whatever tool version wrote it: the header (where a tool names itself) is
    left out, an empty plural form shows the English, and an entry that shows only English
    counts as absent (however the compiler chose to write it)."""
    served = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        plural = isinstance(message.id, (list, tuple))
        ids = tuple(message.id) if plural else (message.id,)
        strings = tuple(message.string) if plural else (message.string,)
        english = [ids[min(form, len(ids) - 1)] for form in range(len(strings))]
        shown = tuple(string or english[form] for form, string in enumerate(strings))
        if list(shown) != english:
            served[(message.context, ids)] = shown
    return served


@pytest.mark.parametrize("lang", ["cy", "pl", "ur"])
def test_the_committed_mo_file_matches_its_po_file(lang):
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        committed = messages_of(read_mo(mo))
    expected = messages_of(catalogue(lang))
    stale = sorted(str(key[1][0]) for key in committed.keys() ^ expected.keys()) + sorted(
        str(key[1][0]) for key in committed.keys() & expected.keys() if committed[key] != expected[key])
    assert len(expected) > 50
    assert not stale, f"{lang}: messages.mo is stale ({len(stale)} messages differ); " \
        f"run scripts/translations.sh compile:\n" + "\n".join(stale[:20])


def test_a_stale_mo_file_is_caught():
    changed = catalogue("cy")
    changed.add("A sentence added after the last compile", "Brawddeg newydd")
    compiled = BytesIO()
    write_mo(compiled, changed)
    compiled.seek(0)
    assert messages_of(read_mo(compiled)) != messages_of(catalogue("cy"))
    compiled.seek(0)
    assert messages_of(read_mo(compiled)) == messages_of(changed)


def test_welsh_alerts_are_hysbysiadau_never_the_word_for_messages():
    welsh = catalogue("cy")
    about_alerts = [m for m in welsh if m.id and "alert" in (m.id if isinstance(m.id, str) else m.id[0]).lower()]
    assert len(about_alerts) >= 26
    for message in about_alerts:
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        assert all("hysbysiad" in s.lower() for s in strings), message.id


def test_the_safety_and_grade_wording_the_translation_review_asked_for():
    welsh, polish, urdu = catalogue("cy"), catalogue("pl"), catalogue("ur")
    # A screen reader reads "2" as "dau": the words say how many more presses.
    assert welsh.get("Shift, press 1 more time to exit.").string == "Shift, pwyswch unwaith eto i adael."
    assert welsh.get("Shift, press 2 more times to exit.").string == "Shift, pwyswch ddwywaith eto i adael."
    # The shortcut expired, not "the time to leave has run out".
    assert polish.get("Exit this page expired.").string == "Skrót klawiszowy „Szybko opuść tę stronę” wygasł."
    assert urdu.get("Exit this page expired.").string == "یہ سائٹ فوراً چھوڑنے کا شارٹ کٹ ختم ہو گیا۔"
    assert (polish.get("Emergency").string, urdu.get("Emergency").string) == ("Sytuacja awaryjna", "ہنگامی صورتحال")
    assert welsh.get("Fair").string == "Gweddol"
    assert not [m.id for m in welsh if m.id and "Digonol" in str(m.string)]
    assert not [m.id for m in welsh if m.id and "yfredol" in str(m.string)]  # "current" is presennol
    assert not [m.id for m in welsh if m.id and "Plismona'r Gymdogaeth" in str(m.string)]
    assert welsh.get("Closed", context="opening hours").string != welsh.get("Closed", context="status").string
