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

/** A Role rule the platform grants: get/patch on one named Deployment's scale (the AIOps scale-workers fix). */
function isScaleRule(rule) {
  const only = (list, allowed) => Array.isArray(list) && list.length > 0 && list.every((x) => allowed.includes(x));
  return (
    only(rule.apiGroups, ['apps']) &&
    only(rule.resources, ['deployments/scale']) &&
    only(rule.verbs, ['get', 'patch']) &&
    Array.isArray(rule.resourceNames) &&
    rule.resourceNames.length > 0 &&
    !rule.nonResourceURLs
  );
}

/**
 * RBAC is exactly scoped: no cluster-wide roles, every Role grants only get/patch on named Deployments' scale
 * subresource (which must exist), every RoleBinding binds such a Role to ServiceAccounts of the namespace.
 */
export function checkRbac(objects) {
  const v = [];
  for (const o of [...byKind(objects, 'ClusterRole'), ...byKind(objects, 'ClusterRoleBinding')]) v.push(`${id(o)}: cluster-wide RBAC is not allowed`);
  const deployments = new Set(byKind(objects, 'Deployment').map((d) => d.metadata?.name));
  const roles = new Map(byKind(objects, 'Role').map((r) => [r.metadata?.name, r]));
  for (const role of roles.values()) {
    for (const rule of role.rules ?? []) {
      if (!isScaleRule(rule)) v.push(`${id(role)}: grants more than get/patch on named deployments/scale (${JSON.stringify(rule)})`);
      else for (const name of rule.resourceNames) if (!deployments.has(name)) v.push(`${id(role)}: Deployment ${name} does not exist`);
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
    const utilization = (name) => hpa.spec?.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === name)?.resource?.target?.averageUtilization;
    if (utilization('cpu') !== 70) v.push(`${id(hpa)}: CPU target must be 70%`);
    if (utilization('memory') !== 80) v.push(`${id(hpa)}: memory target must be 80%`);
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
      result.push({ workload: id(w), container: c.name, configMap, secret, env, merged: { ...configMap, ...secret, ...env } });
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

/** Every check; `schema` may be null before the server's schema exists (the env check is then skipped). */
export function policyViolations(objects, schema) {
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
  ];
}
