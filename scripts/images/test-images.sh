#!/usr/bin/env bash
# npm run test:images — builds Dockerfile.server and Dockerfile.client without a Docker engine or a
# registry (buildah with chroot isolation, on the local bases of build-base-images.sh) and
# checks the results (docker format, which keeps HEALTHCHECK; OCI drops it):
#   server: the image's USER is 10001, the running process is UID 10001, /api/health/live answers,
#           nothing is written outside /data, /var/spool/xiaoyu and /tmp, SIGTERM stops it gracefully,
#           and ROLE=worker answers too (on the machine's PostgreSQL when createdb works there);
#   client: nginx runs as 10101, serves /healthz, index.html, the SPA fallback, cached hashed assets
#           (gzip), the security headers, and proxies /api to the server.
# Needs root, buildah, mmdebstrap, curl, the npm registry, and Redis on 127.0.0.1:6379 (the server's
# queues). Set SKIP_CLIENT=1 to build and check the server image only.
# pass() always succeeds, so `test && pass ... || fail ...` is a true if-then-else here.
# shellcheck disable=SC2015
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export BUILDAH_ISOLATION=${BUILDAH_ISOLATION:-chroot}
NODE_VERSION=${NODE_VERSION:-22.23.5}
NODE_BASE=localhost/xiaoyu-base/node:$NODE_VERSION
NGINX_BASE=localhost/xiaoyu-base/nginx:bookworm
SERVER_IMAGE=localhost/xiaoyu-ai/server:test
CLIENT_IMAGE=localhost/xiaoyu-ai/client:test
port=${TEST_PORT:-4987}
work=$(mktemp -d)
failures=0
containers=()
pids=()
test_db="xiaoyu_image_test_$$"
created_db=""

log() { echo "test-images: $*" >&2; }
pass() { echo "test-images: ok   $*"; }
fail() {
  echo "test-images: FAIL $*" >&2
  failures=$((failures + 1))
}
die() {
  echo "test-images: ERROR: $*" >&2
  exit 1
}

# All descendants of a PID (the processes that `buildah run` started).
descendants() {
  local child
  for child in $(pgrep -P "$1" || true); do
    echo "$child"
    descendants "$child"
  done
}

cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    for child in $(descendants "$pid"); do kill -TERM "$child" 2>/dev/null || true; done
    kill -TERM "$pid" 2>/dev/null || true
  done
  for ctr in "${containers[@]}"; do
    buildah umount "$ctr" >/dev/null 2>&1 || true
    buildah rm "$ctr" >/dev/null 2>&1 || true
  done
  if [ -n "$created_db" ]; then
    dropdb -h 127.0.0.1 -U postgres --if-exists "$created_db" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || die "run as root (buildah with vfs storage and chroot isolation)"
for tool in buildah mmdebstrap curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (apt-get install -y buildah mmdebstrap curl)"
done

"$here/build-base-images.sh"

# ---- server ---------------------------------------------------------------------------------------
log "building $SERVER_IMAGE (FROM $NODE_BASE)"
start=$(date +%s)
buildah bud --quiet --format docker --build-arg NODE_IMAGE="$NODE_BASE" -f "$root/Dockerfile.server" -t "$SERVER_IMAGE" "$root" >"$work/server-build.log" 2>&1 \
  || { tail -40 "$work/server-build.log" >&2; die "the server image did not build"; }
pass "server image built in $(($(date +%s) - start)) s ($(buildah images --format '{{.Size}}' "$SERVER_IMAGE"))"

config_user=$(buildah inspect --type image --format '{{.OCIv1.Config.User}}' "$SERVER_IMAGE")
[ "$config_user" = "10001:10001" ] && pass "server image USER is $config_user" || fail "server image USER is '$config_user', expected 10001:10001"
buildah inspect --type image "$SERVER_IMAGE" >"$work/server-inspect.json"
healthcheck=$(node -e 'const i = require(process.argv[1]); console.log(JSON.stringify(i.Docker.config.Healthcheck ?? null))' "$work/server-inspect.json")
case "$healthcheck" in *"/api/health/live"*) pass "server image HEALTHCHECK probes /api/health/live" ;; *) fail "server image HEALTHCHECK is $healthcheck" ;; esac

