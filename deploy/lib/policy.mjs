// Policy checks over rendered manifests. Each check returns a list of violations (strings); the tests
// assert that the real overlays have none and that deliberately broken fixtures are caught.
import { NAMESPACE } from './render.mjs';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'IngressClass', 'PriorityClass']);
const SERVER_IMAGE = /(^|\/)xiaoyu-ai\/server(:|@|$)/;
/** Variables that hold credentials: Secret only, never the ConfigMap. */
const SECRET_VARIABLE = /SECRET|PASSWORD|API_KEY|TOKEN|^DATABASE_URL$|^REDIS_URL$/;
/** Keys in the Secret that are not server variables: passwords of the in-cluster datastores. */
const DATASTORE_SECRET_KEYS = new Set(['POSTGRES_PASSWORD', 'REDIS_PASSWORD']);
/** Settings a multi-replica deployment cannot leave at their single-machine defaults. */
export const DEPLOYMENT_REQUIRED = ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET'];

const id = (o) => `${o.kind}/${o.metadata?.name}`;
const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);
/** Every workload kind here (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job) keeps its pod spec at spec.template.spec. */
const podSpecOf = (w) => w.spec?.template?.spec;
const podLabelsOf = (w) => w.spec?.template?.metadata?.labels ?? {};
const allContainers = (spec) => [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];

export function workloads(objects) {
  return objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
}

/** matchLabels selector (or a plain map, as in Service.spec.selector) against a label map. */
export function selectorMatches(selector, labels) {
  if (!selector) return false;
  const matchLabels = selector.matchLabels ?? (selector.matchExpressions ? {} : selector);
  for (const [k, v] of Object.entries(matchLabels)) if (labels?.[k] !== v) return false;
  for (const expr of selector.matchExpressions ?? []) {
    const value = labels?.[expr.key];
    if (expr.operator === 'In' && !expr.values.includes(value)) return false;
    if (expr.operator === 'NotIn' && expr.values.includes(value)) return false;
    if (expr.operator === 'Exists' && value === undefined) return false;
    if (expr.operator === 'DoesNotExist' && value !== undefined) return false;
  }
  return Object.keys(matchLabels).length > 0 || (selector.matchExpressions ?? []).length > 0;
}

const BINARY = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
/** A Kubernetes quantity ("250m", "1Gi", 2) as a number; NaN when malformed. */
export function parseQuantity(q) {
  if (typeof q === 'number') return q;
  const m = /^([+-]?\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(String(q).trim());
  if (!m) return Number.NaN;
  const unit = m[2] ?? '';
  return Number(m[1]) * (BINARY[unit] ?? DECIMAL[unit]);
}

// ---------------------------------------------------------------- workloads

export function checkProbes(objects) {
  const v = [];
  for (const w of workloads(objects)) {
    for (const c of podSpecOf(w)?.containers ?? []) {
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        if (!c[probe]) v.push(`${id(w)} container ${c.name}: no ${probe}`);
      }
      if (SERVER_IMAGE.test(c.image ?? '')) {
        if (c.livenessProbe?.httpGet?.path !== '/api/health/live') v.push(`${id(w)} container ${c.name}: livenessProbe must GET /api/health/live`);
        if (c.readinessProbe?.httpGet?.path !== '/api/health/ready') v.push(`${id(w)} container ${c.name}: readinessProbe must GET /api/health/ready`);
      }
    }
  }
  return v;
}

export function checkResources(objects) {
  const v = [];
  for (const w of workloads(objects)) {
    for (const c of allContainers(podSpecOf(w))) {
      for (const kind of ['requests', 'limits']) {
        for (const r of ['cpu', 'memory']) {
          const q = c.resources?.[kind]?.[r];
          if (q === undefined) v.push(`${id(w)} container ${c.name}: no ${kind}.${r}`);
          else if (Number.isNaN(parseQuantity(q))) v.push(`${id(w)} container ${c.name}: ${kind}.${r} "${q}" is not a quantity`);
        }
      }
      for (const r of ['cpu', 'memory']) {
        const req = parseQuantity(c.resources?.requests?.[r]);
        const lim = parseQuantity(c.resources?.limits?.[r]);
        if (req > lim) v.push(`${id(w)} container ${c.name}: requests.${r} exceeds limits.${r}`);
      }
    }
  }
  return v;
}

/**
 * The Role rules the platform grants (the AIOps scale-workers fix): get/patch on named Deployments' scale
 * subresource, and get/patch on named HorizontalPodAutoscalers (the fix raises the minReplicas of the HPA that owns
 * the worker's replicas). Each entry: what the rule may name, and how to check that what it names exists.
 */
const SCOPED_RULES = [
  {
    apiGroup: 'apps',
    resource: 'deployments/scale',
    exists: (objects, name) => byKind(objects, 'Deployment').some((d) => d.metadata?.name === name) || `Deployment ${name} does not exist`,
  },
  {
    apiGroup: 'autoscaling',
    resource: 'horizontalpodautoscalers',
    exists: (objects, name) => {
      const hpa = byKind(objects, 'HorizontalPodAutoscaler').find((h) => h.metadata?.name === name);
      if (!hpa) return `HorizontalPodAutoscaler ${name} does not exist`;
      const ref = hpa.spec?.scaleTargetRef;
      return (ref?.kind === 'Deployment' && ref?.name === name) || `HorizontalPodAutoscaler ${name} does not scale Deployment ${name}`;
    },
  },
];

/** The scoped rule kind a Role rule is (get/patch only, named objects only), or undefined when it grants more. */
function scopedRule(rule) {
  const only = (list, allowed) => Array.isArray(list) && list.length > 0 && list.every((x) => allowed.includes(x));
  if (!only(rule.verbs, ['get', 'patch']) || !Array.isArray(rule.resourceNames) || rule.resourceNames.length === 0 || rule.nonResourceURLs) return undefined;
  return SCOPED_RULES.find((s) => only(rule.apiGroups, [s.apiGroup]) && only(rule.resources, [s.resource]));
}

