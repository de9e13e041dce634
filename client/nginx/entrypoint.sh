#!/bin/sh
# Renders the server block with API_UPSTREAM and runs nginx in the foreground (PID 1, so SIGQUIT/SIGTERM
# reach it directly). Writes only under /tmp, so the root filesystem can be read-only.
set -eu

API_UPSTREAM="${API_UPSTREAM:-server:4000}"
case "$API_UPSTREAM" in
  *[!A-Za-z0-9.:_-]* | '')
    echo "xiaoyu-nginx: API_UPSTREAM must be host:port, got '$API_UPSTREAM'" >&2
    exit 64
    ;;
esac

mkdir -p /tmp/nginx

# nginx opens its access log by path. A non-root process can reopen /dev/stdout only when the runtime
# handed it stdio it owns (runc/crun do; some other runners don't); otherwise relay through a FIFO that
# an inherited stdout reads from.
if (: >/dev/stdout) 2>/dev/null; then
  ACCESS_LOG=/dev/stdout
else
  ACCESS_LOG=/tmp/nginx/access.fifo
  rm -f "$ACCESS_LOG"
  mkfifo -m 0600 "$ACCESS_LOG"
  cat "$ACCESS_LOG" &
fi

sed -e "s|\${API_UPSTREAM}|${API_UPSTREAM}|g" -e "s|\${ACCESS_LOG}|${ACCESS_LOG}|g" \
  /etc/nginx/xiaoyu/xiaoyu.conf.template > /tmp/nginx/xiaoyu.conf

exec nginx -e stderr -g 'daemon off;'