ctr=$(buildah from "$SERVER_IMAGE")
containers+=("$ctr")
mnt=$(buildah mount "$ctr")
# A listing of path, mtime and size of the container's files outside the writable volumes (and
# buildah's own bind mounts), to compare before and after the run.
snapshot() {
  find "$mnt" -xdev \( -path "$mnt/data" -o -path "$mnt/tmp" -o -path "$mnt/var/spool/xiaoyu" -o -path "$mnt/proc" \
    -o -path "$mnt/sys" -o -path "$mnt/dev" -o -path "$mnt/run" -o -path "$mnt/etc/hosts" -o -path "$mnt/etc/resolv.conf" \
    -o -path "$mnt/etc/hostname" \) -prune -o -printf '%P %T@ %s\n' 2>/dev/null | sort
}
snapshot >"$work/before.txt"
log "starting the server (ROLE=all, PGlite under /data, Redis on 127.0.0.1:6379, port $port)"
buildah run \
  --env NODE_ENV=production --env ROLE=all --env PORT="$port" \
  --env JWT_SECRET=image-test-secret-0123456789abcdefghijklmnop \
  --env REDIS_URL=redis://127.0.0.1:6379 --env QUEUE_PREFIX="xiaoyu-image-test-$$" \
  --env LOG_LEVEL=info \
  "$ctr" -- /usr/bin/tini -- node server/dist/main.js >"$work/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")

live=false
for _ in $(seq 1 90); do
  if curl -fsS --max-time 2 "http://127.0.0.1:$port/api/health/live" >"$work/live.json" 2>/dev/null; then
    live=true
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 1
done
if [ "$live" = true ]; then
  pass "server answers /api/health/live: $(cat "$work/live.json")"
  ready=$(curl -s -o "$work/ready.json" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/api/health/ready" || true)
  log "/api/health/ready answered $ready: $(head -c 300 "$work/ready.json")"
else
  fail "server did not answer /api/health/live within 90 s"
  tail -40 "$work/server.log" >&2
fi

node_pid=$(for p in $(descendants "$server_pid"); do [ "$(ps -o comm= -p "$p")" = node ] && echo "$p"; done | head -n 1)
if [ -n "$node_pid" ]; then
  uid=$(ps -o uid= -p "$node_pid" | tr -d ' ')
  [ "$uid" = 10001 ] && pass "the node process runs as UID $uid" || fail "the node process runs as UID $uid"
else
  fail "no node process found under buildah run"
fi

# Read-only-root friendly: nothing changed outside the volumes and /tmp.
written=$(diff "$work/before.txt" <(snapshot) | grep '^[<>]' | awk '{ print "/" $2 }' | sort -u || true)
if [ -z "$written" ]; then
  pass "the server wrote nothing outside /data, /var/spool/xiaoyu and /tmp"
else
  fail "the server wrote outside its volumes: $(echo "$written" | head -10 | tr '\n' ' ')"
fi
[ -n "$(find "$mnt/data" -mindepth 1 -print -quit 2>/dev/null)" ] && pass "the server wrote its data under /data" || log "nothing under /data yet"

if [ -n "$node_pid" ]; then
  tini_pid=$(ps -o ppid= -p "$node_pid" | tr -d ' ')
  kill -TERM "$tini_pid"
  stopped=false
  for _ in $(seq 1 40); do
    if ! kill -0 "$node_pid" 2>/dev/null; then
      stopped=true
      break
    fi
    sleep 0.5
  done
  wait "$server_pid" 2>/dev/null && code=0 || code=$?
  [ "$stopped" = true ] && pass "SIGTERM to tini stopped the server within 20 s (exit $code)" || fail "the server ignored SIGTERM for 20 s"
fi

# The same image as a worker (ROLE=worker still answers the health routes for the probes), on the
# machine's PostgreSQL when there is one (as in prod: DATABASE_URL), else on PGlite again.
worker_env=()
if command -v createdb >/dev/null 2>&1 && createdb -h 127.0.0.1 -U postgres "$test_db" 2>/dev/null; then
  created_db=$test_db
  worker_env=(--env "DATABASE_URL=postgres://postgres@127.0.0.1:5432/$test_db")
  log "ROLE=worker on PostgreSQL (database $test_db)"
fi
buildah run --env NODE_ENV=production --env ROLE=worker --env PORT="$port" "${worker_env[@]}" \
  --env JWT_SECRET=image-test-secret-0123456789abcdefghijklmnop \
  --env REDIS_URL=redis://127.0.0.1:6379 --env QUEUE_PREFIX="xiaoyu-image-test-$$" \
  "$ctr" -- /usr/bin/tini -- node server/dist/main.js >"$work/worker.log" 2>&1 &
worker_pid=$!
pids+=("$worker_pid")
worker_live=false
for _ in $(seq 1 60); do
  if curl -fsS --max-time 2 "http://127.0.0.1:$port/api/health/live" >/dev/null 2>&1; then
    worker_live=true
    break
  fi
  kill -0 "$worker_pid" 2>/dev/null || break
  sleep 1
done
if [ "$worker_live" = true ] && [ -n "$created_db" ]; then
  ready=$(curl -s --max-time 5 "http://127.0.0.1:$port/api/health/ready" || true)
  case "$ready" in *'"engine":"postgres'*) pass "ROLE=worker migrated and reports PostgreSQL ready" ;; *) fail "ROLE=worker on PostgreSQL: readiness $ready" ;; esac
