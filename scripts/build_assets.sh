#!/usr/bin/env bash
# Rebuild the vendored front-end assets in static/ from the npm lock file.
#
#   bash scripts/build_assets.sh
#
# Needs Node.js and npm (and the npm registry) only when the assets change: the
# outputs are committed, so a fresh clone serves them without npm. CI runs this
# and then `git diff --exit-code -- static` to prove the committed files match
# package-lock.json and static/scss/portal.scss.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Exactly what package-lock.json says; no install scripts (sass is pure JS, and
# the optional @parcel/watcher it lists is only for --watch).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

VENDOR=static/vendor

# 1. Our stylesheet, with GOV.UK Frontend's Sass, compressed, no source map.
mkdir -p static/css
node_modules/.bin/sass \
  --no-source-map \
  --style=compressed \
  --load-path=node_modules \
  static/scss/portal.scss static/css/portal.css

# 2. GOV.UK Frontend's JavaScript: the minified ES module bundle.
rm -rf "$VENDOR/govuk-frontend"
mkdir -p "$VENDOR/govuk-frontend"
# (with its source map, which the bundle's last line names). MIT licence.
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
   node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map "$VENDOR/govuk-frontend/"

# 3. Leaflet: script, stylesheet and marker/layer images.
rm -rf "$VENDOR/leaflet"
mkdir -p "$VENDOR/leaflet/images"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
   node_modules/leaflet/dist/leaflet.css "$VENDOR/leaflet/"
cp node_modules/leaflet/dist/images/* "$VENDOR/leaflet/images/"
cp node_modules/leaflet/LICENSE "$VENDOR/leaflet/LICENSE"

# 4. Noto Nastaliq Urdu (Fontsource), Arabic-script subset, regular and bold, woff2 only (every
# browser we support reads it): used only on Urdu pages (static/scss/portal.scss). SIL OFL 1.1.
FONTS="$(pwd)/static/vendor/fonts/noto-nastaliq-urdu"
rm -rf "$FONTS"
mkdir -p "$FONTS"
for weight in 400 700; do
  cp "node_modules/@fontsource/noto-nastaliq-urdu/files/noto-nastaliq-urdu-arabic-$weight-normal.woff2" "$FONTS/"
done
cp node_modules/@fontsource/noto-nastaliq-urdu/LICENSE "$FONTS/LICENSE"

# 5. axe-core for the accessibility tests only (never served): tests/browser/vendor.
mkdir -p tests/browser/vendor
cp node_modules/axe-core/axe.min.js tests/browser/vendor/axe.min.js
cp node_modules/axe-core/LICENSE tests/browser/vendor/axe-core.LICENSE

# Record exactly which versions were vendored.
node -e '
  const v = (p) => require("./node_modules/" + p + "/package.json").version;
  process.stdout.write(JSON.stringify({
    "govuk-frontend": v("govuk-frontend"),
    "leaflet": v("leaflet"),
    "sass": v("sass"),
    "axe-core": v("axe-core"),
    "@fontsource/noto-nastaliq-urdu": v("@fontsource/noto-nastaliq-urdu"),
  }, null, 2) + "\n");
' > "$VENDOR/VERSIONS.json"

echo "Assets built: static/css/portal.css, $VENDOR/govuk-frontend, $VENDOR/leaflet, $VENDOR/fonts"