/**
 * RBAC is exactly scoped: no cluster-wide roles, every Role grants only get/patch on named Deployments' scale
 * subresource or on named HorizontalPodAutoscalers of a Deployment of the same name (which must exist), every
 * RoleBinding binds such a Role to ServiceAccounts of the namespace.
 */
export function checkRbac(objects) {
  const v = [];
  for (const o of [...byKind(objects, 'ClusterRole'), ...byKind(objects, 'ClusterRoleBinding')]) v.push(`${id(o)}: cluster-wide RBAC is not allowed`);
  const roles = new Map(byKind(objects, 'Role').map((r) => [r.metadata?.name, r]));
  for (const role of roles.values()) {
    for (const rule of role.rules ?? []) {
      const scoped = scopedRule(rule);
      if (!scoped) v.push(`${id(role)}: grants more than get/patch on named deployments/scale or horizontalpodautoscalers (${JSON.stringify(rule)})`);
      else
        for (const name of rule.resourceNames) {
          const found = scoped.exists(objects, name);
          if (found !== true) v.push(`${id(role)}: ${found}`);
        }
    }
  }
  for (const binding of byKind(objects, 'RoleBinding')) {
    if (binding.roleRef?.kind !== 'Role' || !roles.has(binding.roleRef?.name)) v.push(`${id(binding)}: must bind a Role of this namespace`);
    for (const s of binding.subjects ?? []) {
      if (s.kind !== 'ServiceAccount' || (s.namespace && s.namespace !== NAMESPACE))
        v.push(`${id(binding)}: subject ${s.kind}/${s.name} is not a ServiceAccount of ${NAMESPACE}`);
    }
  }
  return v;
}

/** ServiceAccounts bound only to exactly scoped Roles: their pods may mount a token. */
export function scopedTokenAccounts(objects) {
  if (checkRbac(objects).length) return new Set();
  const bound = new Set();
  for (const binding of byKind(objects, 'RoleBinding')) for (const s of binding.subjects ?? []) if (s.kind === 'ServiceAccount') bound.add(s.name);
  return bound;
}

export function checkSecurityContext(objects) {
  const v = [];
  const tokenAccounts = scopedTokenAccounts(objects);
  for (const w of workloads(objects)) {
    const spec = podSpecOf(w) ?? {};
    const pod = spec.securityContext ?? {};
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) v.push(`${id(w)}: uses the host's network/PID/IPC namespace`);
    // a token only for an account bound to exactly scoped RBAC (the worker's scale-workers fix)
    if (spec.automountServiceAccountToken !== false && !tokenAccounts.has(spec.serviceAccountName))
      v.push(`${id(w)}: automountServiceAccountToken must be false (or its ServiceAccount bound to exactly scoped RBAC only)`);
    for (const vol of spec.volumes ?? []) if (vol.hostPath) v.push(`${id(w)}: hostPath volume ${vol.name}`);
    if (pod.runAsUser === 0) v.push(`${id(w)}: pod runAsUser is 0`);
    for (const c of allContainers(spec)) {
      const sc = c.securityContext ?? {};
      const where = `${id(w)} container ${c.name}`;
      if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) v.push(`${where}: runAsNonRoot must be true`);
      if ((sc.runAsUser ?? pod.runAsUser) === 0) v.push(`${where}: runs as UID 0`);
      if (sc.readOnlyRootFilesystem !== true) v.push(`${where}: readOnlyRootFilesystem must be true`);
      if (sc.allowPrivilegeEscalation !== false) v.push(`${where}: allowPrivilegeEscalation must be false`);
      if (sc.privileged) v.push(`${where}: privileged`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) v.push(`${where}: capabilities must drop ALL`);
      if ((sc.capabilities?.add ?? []).length > 0) v.push(`${where}: adds capabilities ${sc.capabilities.add.join(',')}`);
      if ((sc.seccompProfile ?? pod.seccompProfile)?.type !== 'RuntimeDefault') v.push(`${where}: seccompProfile must be RuntimeDefault`);
    }
  }
  return v;
}

export function checkTopologySpread(objects) {
  const v = [];
  for (const w of workloads(objects)) {
    if (w.kind === 'Job' || w.kind === 'DaemonSet') continue;
    const constraints = podSpecOf(w)?.topologySpreadConstraints ?? [];
    const byNode = constraints.find((c) => c.topologyKey === 'kubernetes.io/hostname');
    if (!byNode) v.push(`${id(w)}: no topology spread across nodes (kubernetes.io/hostname)`);
    else if (!selectorMatches(byNode.labelSelector, podLabelsOf(w))) v.push(`${id(w)}: topology spread selector does not select its own pods`);
  }
  return v;
}

/** Every image carries an explicit tag or digest, and none is "latest". */
export function checkImages(objects) {
  const v = [];
  for (const w of workloads(objects)) {
    for (const c of allContainers(podSpecOf(w))) {
      const image = c.image ?? '';
      const digest = image.includes('@sha256:');
      const lastSegment = image.split('/').pop();
      const tag = lastSegment.includes(':') ? lastSegment.split(':').pop() : null;
      if (!digest && !tag) v.push(`${id(w)} container ${c.name}: image "${image}" has no tag`);
      if (tag === 'latest') v.push(`${id(w)} container ${c.name}: image "${image}" uses the latest tag`);
    }
  }
  return v;
}

// ---------------------------------------------------------------- references between objects

export function checkNamespaces(objects) {
  const v = [];
  if (!objects.some((o) => o.kind === 'Namespace' && o.metadata?.name === NAMESPACE)) v.push(`no Namespace ${NAMESPACE}`);
  for (const o of objects) {
    if (CLUSTER_SCOPED.has(o.kind)) continue;
    if (o.metadata?.namespace !== NAMESPACE) v.push(`${id(o)}: namespace is ${o.metadata?.namespace ?? 'unset'}, not ${NAMESPACE}`);
  }
  return v;
}

