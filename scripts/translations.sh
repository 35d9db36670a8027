#!/usr/bin/env bash
# The translation workflow (Flask-Babel / pybabel). Catalogues live in
# app/translations/<lang>/LC_MESSAGES/messages.po; the compiled .mo files are
# committed so that a fresh clone needs no build step.
#
#   bash scripts/translations.sh extract   # templates + app/ -> app/translations/messages.pot
#   bash scripts/translations.sh update    # extract, then merge new msgids into every .po
#   bash scripts/translations.sh compile   # every .po -> .mo (run after translating)
#   bash scripts/translations.sh check     # fail if a .pot, .po or .mo is out of date
#   bash scripts/translations.sh init xx   # start a catalogue for a new language xx,
#                                          # then add xx to LANGUAGES in config.py
#
# A new page: write it with _() everywhere, run `update`, translate the new
# (empty or fuzzy) entries in cy (required: tests fail until you do), pl and ur,
# then `compile`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIR=app/translations
POT=$DIR/messages.pot

extract() {
  local out="${1:-$POT}"
  pybabel extract -F babel.cfg --no-location --sort-output \
    --no-wrap --project=npt-portal -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o "$out" . >/dev/null 2>&1
}

case "${1:-}" in
  extract) extract ;;
  update)
    extract
    # No fuzzy matching: its guesses ("Crime in this area" -> "On this page") look translated to
    # a hurried reviewer and fail `compile` checks; a new string starts empty instead.
    pybabel update -i "$POT" -d "$DIR" --no-wrap --ignore-obsolete --no-fuzzy-matching >/dev/null
    ;;
  compile) pybabel compile -d "$DIR" --statistics ;;
  init) pybabel init -i "$POT" -d "$DIR" -l "${2:?language code}" --no-wrap ;;
  check)
    fresh="$(mktemp)"; trap 'rm -f "$fresh"' EXIT
    extract "$fresh"
    diff -q <(grep -v POT-Creation-Date "$POT") <(grep -v POT-Creation-Date "$fresh") >/dev/null \
      || { echo "messages.pot is out of date: run scripts/translations.sh update" >&2; exit 1; }
    python -m pytest -q tests/unit/test_translations.py
    ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
