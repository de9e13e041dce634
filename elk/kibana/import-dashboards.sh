#!/usr/bin/env bash
# Imports the data view, saved searches, visualizations and dashboards in elk/kibana/dashboards/*.ndjson
# through Kibana's saved-objects API (overwriting earlier versions: safe to run again).
#   KIBANA_URL=http://localhost:5601 KIBANA_USERNAME=elastic KIBANA_PASSWORD=... elk/kibana/import-dashboards.sh
set -euo pipefail

KIBANA_URL="${KIBANA_URL:-http://localhost:5601}"
DIR="$(cd "$(dirname "$0")" && pwd)/dashboards"
SPACE_PATH="${KIBANA_SPACE:+/s/$KIBANA_SPACE}"
AUTH=()
if [[ -n "${KIBANA_USERNAME:-}" ]]; then AUTH=(-u "${KIBANA_USERNAME}:${KIBANA_PASSWORD:?set KIBANA_PASSWORD}"); fi

echo "import-dashboards: waiting for Kibana at $KIBANA_URL"
for _ in $(seq 1 90); do
  if curl -s "${AUTH[@]}" "$KIBANA_URL/api/status" | grep -q '"level":"available"'; then break; fi
  sleep 2
done

# One file, in dependency order (data view → searches → visualizations → dashboards), so every reference resolves.
BUNDLE="$(mktemp --suffix=.ndjson)"
trap 'rm -f "$BUNDLE"' EXIT
cat "$DIR"/*.ndjson > "$BUNDLE"

RESPONSE="$(curl -s "${AUTH[@]}" -X POST "$KIBANA_URL$SPACE_PATH/api/saved_objects/_import?overwrite=true" \
  -H 'kbn-xsrf: true' -F "file=@$BUNDLE;type=application/ndjson")"
echo "$RESPONSE"
if ! echo "$RESPONSE" | grep -q '"success":true'; then
  echo "import-dashboards: import failed" >&2
  exit 1
fi
echo "import-dashboards: imported $(grep -c . "$BUNDLE") saved objects"