export function checkReferences(objects) {
  const v = [];
  const names = (kind) => new Set(byKind(objects, kind).map((o) => o.metadata?.name));
  const configMaps = names('ConfigMap');
  const secrets = new Map(byKind(objects, 'Secret').map((s) => [s.metadata.name, s]));
  const claims = names('PersistentVolumeClaim');
  const accounts = names('ServiceAccount');
  for (const w of workloads(objects)) {
    const spec = podSpecOf(w) ?? {};
    if (spec.serviceAccountName && !accounts.has(spec.serviceAccountName)) v.push(`${id(w)}: ServiceAccount ${spec.serviceAccountName} does not exist`);
    const templates = new Set((w.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name));
    const volumes = new Set((spec.volumes ?? []).map((x) => x.name));
    for (const vol of spec.volumes ?? []) {
      if (vol.persistentVolumeClaim && !claims.has(vol.persistentVolumeClaim.claimName))
        v.push(`${id(w)}: PVC ${vol.persistentVolumeClaim.claimName} does not exist`);
      if (vol.configMap && !configMaps.has(vol.configMap.name)) v.push(`${id(w)}: ConfigMap ${vol.configMap.name} does not exist`);
      if (vol.secret && !secrets.has(vol.secret.secretName)) v.push(`${id(w)}: Secret ${vol.secret.secretName} does not exist`);
    }
    for (const c of allContainers(spec)) {
      for (const m of c.volumeMounts ?? [])
        if (!volumes.has(m.name) && !templates.has(m.name)) v.push(`${id(w)} container ${c.name}: mounts unknown volume ${m.name}`);
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef && !configMaps.has(from.configMapRef.name))
          v.push(`${id(w)} container ${c.name}: ConfigMap ${from.configMapRef.name} does not exist`);
        if (from.secretRef && !secrets.has(from.secretRef.name)) v.push(`${id(w)} container ${c.name}: Secret ${from.secretRef.name} does not exist`);
      }
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) {
          const secret = secrets.get(ref.name);
          if (!secret) v.push(`${id(w)} container ${c.name}: Secret ${ref.name} (env ${e.name}) does not exist`);
          else if (!(ref.key in { ...secret.data, ...secret.stringData })) v.push(`${id(w)} container ${c.name}: Secret ${ref.name} has no key ${ref.key}`);
        }
        const cmRef = e.valueFrom?.configMapKeyRef;
        if (cmRef && !configMaps.has(cmRef.name)) v.push(`${id(w)} container ${c.name}: ConfigMap ${cmRef.name} does not exist`);
      }
    }
  }
  for (const sa of byKind(objects, 'ServiceAccount')) {
    if (sa.automountServiceAccountToken !== false) v.push(`${id(sa)}: automountServiceAccountToken must be false`);
  }
  return v;
}

/** Services select existing pods, and their targetPorts exist on those pods. */
export function checkServices(objects) {
  const v = [];
  for (const svc of byKind(objects, 'Service')) {
    const selected = workloads(objects).filter((w) => selectorMatches(svc.spec?.selector, podLabelsOf(w)));
    if (selected.length === 0) {
      v.push(`${id(svc)}: selector ${JSON.stringify(svc.spec?.selector ?? {})} selects no pods`);
      continue;
    }
    const ports = selected.flatMap((w) => (podSpecOf(w)?.containers ?? []).flatMap((c) => c.ports ?? []));
    for (const p of svc.spec?.ports ?? []) {
      const target = p.targetPort ?? p.port;
      const found = ports.some((cp) => (typeof target === 'string' ? cp.name === target : cp.containerPort === target));
      if (!found) v.push(`${id(svc)} port ${p.name ?? p.port}: targetPort ${target} is not a port of the selected pods`);
    }
  }
  return v;
}

export function checkIngresses(objects) {
  const v = [];
  const services = new Map(byKind(objects, 'Service').map((s) => [s.metadata.name, s]));
  for (const ing of byKind(objects, 'Ingress')) {
    const tlsHosts = new Set((ing.spec?.tls ?? []).flatMap((t) => t.hosts ?? []));
    if (tlsHosts.size === 0) v.push(`${id(ing)}: no TLS`);
    if (!ing.metadata?.annotations?.['cert-manager.io/cluster-issuer'] && !ing.metadata?.annotations?.['cert-manager.io/issuer'])
      v.push(`${id(ing)}: no cert-manager issuer annotation`);
    const backends = [];
    if (ing.spec?.defaultBackend?.service) backends.push(ing.spec.defaultBackend.service);
    for (const rule of ing.spec?.rules ?? []) {
      if (!rule.host) v.push(`${id(ing)}: a rule has no host`);
      else if (rule.host.endsWith('.invalid')) v.push(`${id(ing)}: host ${rule.host} is the base placeholder (set it in the overlay)`);
      else if (!tlsHosts.has(rule.host)) v.push(`${id(ing)}: host ${rule.host} is not covered by TLS`);
      for (const path of rule.http?.paths ?? []) if (path.backend?.service) backends.push(path.backend.service);
    }
    for (const b of backends) {
      const svc = services.get(b.name);
      if (!svc) {
        v.push(`${id(ing)}: backend Service ${b.name} does not exist`);
        continue;
      }
      const ok = (svc.spec?.ports ?? []).some((p) => (b.port?.name !== undefined ? p.name === b.port.name : p.port === b.port?.number));
      if (!ok) v.push(`${id(ing)}: Service ${b.name} has no port ${b.port?.name ?? b.port?.number}`);
    }
  }
  return v;
}

/** Socket.IO's heartbeat (server pingInterval + pingTimeout, s): an idle proxy timeout must be well above it. */
const SOCKET_IO_MIN_PROXY_TIMEOUT_SEC = 300;

