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
sed "s|\${API_UPSTREAM}|${API_UPSTREAM}|g" /etc/nginx/xiaoyu/xiaoyu.conf.template > /tmp/nginx/xiaoyu.conf

exec nginx -e stderr -g 'daemon off;'