fi
[ "$worker_live" = true ] && pass "ROLE=worker answers /api/health/live" || { fail "ROLE=worker did not answer /api/health/live"; tail -20 "$work/worker.log" >&2; }
for p in $(descendants "$worker_pid"); do [ "$(ps -o comm= -p "$p")" = tini ] && kill -TERM "$p"; done
wait "$worker_pid" 2>/dev/null || true

# ---- client ---------------------------------------------------------------------------------------
if [ -n "${SKIP_CLIENT:-}" ]; then
  log "SKIP_CLIENT set: the client image was not built"
else
  log "building $CLIENT_IMAGE (FROM $NODE_BASE and $NGINX_BASE)"
  start=$(date +%s)
  if buildah bud --quiet --format docker --build-arg NODE_IMAGE="$NODE_BASE" --build-arg NGINX_IMAGE="$NGINX_BASE" \
    -f "$root/Dockerfile.client" -t "$CLIENT_IMAGE" "$root" >"$work/client-build.log" 2>&1; then
    pass "client image built in $(($(date +%s) - start)) s ($(buildah images --format '{{.Size}}' "$CLIENT_IMAGE"))"
    if ss -ltn 2>/dev/null | grep -q ':8080 '; then
      fail "port 8080 is taken on this machine: the client image was not started"
    else
      # The server again, for the /api proxy check.
      sctr=$(buildah from "$SERVER_IMAGE")
      containers+=("$sctr")
      buildah run --env NODE_ENV=production --env PORT="$port" --env JWT_SECRET=image-test-secret-0123456789abcdefghijklmnop \
        --env REDIS_URL=redis://127.0.0.1:6379 --env QUEUE_PREFIX="xiaoyu-image-test-$$" \
        "$sctr" -- /usr/bin/tini -- node server/dist/main.js >"$work/server2.log" 2>&1 &
      pids+=("$!")
      cctr=$(buildah from "$CLIENT_IMAGE")
      containers+=("$cctr")
      buildah run --env API_UPSTREAM="127.0.0.1:$port" "$cctr" -- /usr/local/bin/xiaoyu-nginx-entrypoint >"$work/nginx.log" 2>&1 &
      client_pid=$!
      pids+=("$client_pid")
      for _ in $(seq 1 60); do
        curl -fsS --max-time 2 "http://127.0.0.1:$port/api/health/live" >/dev/null 2>&1 && curl -fsS --max-time 2 http://127.0.0.1:8080/healthz >/dev/null 2>&1 && break
        sleep 1
      done
      check() { # name, expected status, url, [grep pattern on headers+body]
        local code
        code=$(curl -s -D "$work/h" -o "$work/b" -w '%{http_code}' --compressed --max-time 5 -H 'Accept: text/html' "$3" || true)
        if [ "$code" != "$2" ]; then
          fail "$1: $3 answered $code, expected $2"
        elif [ -n "${4:-}" ] && ! cat "$work/h" "$work/b" | grep -qiE "$4"; then
          fail "$1: $3 lacks /$4/"
        else
          pass "$1"
        fi
      }
      check "nginx /healthz" 200 http://127.0.0.1:8080/healthz '^ok'
      check "index.html with security headers" 200 http://127.0.0.1:8080/ 'content-security-policy: '
      check "SPA fallback for a client route" 200 http://127.0.0.1:8080/music/some/route '<app-root|<!doctype html'
      check "/api proxied to the server" 200 http://127.0.0.1:8080/api/health/live '"status":"ok"'
      asset=$(grep -oE '(main|chunk|polyfills)-[A-Za-z0-9]{8,}\.js' "$work/b" | head -n 1 || true)
      [ -n "$asset" ] || asset=$(cd "$(buildah mount "$cctr")/usr/share/nginx/html" && find . -maxdepth 1 -name 'main-*.js' | head -n 1 | sed 's|^\./||')
      check "hashed asset $asset cached for a year" 200 "http://127.0.0.1:8080/$asset" 'cache-control: public, max-age=31536000, immutable'
      enc=$(curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' "http://127.0.0.1:8080/$asset" | tr -d '\r' | grep -i '^content-encoding:' || true)
      [ -n "$enc" ] && pass "hashed asset served with $enc" || fail "hashed asset not gzip-compressed"
      check "a missing hashed asset is a 404, not index.html" 404 http://127.0.0.1:8080/main-ZZZZZZZZ.js
      nginx_uids=$(for p in $(descendants "$client_pid"); do [ "$(ps -o comm= -p "$p")" = nginx ] && ps -o uid= -p "$p"; done | tr -d ' ' | sort -u | tr '\n' ' ')
      [ "$nginx_uids" = "10101 " ] && pass "nginx runs as UID 10101" || fail "nginx runs as UIDs '$nginx_uids'"
    fi
  else
    tail -40 "$work/client-build.log" >&2
    fail "the client image did not build"
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "test-images: $failures check(s) failed" >&2
  exit 1
fi
echo "test-images: all checks passed"
