#!/usr/bin/env bash
# Rolls the server, worker and client Deployments back to their previous revision (or REVISION) and
# waits for them, then health-checks through the server Service.
#   scripts/rollback-k8s.sh OVERLAY [REVISION]
# List revisions with: kubectl -n xiaoyu-ai rollout history deployment/server
# The ConfigMap and Secret are content-hashed, so a revision still points at the configuration it was
# deployed with (old ones are kept until pruned). Database migrations are not rolled back.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
namespace=xiaoyu-ai
timeout=${ROLLOUT_TIMEOUT:-300s}

die() {
  echo "rollback-k8s: ERROR: $*" >&2
  exit 1
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  die "usage: rollback-k8s.sh OVERLAY [REVISION]"
fi
overlay=$1
revision=${2:-}
[ -f "$root/deploy/overlays/$overlay/kustomization.yaml" ] || die "no overlay '$overlay' under deploy/overlays"
case "$revision" in *[!0-9]*) die "REVISION must be a number (see kubectl rollout history)" ;; esac
command -v kubectl >/dev/null 2>&1 || die "kubectl is not installed"
context=$(kubectl config current-context 2>/dev/null) || die "kubectl has no current context"
if [ -n "${KUBE_CONTEXT:-}" ] && [ "$context" != "$KUBE_CONTEXT" ]; then
  die "current context is '$context' but KUBE_CONTEXT is '$KUBE_CONTEXT'"
fi
kubectl -n "$namespace" get deployment server >/dev/null 2>&1 || die "no deployment/server in namespace $namespace of context '$context'"
echo "rollback-k8s: rolling back '$overlay' in context '$context' to ${revision:-the previous revision}" >&2

for deployment in server worker client; do
  if [ -n "$revision" ]; then
    kubectl -n "$namespace" rollout undo "deployment/$deployment" --to-revision="$revision" \
      || die "deployment/$deployment has no revision $revision (kubectl -n $namespace rollout history deployment/$deployment)"
  else
    kubectl -n "$namespace" rollout undo "deployment/$deployment" || die "could not roll back deployment/$deployment"
  fi
done
for deployment in server worker client; do
  kubectl -n "$namespace" rollout status "deployment/$deployment" --timeout="$timeout" \
    || die "deployment/$deployment did not become ready after the rollback"
done

port=$((20000 + RANDOM % 20000))
work=$(mktemp -d)
kubectl -n "$namespace" port-forward svc/server "$port:4000" >"$work/port-forward.log" 2>&1 &
forward_pid=$!
trap 'kill "$forward_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 20); do
  grep -q "Forwarding from" "$work/port-forward.log" && break
  sleep 0.5
done
"$here/health-check.sh" "http://127.0.0.1:$port" || die "unhealthy after the rollback"
echo "rollback-k8s: $overlay rolled back"