/**
 * The real-time ensemble's WebSockets (`/socket.io`, namespace /ensemble): routed to the server on an Ingress of its own
 * with HTTP/1.1 to the upstream (the Upgrade handshake needs it), read/send timeouts far above Socket.IO's heartbeat
 * (the default 60 s would cut quiet members), and cookie affinity scoped to /socket.io so that the long-polling
 * fallback reaches the pod that holds its session (the Redis adapter shares rooms, not Engine.IO sessions).
 */
export function checkWebSockets(objects) {
  const v = [];
  const socketRoutes = byKind(objects, 'Ingress').flatMap((ing) =>
    (ing.spec?.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).filter((p) => p.path === '/socket.io').map((path) => ({ ing, path }))),
  );
  if (socketRoutes.length === 0) return ['no Ingress routes /socket.io (the ensemble WebSockets) to the server'];
  for (const { ing, path } of socketRoutes) {
    const a = ing.metadata?.annotations ?? {};
    if (path.backend?.service?.name !== 'server') v.push(`${id(ing)}: /socket.io goes to ${path.backend?.service?.name}, not the server`);
    if (path.pathType !== 'Prefix') v.push(`${id(ing)}: /socket.io must be a Prefix path (Engine.IO adds /socket.io/?EIO=4...)`);
    for (const name of ['proxy-read-timeout', 'proxy-send-timeout']) {
      const value = Number(a[`nginx.ingress.kubernetes.io/${name}`]);
      if (!(value >= SOCKET_IO_MIN_PROXY_TIMEOUT_SEC)) v.push(`${id(ing)}: ${name} must be at least ${SOCKET_IO_MIN_PROXY_TIMEOUT_SEC} s for WebSockets`);
    }
    if (a['nginx.ingress.kubernetes.io/proxy-http-version'] !== '1.1') v.push(`${id(ing)}: proxy-http-version must be "1.1" for the WebSocket upgrade`);
    if (a['nginx.ingress.kubernetes.io/affinity'] !== 'cookie') v.push(`${id(ing)}: /socket.io needs cookie affinity (long-polling sessions live on one pod)`);
    const cookiePath = a['nginx.ingress.kubernetes.io/session-cookie-path'];
    if (cookiePath && !'/socket.io'.startsWith(cookiePath)) v.push(`${id(ing)}: the affinity cookie path ${cookiePath} does not cover /socket.io`);
    const other = byKind(objects, 'Ingress').find((i) => i !== ing && i.metadata?.annotations?.['nginx.ingress.kubernetes.io/affinity']);
    if (other) v.push(`${id(other)}: only the Socket.IO Ingress may pin clients to a pod (the API spreads across replicas)`);
  }
  return v;
}

/** An HPA's averageUtilization target (percent) for a resource metric; undefined when it has none. */
const utilization = (hpa, name) => hpa?.spec?.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === name)?.resource?.target?.averageUtilization;
/** The HPA that scales a workload ("Deployment/server"), if any. */
const autoscalerOf = (objects, workload) =>
  byKind(objects, 'HorizontalPodAutoscaler').find((h) => `${h.spec?.scaleTargetRef?.kind}/${h.spec?.scaleTargetRef?.name}` === workload);

export function checkAutoscalers(objects) {
  const v = [];
  for (const hpa of byKind(objects, 'HorizontalPodAutoscaler')) {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const target = objects.find((o) => o.kind === ref.kind && o.metadata?.name === ref.name);
    if (!target) {
      v.push(`${id(hpa)}: target ${ref.kind}/${ref.name} does not exist`);
      continue;
    }
    if (target.spec?.replicas !== undefined) v.push(`${id(hpa)}: ${id(target)} sets spec.replicas, which fights the autoscaler on every apply`);
    const min = hpa.spec?.minReplicas ?? 1;
    if (min > hpa.spec?.maxReplicas) v.push(`${id(hpa)}: minReplicas > maxReplicas`);
    if (utilization(hpa, 'cpu') !== 70) v.push(`${id(hpa)}: CPU target must be 70%`);
    // A memory target is optional; where the API has one, checkApiMemory keeps its resting memory below it.
    const memory = hpa.spec?.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'memory');
    if (memory && !(utilization(hpa, 'memory') > 0 && utilization(hpa, 'memory') <= 100))
      v.push(`${id(hpa)}: a memory metric must be an averageUtilization between 1 and 100%`);
    for (const c of podSpecOf(target)?.containers ?? []) {
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory)
        v.push(`${id(hpa)}: ${id(target)} container ${c.name} has no cpu/memory requests to scale on`);
    }
  }
  for (const pdb of byKind(objects, 'PodDisruptionBudget')) {
    if (!workloads(objects).some((w) => selectorMatches(pdb.spec?.selector, podLabelsOf(w)))) v.push(`${id(pdb)}: selects no pods`);
  }
  return v;
}

export function checkNetworkPolicies(objects) {
  const v = [];
  const policies = byKind(objects, 'NetworkPolicy');
  const denyAll = policies.find(
    (p) =>
      Object.keys(p.spec?.podSelector ?? {}).length === 0 &&
      ['Ingress', 'Egress'].every((t) => p.spec?.policyTypes?.includes(t)) &&
      !p.spec?.ingress &&
      !p.spec?.egress,
  );
  if (!denyAll) v.push('no default-deny NetworkPolicy (empty podSelector, Ingress+Egress, no rules)');
  const dns = policies.some((p) => (p.spec?.egress ?? []).some((rule) => (rule.ports ?? []).some((port) => port.port === 53)));
  if (!dns) v.push('no NetworkPolicy allows DNS egress (port 53)');
  // Every workload that serves a Service must be reachable through some ingress rule.
  for (const svc of byKind(objects, 'Service')) {
    const pods = workloads(objects).filter((w) => selectorMatches(svc.spec?.selector, podLabelsOf(w)));
    for (const w of pods) {
      const allowed = policies.some((p) => selectorMatches(p.spec?.podSelector, podLabelsOf(w)) && (p.spec?.ingress ?? []).length > 0);
      if (!allowed) v.push(`${id(w)} (behind ${id(svc)}): no NetworkPolicy admits any ingress traffic`);
    }
  }
  return v;
}

