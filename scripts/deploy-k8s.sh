#!/usr/bin/env bash
# Deploys one kustomize overlay of deploy/ to the current kubectl context.
#   scripts/deploy-k8s.sh OVERLAY [--render-only] [--yes]
#     OVERLAY        dev | staging | prod (a directory under deploy/overlays)
#     --render-only  check the secrets, render and validate offline, print the manifests; no cluster needed
#     --yes          do not ask before applying to prod
# Environment: KUBE_CONTEXT (refuse unless the current context is this one), IMAGE_TAG (override the
# overlay's server and client image tag), ROLLOUT_TIMEOUT (default 300s), PUBLIC_URL (also health-check
# the public address after the in-cluster check).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
namespace=xiaoyu-ai
timeout=${ROLLOUT_TIMEOUT:-300s}

die() {
  echo "deploy-k8s: ERROR: $*" >&2
  exit 1
}
step() { echo "deploy-k8s: == $*" >&2; }

overlay=""
render_only=false
assume_yes=false
for arg in "$@"; do
  case "$arg" in
    --render-only) render_only=true ;;
    --yes) assume_yes=true ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $arg (see --help)" ;;
    *) [ -z "$overlay" ] || die "only one OVERLAY may be given"; overlay=$arg ;;
  esac
done
[ -n "$overlay" ] || die "usage: deploy-k8s.sh OVERLAY [--render-only] [--yes] (see deploy/overlays/)"
# XIAOYU_DEPLOY_DIR points at another copy of deploy/ (the tests use a scratch copy).
deploy_dir=${XIAOYU_DEPLOY_DIR:-$root/deploy}
overlay_dir="$deploy_dir/overlays/$overlay"
[ -f "$overlay_dir/kustomization.yaml" ] || die "no overlay '$overlay' (expected $overlay_dir/kustomization.yaml)"

# ---- tools ------------------------------------------------------------------------------------------
step "checking tools"
command -v kubectl >/dev/null 2>&1 || die "kubectl is not installed (it renders the overlays with its built-in kustomize)"
command -v node >/dev/null 2>&1 || die "node is not installed (it validates the rendered manifests)"
if [ "$render_only" = false ]; then
  command -v curl >/dev/null 2>&1 || die "curl is not installed (the health check uses it)"
fi

# ---- context ----------------------------------------------------------------------------------------
if [ "$render_only" = false ]; then
  step "checking the kubectl context"
  context=$(kubectl config current-context 2>/dev/null) || die "kubectl has no current context (kubectl config use-context NAME)"
  if [ -n "${KUBE_CONTEXT:-}" ] && [ "$context" != "$KUBE_CONTEXT" ]; then
    die "current context is '$context' but KUBE_CONTEXT is '$KUBE_CONTEXT'"
  fi
  kubectl version --request-timeout=10s >/dev/null 2>&1 || die "cannot reach the API server of context '$context'"
fi

# ---- secrets ----------------------------------------------------------------------------------------
# secret.env must exist and define every key of secret.example.env; keys with a CHANGE_ME example value
# (CHANGE-ME inside host names) must be set to something else. Keys whose example value is empty are optional.
step "checking $overlay/secret.env"
secret_file="$overlay_dir/secret.env"
example_file="$overlay_dir/secret.example.env"
[ -f "$example_file" ] || die "$example_file is missing"
[ -f "$secret_file" ] || die "$secret_file is missing: copy secret.example.env to secret.env and fill it in"
problems=()
while IFS= read -r line; do
  case "$line" in '' | \#*) continue ;; esac
  key=${line%%=*}
  example_value=${line#*=}
  value_line=$(grep -E "^${key}=" "$secret_file" | tail -n 1 || true)
  if [ -z "$value_line" ]; then
    problems+=("$key is missing")
    continue
  fi
  value=${value_line#*=}
  case "$example_value" in
    *CHANGE_ME* | *CHANGE-ME*)
      [ -n "$value" ] || problems+=("$key is empty")
      case "$value" in *CHANGE_ME* | *CHANGE-ME*) problems+=("$key still holds the CHANGE_ME placeholder") ;; esac
      ;;
  esac
done < "$example_file"
if [ "${#problems[@]}" -gt 0 ]; then
  printf 'deploy-k8s: ERROR: %s\n' "${problems[@]/#/$overlay/secret.env: }" >&2
  die "refusing to deploy with incomplete secrets"
fi

