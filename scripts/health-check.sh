#!/usr/bin/env bash
# Checks a running xiaoyu-ai deployment: liveness, then readiness (retried while pods settle), and the
# SPA when --spa is given.
#   scripts/health-check.sh URL [--spa] [--retries N] [--interval SECONDS]
#   scripts/health-check.sh https://xiaoyu.example.com --spa
# Exit status: 0 healthy, 1 unhealthy, 64 usage error, 69 curl missing.
set -euo pipefail

usage() {
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
}

url=""
check_spa=false
retries=${HEALTH_RETRIES:-12}
interval=${HEALTH_INTERVAL:-5}
while [ $# -gt 0 ]; do
  case "$1" in
    --spa) check_spa=true ;;
    --retries) retries=${2:?--retries needs a number}; shift ;;
    --interval) interval=${2:?--interval needs seconds}; shift ;;
    -h | --help) usage ;;
    -*) echo "health-check: unknown option $1" >&2; usage ;;
    *) [ -z "$url" ] || usage; url=$1 ;;
  esac
  shift
done
[ -n "$url" ] || usage
case "$retries$interval" in *[!0-9]*) echo "health-check: --retries and --interval take whole numbers" >&2; exit 64 ;; esac
command -v curl >/dev/null 2>&1 || { echo "health-check: curl is required" >&2; exit 69; }
url=${url%/}

# GET url; prints the status code (000 when the connection fails).
status_of() {
  curl --silent --show-error --output /dev/null --write-out '%{http_code}' --max-time 5 "$1" 2>/dev/null || true
}

# Retries until the URL answers 200 or the attempts run out.
expect_200() {
  local name=$1 target=$2 attempt code
  for attempt in $(seq 1 "$retries"); do
    code=$(status_of "$target")
    if [ "$code" = "200" ]; then
      echo "health-check: ok   $name ($target)"
      return 0
    fi
    echo "health-check: wait $name answered ${code:-000} (attempt $attempt/$retries)" >&2
    [ "$attempt" -lt "$retries" ] && sleep "$interval"
  done
  echo "health-check: FAIL $name ($target) did not answer 200" >&2
  if [ "$name" = readiness ]; then
    # The readiness body names the dependency that is down.
    curl --silent --max-time 5 "$target" >&2 || true
    echo >&2
  fi
  return 1
}

expect_200 liveness "$url/api/health/live"
expect_200 readiness "$url/api/health/ready"
if [ "$check_spa" = true ]; then
  expect_200 spa "$url/"
fi
echo "health-check: $url is healthy"
