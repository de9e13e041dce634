// A small NetworkPolicy evaluator over rendered manifests: is a TCP/UDP flow from one endpoint to another
// allowed? It follows the Kubernetes semantics: a pod selected by no policy of a type is open for that
// type; a selected pod allows only what some rule of a selecting policy allows; a flow needs both the
// source's egress and the destination's ingress. Endpoints outside the rendered namespace are not
// restricted by these policies (their own namespace's policies are not ours to check).
const matchesSelector = (selector, labels) => {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels?.[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const value = labels?.[e.key];
    if (e.operator === 'In' && !e.values.includes(value)) return false;
    if (e.operator === 'NotIn' && e.values.includes(value)) return false;
    if (e.operator === 'Exists' && value === undefined) return false;
    if (e.operator === 'DoesNotExist' && value !== undefined) return false;
  }
  return true;
};

/** A pod endpoint; namespace labels include kubernetes.io/metadata.name as the API server sets it. */
export function pod(namespace, labels, namespaceLabels = {}) {
  return { kind: 'pod', namespace, labels, namespaceLabels: { 'kubernetes.io/metadata.name': namespace, ...namespaceLabels } };
}
/** An address outside the cluster. */
export const external = { kind: 'external' };

/** The pods of the rendered workloads, as endpoints. */
export function renderedPods(objects) {
  const namespaces = new Map(objects.filter((o) => o.kind === 'Namespace').map((n) => [n.metadata.name, n.metadata.labels ?? {}]));
  return new Map(
    objects
      .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
      .map((w) => [w.metadata.name, pod(w.metadata.namespace, w.spec.template.metadata.labels, namespaces.get(w.metadata.namespace))]),
  );
}

function portMatches(rulePorts, port, protocol) {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some(
    (p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port || (p.endPort !== undefined && port >= p.port && port <= p.endPort)),
  );
}

function peerMatches(peer, endpoint, policyNamespace) {
  if (peer.ipBlock) return endpoint.kind === 'external';
  if (endpoint.kind !== 'pod') return false;
  if (peer.namespaceSelector) return matchesSelector(peer.namespaceSelector, endpoint.namespaceLabels) && matchesSelector(peer.podSelector, endpoint.labels);
  return endpoint.namespace === policyNamespace && matchesSelector(peer.podSelector, endpoint.labels);
}

function selectingPolicies(policies, endpoint, type) {
  return policies.filter((p) => {
    if (endpoint.kind !== 'pod' || p.metadata.namespace !== endpoint.namespace) return false;
    if (!matchesSelector(p.spec.podSelector, endpoint.labels)) return false;
    const types = p.spec.policyTypes ?? (p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    return types.includes(type);
  });
}

/** Whether the rendered NetworkPolicies let `from` open `protocol` `port` on `to`. */
export function flowAllowed(objects, from, to, port, protocol = 'TCP') {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const egress = selectingPolicies(policies, from, 'Egress');
  const egressOk =
    egress.length === 0 ||
    egress.some((p) =>
      (p.spec.egress ?? []).some(
        (rule) =>
          portMatches(rule.ports, port, protocol) && (!rule.to || rule.to.length === 0 || rule.to.some((peer) => peerMatches(peer, to, p.metadata.namespace))),
      ),
    );
  const ingress = selectingPolicies(policies, to, 'Ingress');
  const ingressOk =
    ingress.length === 0 ||
    ingress.some((p) =>
      (p.spec.ingress ?? []).some(
        (rule) =>
          portMatches(rule.ports, port, protocol) &&
          (!rule.from || rule.from.length === 0 || rule.from.some((peer) => peerMatches(peer, from, p.metadata.namespace))),
      ),
    );
  return egressOk && ingressOk;
}