# ---- render and validate ----------------------------------------------------------------------------
step "rendering deploy/overlays/$overlay"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source_dir=$overlay_dir
if [ -n "${IMAGE_TAG:-}" ]; then
  case "$IMAGE_TAG" in latest | *[!A-Za-z0-9._-]*) die "IMAGE_TAG '$IMAGE_TAG' is not an allowed tag (no 'latest')" ;; esac
  # A throw-away kustomization on top of the overlay that only changes the tags of the two images
  # (matched by the newName the overlay gives them).
  image_name() {
    awk -v want="xiaoyu-ai/$1" '$1 == "-" && $2 == "name:" { found = ($3 == want) } found && $1 == "newName:" { print $2; exit }' \
      "$overlay_dir/kustomization.yaml"
  }
  server_image=$(image_name server)
  client_image=$(image_name client)
  mkdir -p "$work/tag"
  # kustomize refuses absolute paths in resources.
  cat > "$work/tag/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $(realpath --relative-to="$work/tag" "$overlay_dir")
images:
  - name: ${server_image:-xiaoyu-ai/server}
    newTag: "$IMAGE_TAG"
  - name: ${client_image:-xiaoyu-ai/client}
    newTag: "$IMAGE_TAG"
YAML
  source_dir="$work/tag"
fi
kubectl kustomize "$source_dir" > "$work/manifests.yaml" || die "kubectl kustomize failed for $overlay"
step "validating $(grep -c '^kind:' "$work/manifests.yaml") objects offline (schemas, unknown fields, policy)"
node "$root/deploy/lib/validate-manifests.mjs" "$work/manifests.yaml" --overlay "$overlay" || die "the rendered manifests are invalid; nothing was applied"

if [ "$render_only" = true ]; then
  echo "deploy-k8s: the output below contains the Secret (base64, not encrypted): do not commit or share it" >&2
  cat "$work/manifests.yaml"
  exit 0
fi

# ---- cluster ----------------------------------------------------------------------------------------
step "comparing with the cluster"
echo "deploy-k8s: deploying '$overlay' to context '$context', namespace $namespace" >&2

first_deploy=false
kubectl get namespace "$namespace" >/dev/null 2>&1 || first_deploy=true
if [ "$first_deploy" = true ]; then
  echo "deploy-k8s: namespace $namespace does not exist yet: first deploy, every object is new" >&2
else
  step "changes against the cluster (kubectl diff; Secret values are masked)"
  diff_status=0
  kubectl diff -f "$work/manifests.yaml" || diff_status=$?
  [ "$diff_status" -le 1 ] || die "kubectl diff failed (exit $diff_status)"
  [ "$diff_status" -eq 0 ] && echo "deploy-k8s: no changes" >&2
fi

if [ "$overlay" = prod ] && [ "$assume_yes" = false ]; then
  [ -t 0 ] || die "refusing to deploy prod without a terminal; pass --yes"
  read -r -p "Type the context name to confirm: " answer
  [ "$answer" = "$context" ] || die "confirmation did not match; nothing was applied"
fi

if [ "$first_deploy" = true ]; then
  # The server-side dry run of namespaced objects needs their namespace to exist.
  kubectl create namespace "$namespace" >/dev/null || die "could not create namespace $namespace"
fi

step "server-side dry run"
kubectl apply --dry-run=server -f "$work/manifests.yaml" >/dev/null || die "the API server rejected the manifests (dry run); nothing was applied"

step "applying"
kubectl apply -f "$work/manifests.yaml" || die "kubectl apply failed (some objects may have been applied; see above)"

step "waiting for rollouts (timeout $timeout each)"
while read -r workload; do
  kubectl -n "$namespace" rollout status "$workload" --timeout="$timeout" \
    || die "$workload did not become ready; inspect it with: kubectl -n $namespace describe $workload; roll back with scripts/rollback-k8s.sh $overlay"
done < <(awk '/^kind: (Deployment|StatefulSet)$/ { kind = tolower($2) } /^  name: / && kind { print kind "/" $2; kind = "" }' "$work/manifests.yaml")

step "health check through the server Service"
port=$((20000 + RANDOM % 20000))
kubectl -n "$namespace" port-forward svc/server "$port:4000" >"$work/port-forward.log" 2>&1 &
forward_pid=$!
trap 'kill "$forward_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 20); do
  grep -q "Forwarding from" "$work/port-forward.log" && break
  sleep 0.5
done
"$here/health-check.sh" "http://127.0.0.1:$port" || die "the deployment is unhealthy; roll back with scripts/rollback-k8s.sh $overlay"
if [ -n "${PUBLIC_URL:-}" ]; then
  "$here/health-check.sh" "$PUBLIC_URL" --spa || die "$PUBLIC_URL is unhealthy (Ingress, DNS or TLS?)"
fi
echo "deploy-k8s: $overlay deployed to $context"