// ---------------------------------------------------------------- configuration against the server's schema

const decode = (value) => Buffer.from(String(value ?? '').replace(/\s+/g, ''), 'base64').toString('utf8');

/** The environment the server containers receive: ConfigMap + Secret (envFrom) + container env. */
export function serverEnvironment(objects) {
  const result = [];
  for (const w of workloads(objects)) {
    for (const c of podSpecOf(w)?.containers ?? []) {
      if (!SERVER_IMAGE.test(c.image ?? '')) continue;
      const configMap = {};
      const secret = {};
      for (const from of c.envFrom ?? []) {
        const cm = from.configMapRef && objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapRef.name);
        if (cm) Object.assign(configMap, cm.data ?? {});
        const s = from.secretRef && objects.find((o) => o.kind === 'Secret' && o.metadata.name === from.secretRef.name);
        if (s) {
          for (const [k, val] of Object.entries(s.data ?? {})) secret[k] = decode(val);
          Object.assign(secret, s.stringData ?? {});
        }
      }
      const env = Object.fromEntries((c.env ?? []).filter((e) => 'value' in e).map((e) => [e.name, e.value]));
      result.push({ workload: id(w), container: c.name, resources: c.resources ?? {}, configMap, secret, env, merged: { ...configMap, ...secret, ...env } });
    }
  }
  return result;
}

export function checkEnvironment(objects, schema) {
  const v = [];
  const environments = serverEnvironment(objects);
  if (environments.length === 0) return ['no server container found'];
  for (const { workload, configMap, secret, env, merged } of environments) {
    const where = `${workload}`;
    const present = (name) => merged[name] !== undefined && merged[name] !== '';
    for (const name of new Set([...schema.required, ...DEPLOYMENT_REQUIRED]))
      if (!present(name)) v.push(`${where}: required variable ${name} is not set by the ConfigMap, the Secret or the container`);
    if (merged.NODE_ENV === 'production')
      for (const name of schema.requiredInProduction) if (!present(name)) v.push(`${where}: ${name} is required when NODE_ENV=production`);
    for (const { flag, variable } of schema.requiredWhen)
      if (/^(true|1|yes|on)$/i.test(merged[flag] ?? '') && !present(variable)) v.push(`${where}: ${variable} is required when ${flag} is on`);
    for (const [a, b] of schema.pairs) if (present(a) !== present(b)) v.push(`${where}: ${a} and ${b} must be set together`);
    for (const name of Object.keys({ ...configMap, ...env })) {
      if (!schema.variables.has(name) && name !== 'NODE_OPTIONS') v.push(`${where}: ${name} is not a variable of env.schema.ts (misspelt?)`);
    }
    for (const name of Object.keys(secret)) {
      if (!schema.variables.has(name) && !DATASTORE_SECRET_KEYS.has(name))
        v.push(`${where}: Secret key ${name} is not a variable of env.schema.ts (misspelt?)`);
    }
    for (const name of Object.keys(configMap)) {
      if (SECRET_VARIABLE.test(name)) v.push(`${where}: ${name} holds a credential and belongs in the Secret, not the ConfigMap`);
      if (name in secret) v.push(`${where}: ${name} is in both the ConfigMap and the Secret`);
    }
  }
  return v;
}

/**
 * A spool directory on an emptyDir must stay below the emptyDir's sizeLimit (kubelet evicts a pod whose
 * emptyDir outgrows it): LOG_SPOOL_MAX_BYTES (or the schema's default) at most 90% of the limit.
 */
export function checkSpoolCapacity(objects, schema) {
  const v = [];
  for (const { workload, merged } of serverEnvironment(objects)) {
    const w = workloads(objects).find((x) => id(x) === workload);
    const spec = podSpecOf(w);
    const dir = merged.LOG_SPOOL_DIR;
    if (!dir) continue;
    const mount = (spec.containers ?? []).flatMap((c) => c.volumeMounts ?? []).find((m) => m.mountPath === dir);
    const volume = mount && (spec.volumes ?? []).find((x) => x.name === mount.name);
    if (!volume?.emptyDir?.sizeLimit) continue;
    const limit = parseQuantity(volume.emptyDir.sizeLimit);
    const cap = Number(merged.LOG_SPOOL_MAX_BYTES ?? schema?.variables.get('LOG_SPOOL_MAX_BYTES')?.default);
    if (!Number.isFinite(cap)) continue;
    if (cap > 0.9 * limit)
      v.push(
        `${workload}: LOG_SPOOL_MAX_BYTES ${cap} does not fit the ${volume.emptyDir.sizeLimit} emptyDir at ${dir} (the pod would be evicted before the spool cap applies)`,
      );
  }
  return v;
}

// ---------------------------------------------------------------- sizing against what the server does

const CLIENT_IMAGE = /(^|\/)xiaoyu-ai\/client(:|@|$)/;
const MiB = 2 ** 20;
const truthy = (value) => /^(true|1|yes|on)$/i.test(String(value ?? '').trim());
const mib = (bytes) => `${Math.round(bytes / MiB)}Mi`;

/**
 * Resident memory of an API process (ROLE=api, or all) with the multimodal engines loaded and warm, before any
 * request: 650–700 MB. Sources: docs/multimodal-engine.md "Speed and memory" (text and voice engines, RSS 270–320 MB),
 * docs/multimodal-face.md (+336 MB RSS for the face models), docs/reliability.md soak (RSS 663–667 MB, peak 702 MB).
 */
