#!/usr/bin/env bash
# Starts the local PostgreSQL and Redis the tests need when they are not answering, and installs
# Debian packages the test suite uses (chromium, shellcheck, yamllint) when missing. kubectl (with kustomize v5)
# comes with the machine image; Debian's own kubernetes-client is too old for the overlays, so it is not installed here.
# Safe to run repeatedly; does nothing that is already done.
set -euo pipefail

log() { printf '[ensure-services] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

apt_updated=0
apt_install() {
  local missing=()
  for pair in "$@"; do
    local cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  if [ $apt_updated -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if [ "${SKIP_APT:-0}" != "1" ]; then
  apt_install chromium:chromium shellcheck:shellcheck yamllint:yamllint redis-server:redis-server pg_ctlcluster:postgresql || log "could not install some packages (no root?)"
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log "starting Redis on 127.0.0.1:6379"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log \
    || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null && log "Redis is up"

# The newest cluster's version under /etc/postgresql (empty when PostgreSQL is not installed).
pg_version() { find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -n | tail -1; }
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if ! pg_up; then
  log "starting PostgreSQL on 127.0.0.1:5432"
  version=$(pg_version)
  if [ -n "$version" ]; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 100); do pg_up && break; sleep 0.2; done
fi
if pg_up; then
  log "PostgreSQL is up"
else
  log "PostgreSQL is not answering on 127.0.0.1:5432"; exit 1
fi
# The e2e tests connect as postgres with trust auth and create a database per test app. Debian's clusters ask for a
# password over TCP (scram-sha-256), so a cluster this script manages gets trust for loopback connections, first in
# pg_hba.conf (the first matching line wins).
pg_trusts() { psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; }
if ! pg_trusts; then
  version=$(pg_version)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if [ -n "$version" ] && as_root test -f "$hba"; then
    log "allowing trust auth for loopback connections in $hba"
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
    for _ in $(seq 1 25); do pg_trusts && break; sleep 0.2; done
  fi
fi
pg_trusts || { log "cannot connect as postgres@127.0.0.1 (trust auth expected)"; exit 1; }
