#!/usr/bin/env bash
# Pins every Python dependency, direct and transitive, with hashes, for Python 3.11 on
# Linux x86_64 (what CI and the production instructions use):
#   requirements/app.txt   the portal with the postgres and server extras (production)
#   requirements/test.txt  the same plus the test extra (the README's test command, CI)
# Existing pins are kept unless a change in pyproject.toml needs another version, so
# adding a dependency changes only what it brings in. Arguments go to `uv pip compile`:
#   bash scripts/lock.sh                      # after editing pyproject.toml
#   bash scripts/lock.sh --upgrade            # move everything to the newest allowed
#   bash scripts/lock.sh --upgrade-package X  # one package
#   UV_OFFLINE=1 bash scripts/lock.sh         # from uv's cache, without the network
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
UV_VERSION=0.13.9
UV=uv
if ! command -v uv >/dev/null || [ "$(uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  # This uv in a virtual environment of its own, made once (not in the system's Python).
  TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/npt-portal-uv-$UV_VERSION"
  [ -x "$TOOLS/bin/uv" ] || { python3 -m venv "$TOOLS" && "$TOOLS/bin/pip" install --quiet "uv==$UV_VERSION"; }
  UV="$TOOLS/bin/uv"
fi
compile=("$UV" pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11
         --python-platform x86_64-manylinux_2_28 --no-header --annotation-style line)
# The test lock is resolved first; the app lock takes the same versions from it.
"${compile[@]}" --extra postgres --extra server --extra test -o requirements/test.txt "$@"
"${compile[@]}" --extra postgres --extra server -c requirements/test.txt -o requirements/app.txt "$@"
echo "requirements/app.txt: $(grep -c '^[a-z0-9]' requirements/app.txt) packages;" \
     "requirements/test.txt: $(grep -c '^[a-z0-9]' requirements/test.txt) packages"