export const API_MEMORY_BASELINE = 700 * MiB;
/**
 * What a server process holds outside the V8 heap (native jieba dictionary, WASM and TensorFlow.js, libvips, buffers):
 * the soak's 667 MB RSS held 149 MB of heap (docs/reliability.md), so about 512 MiB beside a heap capped by
 * --max-old-space-size.
 */
export const OFF_HEAP_ALLOWANCE = 512 * MiB;

/** The --max-old-space-size of NODE_OPTIONS, in MiB; undefined when absent. */
export function heapCapMiB(nodeOptions) {
  const m = /--max-old-space-size[= ](\d+)/.exec(nodeOptions ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * The API's memory against its resting size. The request (times the HPA's memory target, if any) must hold the loaded
 * models, or the HPA sees the idle pods above target and sits at maxReplicas; and in every server container (API or
 * worker) the V8 heap cap plus the off-heap memory must fit the limit, or the kernel OOM-kills the pod before V8 collects.
 */
export function checkApiMemory(objects) {
  const v = [];
  for (const { workload, container, merged, resources } of serverEnvironment(objects)) {
    const where = `${workload} container ${container}`;
    const request = parseQuantity(resources.requests?.memory);
    const limit = parseQuantity(resources.limits?.memory);
    const target = utilization(autoscalerOf(objects, workload), 'memory');
    const share = target === undefined ? 1 : target / 100;
    // The engines load only where HTTP is served (ROLE api or all); the heap rule below holds for every role.
    if ((merged.ROLE ?? 'all') !== 'worker' && !(request * share >= API_MEMORY_BASELINE))
      v.push(
        `${where}: requests.memory ${resources.requests?.memory}${target === undefined ? '' : ` × the HPA's ${target}% memory target`} is below the API's ` +
          `${mib(API_MEMORY_BASELINE)} resting size with the models loaded${target === undefined ? '' : ': the HPA would sit at maxReplicas'}`,
      );
    const cap = heapCapMiB(merged.NODE_OPTIONS);
    if (cap === undefined) v.push(`${where}: NODE_OPTIONS sets no --max-old-space-size (V8 would size its heap from the node's memory, not the limit)`);
    else if (!(cap * MiB + OFF_HEAP_ALLOWANCE <= limit))
      v.push(
        `${where}: --max-old-space-size=${cap} plus ${mib(OFF_HEAP_ALLOWANCE)} off the heap exceeds limits.memory ${resources.limits?.memory} (the pod would be OOM-killed before V8 collects)`,
      );
  }
  return v;
}

/** The server's worker-thread pools (server/src/core/config/env.schema.ts); each thread keeps a core busy while it works. */
export const WORKER_POOLS = ['MUSIC_RENDER_WORKERS', 'TUTOR_ASSESS_WORKERS', 'AIOPS_ANALYSIS_WORKERS'];

/** No pool has more threads than the container has CPUs (at least one): more would only queue on the CFS quota. */
export function checkWorkerPools(objects, schema) {
  const v = [];
  for (const { workload, container, merged, resources } of serverEnvironment(objects)) {
    const cpu = parseQuantity(resources.limits?.cpu);
    if (Number.isNaN(cpu)) continue; // checkResources reports it
    const cores = Math.max(1, Math.ceil(cpu - 1e-9));
    for (const name of WORKER_POOLS) {
      const raw = merged[name] ?? schema?.variables.get(name)?.default;
      const size = Number(raw);
      if (raw === undefined || !Number.isInteger(size))
        v.push(`${workload} container ${container}: ${name} is not set and env.schema.ts gives no numeric default`);
      else if (size > cores)
        v.push(
          `${workload} container ${container}: ${name}=${size}${name in merged ? '' : ' (the schema default)'} exceeds the ${cores} CPU(s) of limits.cpu ${resources.limits.cpu}`,
        );
    }
  }
  return v;
}

// ---------------------------------------------------------------- log collection (Filebeat) against direct shipping

/** The pod label by which a pod that ships its own logs (ENABLE_LOG_AGGREGATION=true) tells Filebeat to leave it alone. */
export const LOG_SHIPPING_LABEL = 'xiaoyu.ai/log-shipping';

/** A Beats (go-ucfg) setting as dotted paths: `{ filebeat: { autodiscover: x } }` and `{ 'filebeat.autodiscover': x }` alike. */
function flattenConfig(value, prefix = '', out = {}) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (prefix) out[prefix] = value;
    return out;
  }
  for (const [k, v] of Object.entries(value)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

/** The value at a dotted path of a Beats configuration, whichever way its keys are nested or dotted. */
function beatsSetting(config, path) {
  if (config === null || typeof config !== 'object') return undefined;
  if (path in config) return config[path];
  for (const key of Object.keys(config)) if (path.startsWith(`${key}.`)) return beatsSetting(config[key], path.slice(key.length + 1));
  return undefined;
}

/**
 * A Filebeat condition (equals, contains, regexp, has_fields, and, or, not) against an event's flat fields.
 * Throws on a condition it does not know, so that a change of elk/filebeat cannot pass unchecked.
 */
export function filebeatConditionMatches(condition, fields) {
  const entries = Object.entries(condition ?? {});
  if (entries.length !== 1) throw new Error(`a Filebeat condition needs exactly one operator: ${JSON.stringify(condition)}`);
  const [[op, arg]] = entries;
  const each = (test) => Object.entries(flattenConfig(arg)).every(([field, value]) => fields[field] !== undefined && test(String(fields[field]), value));
  switch (op) {
    case 'and':
      return arg.every((c) => filebeatConditionMatches(c, fields));
    case 'or':
      return arg.some((c) => filebeatConditionMatches(c, fields));
    case 'not':
      return !filebeatConditionMatches(arg, fields);
    case 'equals':
      return each((actual, value) => actual === String(value));
    case 'contains':
      return each((actual, value) => actual.includes(String(value)));
    case 'regexp':
      return each((actual, value) => new RegExp(value).test(actual));
    case 'has_fields':
      return arg.every((field) => fields[field] !== undefined);
    default:
      throw new Error(`Filebeat condition "${op}" is not understood by the deploy policy`);
  }
}

/**
 * Would Filebeat's kubernetes autodiscover (elk/filebeat/filebeat.kubernetes.yml) collect this container? Label keys
 * are dedotted as the provider does by default (labels.dedot: app.kubernetes.io/part-of → app_kubernetes_io/part-of).
 */
export function filebeatCollects(filebeat, { namespace, labels, container }) {
  const fields = { 'kubernetes.namespace': namespace, 'kubernetes.container.name': container };
  for (const [k, value] of Object.entries(labels ?? {})) fields[`kubernetes.labels.${k.replaceAll('.', '_')}`] = value;
  return (beatsSetting(filebeat, 'filebeat.autodiscover.providers') ?? [])
    .filter((p) => p.type === 'kubernetes' && (!p.namespace || p.namespace === namespace))
    .some((p) => (p.templates ?? []).some((t) => !t.condition || filebeatConditionMatches(t.condition, fields)));
}

/**
 * One path per pod, never none and never two: a pod of the server or the client either ships its logs itself
 * (ENABLE_LOG_AGGREGATION=true), carries `xiaoyu.ai/log-shipping: direct` and is skipped by Filebeat, or it is
 * matched by Filebeat's autodiscover condition (part-of on the pod template, not only on the Deployment).
 */
export function checkLogCollection(objects, filebeat) {
  const v = [];
  const environments = serverEnvironment(objects);
  for (const w of workloads(objects)) {
    const containers = podSpecOf(w)?.containers ?? [];
    if (!containers.some((c) => SERVER_IMAGE.test(c.image ?? '') || CLIENT_IMAGE.test(c.image ?? ''))) continue;
    const labels = podLabelsOf(w);
    const direct = environments.some((e) => e.workload === id(w) && truthy(e.merged.ENABLE_LOG_AGGREGATION));
    const labelled = labels[LOG_SHIPPING_LABEL] === 'direct';
    if (direct && !labelled) v.push(`${id(w)}: ships its logs itself (ENABLE_LOG_AGGREGATION=true) but its pods lack the label ${LOG_SHIPPING_LABEL}: direct`);
    if (!direct && labelled) v.push(`${id(w)}: its pods are labelled ${LOG_SHIPPING_LABEL}: direct but do not ship their logs: they reach no index`);
    for (const c of containers) {
      const collected = filebeatCollects(filebeat, { namespace: w.metadata?.namespace ?? NAMESPACE, labels, container: c.name });
      if (direct && collected) v.push(`${id(w)} container ${c.name}: shipped directly and collected by Filebeat: every line would be indexed twice`);
      if (!direct && !collected)
        v.push(
          `${id(w)} container ${c.name}: Filebeat's autodiscover condition does not match the pod labels ${JSON.stringify(labels)}: its logs are collected by nobody`,
        );
    }
  }
  return v;
}

// ---------------------------------------------------------------- request bodies through the proxies

const BYTES_UNITS = { b: 1, kb: 2 ** 10, mb: 2 ** 20, gb: 2 ** 30, tb: 2 ** 40 };
/** A body-parser size ("64mb", "512kb", 1024: binary multiples, as the `bytes` package reads them); NaN when malformed. */
export function parseBytesSize(size) {
  if (typeof size === 'number') return size;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?\s*$/i.exec(String(size ?? ''));
  return m ? Math.floor(Number(m[1]) * BYTES_UNITS[(m[2] ?? 'b').toLowerCase()]) : Number.NaN;
}

/** An nginx size ("65m", "512k", "1g", "1024"); 0 turns nginx's body check off (Infinity); NaN when malformed. */
export function parseNginxSize(size) {
  const m = /^\s*(\d+)([kKmMgG]?)\s*$/.exec(String(size ?? ''));
  if (!m) return Number.NaN;
  const value = Number(m[1]) * { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[m[2].toLowerCase()];
  return value === 0 ? Number.POSITIVE_INFINITY : value;
}

/** nginx's default client_max_body_size, also ingress-nginx's proxy-body-size default. */
const NGINX_DEFAULT_BODY = '1m';

/** The client_max_body_size that applies to the `location /api/` of the client's nginx template, and whether it streams. */
export function clientApiBodySize(template) {
  const api = /location \/api\/ \{([^}]*)\}/.exec(template ?? '')?.[1] ?? '';
  const outside = (template ?? '').replace(/location [^{]+\{[^}]*\}/g, '');
  const size = /client_max_body_size\s+(\S+);/.exec(api)?.[1] ?? /client_max_body_size\s+(\S+);/.exec(outside)?.[1] ?? NGINX_DEFAULT_BODY;
  return { size, streams: /proxy_request_buffering\s+off;/.test(api) };
}

/**
 * The largest request body the API accepts (the largest @BodyLimit in server/src, the global BODY_LIMIT and a tutor
 * upload of TUTOR_MAX_AUDIO_BYTES) passes the Ingress (proxy-body-size) and the client's nginx (client_max_body_size);
 * a proxy below it answers 413 before the server sees the request. The client's nginx buffers bodies under /tmp
 * unless it streams them (proxy_request_buffering off): its /tmp emptyDir must then hold one.
 */
export function checkBodyLimits(objects, schema, { bodyLimits = [], clientNginxTemplate = null } = {}) {
  const v = [];
  const needs = [];
  for (const { limit, where } of bodyLimits) needs.push({ bytes: parseBytesSize(limit), what: `@BodyLimit('${limit}') at ${where}` });
  for (const { merged } of serverEnvironment(objects)) {
    if ((merged.ROLE ?? 'all') === 'worker') continue;
    const body = merged.BODY_LIMIT ?? String(schema?.variables.get('BODY_LIMIT')?.default ?? '').replace(/^['"`]|['"`]$/g, '');
    if (body) needs.push({ bytes: parseBytesSize(body), what: `BODY_LIMIT ${body}` });
    const audio = Number(merged.TUTOR_MAX_AUDIO_BYTES ?? schema?.variables.get('TUTOR_MAX_AUDIO_BYTES')?.default);
    if (Number.isFinite(audio)) needs.push({ bytes: audio, what: `TUTOR_MAX_AUDIO_BYTES ${audio}` });
  }
  for (const n of needs) if (Number.isNaN(n.bytes)) v.push(`${n.what}: not a size`);
  const largest = needs.filter((n) => !Number.isNaN(n.bytes)).sort((a, b) => b.bytes - a.bytes)[0];
  if (!largest) return v;
  for (const ing of byKind(objects, 'Ingress')) {
    const toApi = (ing.spec?.rules ?? []).some((r) => (r.http?.paths ?? []).some((p) => p.path?.startsWith('/api')));
    if (!toApi) continue;
    const size = ing.metadata?.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size'] ?? NGINX_DEFAULT_BODY;
    if (!(parseNginxSize(size) >= largest.bytes)) v.push(`${id(ing)}: proxy-body-size ${size} is below ${largest.what}`);
  }
  if (clientNginxTemplate !== null) {
    const { size, streams } = clientApiBodySize(clientNginxTemplate);
    const bytes = parseNginxSize(size);
    if (!(bytes >= largest.bytes)) v.push(`client nginx: client_max_body_size ${size} for /api/ is below ${largest.what}`);
    if (!streams) {
      for (const w of workloads(objects).filter((x) => (podSpecOf(x)?.containers ?? []).some((c) => CLIENT_IMAGE.test(c.image ?? '')))) {
        const spec = podSpecOf(w);
        const mount = (spec.containers ?? []).flatMap((c) => c.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
        const limit = parseQuantity((spec.volumes ?? []).find((x) => x.name === mount?.name)?.emptyDir?.sizeLimit);
        if (Number.isFinite(limit) && !(limit >= bytes))
          v.push(`${id(w)}: nginx buffers /api/ bodies of up to ${size} in a /tmp of ${mib(limit)} (set proxy_request_buffering off or a larger sizeLimit)`);
      }
    }
  }
  return v;
}

// ---------------------------------------------------------------- comments that name Logstash's ports

/** Logstash's ports as its configuration sets them: the pipeline's inputs, and the monitoring API (api.http.port, 9600). */
export function logstashPorts(pipeline, settings) {
  const ports = new Map();
  for (const m of (pipeline ?? '').matchAll(/^\s*(beats|tcp|http|udp)\s*\{[^}]*?\bport\s*=>\s*(\d+)/gm)) ports.set(m[1], Number(m[2]));
  const api = /^\s*(?:api\.http\.port|http\.port)\s*:\s*"?(\d+)/m.exec(settings ?? '');
  ports.set('monitoring', api ? Number(api[1]) : 9600);
  return ports;
}

/**
 * A NetworkPolicy port whose comment names a Logstash port ("# Logstash HTTP input") must be that port: the comment is
 * what a reader trusts when opening or closing it.
 */
export function checkLogstashPortComments(networkPolicy, pipeline, settings) {
  const v = [];
  const ports = logstashPorts(pipeline, settings);
  const kinds = [
    [/\bHTTP input\b/i, 'http'],
    [/\bbeats\b/i, 'beats'],
    [/\bTCP input\b/i, 'tcp'],
    [/\bmonitoring\b|\bnode API\b/i, 'monitoring'],
  ];
  for (const [line, index] of (networkPolicy ?? '').split('\n').map((l, i) => [l, i + 1])) {
    const m = /port:\s*(\d+)\s*#\s*(.*Logstash.*)$/i.exec(line);
    if (!m) continue;
    // the port the comment names first ("Logstash monitoring API (not its HTTP input, 8080)" names the monitoring API)
    const kind = kinds
      .map(([pattern, name]) => [pattern.exec(m[2])?.index ?? Infinity, name])
      .filter(([at]) => at < Infinity)
      .sort((a, b) => a[0] - b[0])[0]?.[1];
    if (!kind) v.push(`networkpolicy.yaml:${index}: "${m[2].trim()}" names no Logstash port (HTTP input, beats, TCP input, monitoring API)`);
    else if (ports.get(kind) !== Number(m[1]))
      v.push(`networkpolicy.yaml:${index}: port ${m[1]} is labelled "${m[2].trim()}", but Logstash's ${kind} port is ${ports.get(kind) ?? 'not configured'}`);
  }
  return v;
}

/**
 * Every check; `schema` may be null before the server's schema exists (the env and pool checks are then skipped), and
 * `sources` (sources.mjs loadDeploySources: Filebeat's configuration, the client's nginx template, the @BodyLimit
 * routes) null to leave out the checks that read them.
 */
export function policyViolations(objects, schema, sources = null) {
  return [
    ...checkNamespaces(objects),
    ...checkProbes(objects),
    ...checkResources(objects),
    ...checkSecurityContext(objects),
    ...checkRbac(objects),
    ...checkTopologySpread(objects),
    ...checkImages(objects),
    ...checkReferences(objects),
    ...checkServices(objects),
    ...checkIngresses(objects),
    ...checkWebSockets(objects),
    ...checkAutoscalers(objects),
    ...checkNetworkPolicies(objects),
    ...(schema ? checkEnvironment(objects, schema) : []),
    ...checkSpoolCapacity(objects, schema),
    ...checkApiMemory(objects),
    ...(schema ? checkWorkerPools(objects, schema) : []),
    ...(sources?.filebeat ? checkLogCollection(objects, sources.filebeat) : []),
    ...(sources ? checkBodyLimits(objects, schema, sources) : []),
  ];
}
