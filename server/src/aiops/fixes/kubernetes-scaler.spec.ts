import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../core/config/app-config';
import type { Database } from '../../core/db/database';
import type { JobsService } from '../../core/jobs/jobs.service';
import type { LogShipper } from '../../core/logging/log-shipper';
import { FixActions } from './fix-actions';
import { KubernetesScaler } from './kubernetes-scaler';

/** scale-workers without a target scales up by one. */
const noTarget: string | undefined = undefined;
const NAMESPACE = 'xiaoyu-ai';
const ACCOUNT = 'worker-scaler';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.worker-scaler-token';
const RBAC_FILE = resolve(__dirname, '../../../../deploy/base/aiops-rbac.yaml');

interface RbacRule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}
interface K8sObject {
  kind: string;
  metadata: { name: string };
  rules?: RbacRule[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

/** The rules that RoleBindings in the manifest grant to the worker's service account. */
function grantedRules(objects: K8sObject[]): RbacRule[] {
  const roles = objects
    .filter((o) => o.kind === 'RoleBinding' && o.subjects?.some((s) => s.kind === 'ServiceAccount' && s.name === ACCOUNT && s.namespace === NAMESPACE))
    .map((b) => objects.find((o) => o.kind === b.roleRef?.kind && o.metadata.name === b.roleRef?.name));
  return roles.flatMap((r) => r?.rules ?? []);
}

/** Runs openssl: a cluster CA, and the API server's certificate for 127.0.0.1 signed by it (as in a cluster). */
function makePki(dir: string, name: string): { ca: Buffer; key: Buffer; cert: Buffer } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', `${name}-ca.key`, '-out', `${name}-ca.crt`, '-days', '2', '-subj', `/CN=${name}-ca`);
  run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=kube-apiserver');
  writeFileSync(join(dir, `${name}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:kubernetes.default.svc\n');
  run(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${name}-ca.crt`,
    '-CAkey',
    `${name}-ca.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  );
  return { ca: readFileSync(join(dir, `${name}-ca.crt`)), key: readFileSync(join(dir, `${name}.key`)), cert: readFileSync(join(dir, `${name}.crt`)) };
}

interface Call {
  method: string;
  path: string;
  verb?: string;
  /** `apps/deployments/scale` or `autoscaling/horizontalpodautoscalers`. */
  resource?: string;
  name?: string;
  authorization?: string;
  contentType?: string;
  body?: unknown;
  status: number;
}

interface Autoscaler {
  minReplicas: number;
  maxReplicas: number;
  /** The Deployment it scales. */
  target: string;
}

/**
 * Speaks the Kubernetes API for exactly what the scaler uses: GET and PATCH (JSON merge patch) of
 * /apis/apps/v1/namespaces/{ns}/deployments/{name}/scale and of
 * /apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers/{name}, behind bearer-token authentication and RBAC
 * authorization (the rules bound to the service account; authorization before existence, as the API server does),
 * answering Scale and HorizontalPodAutoscaler objects, and Status objects for errors.
 */
class FakeKubernetesApi {
  readonly deployments = new Map<string, number>([[`${NAMESPACE}/worker`, 2]]);
  readonly autoscalers = new Map<string, Autoscaler>();
  readonly calls: Call[] = [];
  rules: RbacRule[] = [];
  private server?: Server;

  constructor(private readonly tls: { key: Buffer; cert: Buffer }) {}

  async start(): Promise<number> {
    this.server = createServer(this.tls, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const call: Call = {
          method: req.method ?? '',
          path: req.url ?? '',
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'],
          status: 0,
        };
        this.calls.push(call);
        const answer = (status: number, body: unknown) => {
          call.status = status;
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        };
        const status = (code: number, reason: string, message: string) =>
          answer(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return status(401, 'Unauthorized', 'Unauthorized');
        const scale = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)\/scale$/.exec(call.path);
        const hpa = /^\/apis\/autoscaling\/v2\/namespaces\/([^/]+)\/horizontalpodautoscalers\/([^/]+)$/.exec(call.path);
        const match = scale ?? hpa;
        if (!match) return status(404, 'NotFound', 'the server could not find the requested resource');
        const [, namespace, name] = match;
        const [group, resource, kind] = scale
          ? ['apps', 'deployments/scale', 'deployments.apps']
          : ['autoscaling', 'horizontalpodautoscalers', 'horizontalpodautoscalers.autoscaling'];
        const verb = { GET: 'get', PATCH: 'patch', PUT: 'update' }[call.method];
        Object.assign(call, { verb, name, resource: `${group}/${resource}` });
        const allowed =
          verb !== undefined &&
          namespace === NAMESPACE &&
          this.rules.some(
            (r) =>
              r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb) && (!r.resourceNames || r.resourceNames.includes(name)),
          );
        if (!allowed)
          return status(
            403,
            'Forbidden',
            `${kind} "${name}" is forbidden: User "system:serviceaccount:${NAMESPACE}:${ACCOUNT}" cannot ${verb ?? call.method} resource "${resource}" in API group "${group}" in the namespace "${namespace}"`,
          );
        const key = `${namespace}/${name}`;
        if (hpa) {
          const found = this.autoscalers.get(key);
          if (!found) return status(404, 'NotFound', `${kind} "${name}" not found`);
          if (verb === 'patch') {
            if (call.contentType !== 'application/merge-patch+json')
              return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format`);
            const patch = JSON.parse(text) as { spec?: { minReplicas?: unknown } };
            call.body = patch;
            const min = patch.spec?.minReplicas;
            if (!Number.isInteger(min) || (min as number) < 1 || (min as number) > found.maxReplicas)
              return status(422, 'Invalid', 'spec.minReplicas: Invalid value: must be at least 1 and at most maxReplicas');
            found.minReplicas = min as number;
          }
          return answer(200, {
            kind: 'HorizontalPodAutoscaler',
            apiVersion: 'autoscaling/v2',
            metadata: { name, namespace },
            spec: {
              scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: found.target },
              minReplicas: found.minReplicas,
              maxReplicas: found.maxReplicas,
              metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
            },
            status: {
              currentReplicas: this.deployments.get(`${namespace}/${found.target}`),
              desiredReplicas: this.deployments.get(`${namespace}/${found.target}`),
            },
          });
        }
        if (!this.deployments.has(key)) return status(404, 'NotFound', `deployments.apps "${name}" not found`);
        if (verb === 'patch') {
          if (call.contentType !== 'application/merge-patch+json')
            return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format`);
          const patch = JSON.parse(text) as { spec?: { replicas?: unknown } };
          call.body = patch;
          if (!Number.isInteger(patch.spec?.replicas)) return status(422, 'Invalid', 'spec.replicas: Invalid value');
          this.deployments.set(key, patch.spec!.replicas as number);
        }
        const replicas = this.deployments.get(key)!;
        return answer(200, {
          kind: 'Scale',
          apiVersion: 'autoscaling/v1',
          metadata: { name, namespace },
          spec: { replicas },
          status: { replicas, selector: 'app=worker' },
        });
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    return (this.server.address() as AddressInfo).port;
  }

  /** One sync of the HPA controller at no load: every Deployment an HPA scales is brought within [min, max]. */
  reconcile(): void {
    for (const [key, hpa] of this.autoscalers) {
      const deployment = `${key.split('/')[0]}/${hpa.target}`;
      const replicas = this.deployments.get(deployment);
      if (replicas !== undefined) this.deployments.set(deployment, Math.min(Math.max(replicas, hpa.minReplicas), hpa.maxReplicas));
    }
  }

  stop(): Promise<void> {
    return new Promise((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}

describe('scale-workers against a Kubernetes API server (TLS, bearer token, RBAC from deploy/)', () => {
  const manifest = parseAllDocuments(readFileSync(RBAC_FILE, 'utf8')).map((d) => d.toJSON() as K8sObject);
  let dir: string;
  let api: FakeKubernetesApi;
  let port: number;
  let otherCa: Buffer;

  const serviceAccount = (ca: Buffer | undefined, token = TOKEN) => {
    const sa = mkdtempSync(join(dir, 'sa-'));
    writeFileSync(join(sa, 'token'), `${token}\n`);
    writeFileSync(join(sa, 'namespace'), NAMESPACE);
    if (ca) writeFileSync(join(sa, 'ca.crt'), ca);
    return sa;
  };
  const fixActions = (scaler: KubernetesScaler, maxReplicas = '3') =>
    new FixActions({} as JobsService, {} as LogShipper, loadConfig({ AIOPS_WORKER_MAX_REPLICAS: maxReplicas }), {} as Database, scaler);
  const scalerFor = (serviceAccountDir: string, deployment = 'worker') =>
    new KubernetesScaler({ host: '127.0.0.1', port: String(port), deployment, serviceAccountDir });
  let clusterCa: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8s-api-'));
    const cluster = makePki(dir, 'cluster');
    clusterCa = cluster.ca;
    otherCa = makePki(dir, 'other').ca;
    api = new FakeKubernetesApi(cluster);
    port = await api.start();
  });
  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    api.calls.length = 0;
    api.rules = grantedRules(manifest);
    api.deployments.set(`${NAMESPACE}/worker`, 2);
    api.autoscalers.clear();
  });
  const hpaPath = `/apis/autoscaling/v2/namespaces/${NAMESPACE}/horizontalpodautoscalers/worker`;
  const scalePath = `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/worker/scale`;

  it('without an HPA: reads, scales up and scales back through the scale subresource with the service-account token', async () => {
    const action = fixActions(scalerFor(serviceAccount(clusterCa))).get('scale-workers');
    expect(await action.precondition(undefined)).toBeNull();
    const plan = await action.plan(undefined);
    expect(plan).toEqual({ summary: 'worker would go from 2 to 3 replica(s)', changes: [{ what: 'scale deployment', target: 'worker', from: 2, to: 3 }] });
    expect(api.deployments.get(`${NAMESPACE}/worker`)).toBe(2);

    const result = await action.apply(noTarget, plan);
    expect(result).toMatchObject({ ok: true, detail: 'worker scaled from 2 to 3 replica(s)', undo: { action: 'scale-workers', target: '2' } });
    expect(api.deployments.get(`${NAMESPACE}/worker`)).toBe(3);
    // at the ceiling (AIOPS_WORKER_MAX_REPLICAS 3) it no longer applies
    expect(await action.precondition(undefined)).toBe('the worker already runs 3 replica(s), at or above the cap 3 (AIOPS_WORKER_MAX_REPLICAS)');
    // the undo the audit records scales back
    expect(await action.precondition('2')).toBeNull();
    await action.apply('2', await action.plan('2'));
    expect(api.deployments.get(`${NAMESPACE}/worker`)).toBe(2);

    // it looked for the worker's HPA (none: 404) and then used the scale subresource
    expect(new Set(api.calls.map((c) => `${c.method} ${c.path} ${c.status}`))).toEqual(
      new Set([`GET ${scalePath} 200`, `GET ${hpaPath} 404`, `PATCH ${scalePath} 200`]),
    );
    expect(api.calls.every((c) => c.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(api.calls.filter((c) => c.method === 'PATCH').map((c) => [c.contentType, c.body])).toEqual([
      ['application/merge-patch+json', { spec: { replicas: 3 } }],
      ['application/merge-patch+json', { spec: { replicas: 2 } }],
    ]);
  });

  it("with an HPA owning the worker: raises the HPA's minReplicas (the Deployment scale is left to the HPA); revert restores it", async () => {
    api.autoscalers.set(`${NAMESPACE}/worker`, { minReplicas: 2, maxReplicas: 10, target: 'worker' });
    const action = fixActions(scalerFor(serviceAccount(clusterCa)), '6').get('scale-workers');
    expect(await action.precondition(undefined)).toBeNull();
    const plan = await action.plan(undefined);
    expect(plan.changes).toEqual([{ what: 'raise autoscaler minReplicas', target: 'horizontalpodautoscaler/worker', from: 2, to: 3 }]);
    const result = await action.apply(noTarget, plan);
    expect(result).toMatchObject({ ok: true, undo: { action: 'scale-workers', target: 'min=2' } });
    expect(api.autoscalers.get(`${NAMESPACE}/worker`)?.minReplicas).toBe(3);
    // the HPA itself adds the worker and keeps it (a patched spec.replicas would have been set back to 2 here)
    api.reconcile();
    expect(api.deployments.get(`${NAMESPACE}/worker`)).toBe(3);

    // the undo the audit records restores minReplicas; the HPA may then scale down again on its own schedule
    expect(await action.precondition('min=2')).toBeNull();
    expect(await action.apply('min=2', await action.plan('min=2'))).toMatchObject({ ok: true, detail: 'HorizontalPodAutoscaler worker: minReplicas 3 → 2' });
    expect(api.autoscalers.get(`${NAMESPACE}/worker`)?.minReplicas).toBe(2);

    // only the HPA was written, never the Deployment's scale
    expect(api.calls.filter((c) => c.method === 'PATCH').map((c) => [c.path, c.contentType, c.body])).toEqual([
      [hpaPath, 'application/merge-patch+json', { spec: { minReplicas: 3 } }],
      [hpaPath, 'application/merge-patch+json', { spec: { minReplicas: 2 } }],
    ]);
    expect(api.calls.every((c) => c.status === 200)).toBe(true);
  });

  it('with an HPA at 8 replicas and AIOPS_WORKER_MAX_REPLICAS 6: refused, nothing written (it never plans 8 → 6)', async () => {
    api.autoscalers.set(`${NAMESPACE}/worker`, { minReplicas: 2, maxReplicas: 10, target: 'worker' });
    api.deployments.set(`${NAMESPACE}/worker`, 8);
    const action = fixActions(scalerFor(serviceAccount(clusterCa)), '6').get('scale-workers');
    expect(await action.precondition(undefined)).toBe('the worker already runs 8 replica(s), at or above the cap 6 (AIOPS_WORKER_MAX_REPLICAS)');
    // without an HPA the same
    api.autoscalers.clear();
    expect(await action.precondition(undefined)).toBe('the worker already runs 8 replica(s), at or above the cap 6 (AIOPS_WORKER_MAX_REPLICAS)');
    expect(api.calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(api.deployments.get(`${NAMESPACE}/worker`)).toBe(8);
  });

  it('an HPA of that name that scales another Deployment is not the worker’s: the scale subresource is used', async () => {
    api.autoscalers.set(`${NAMESPACE}/worker`, { minReplicas: 2, maxReplicas: 10, target: 'worker-legacy' });
    const action = fixActions(scalerFor(serviceAccount(clusterCa))).get('scale-workers');
    expect((await action.plan(undefined)).changes).toEqual([{ what: 'scale deployment', target: 'worker', from: 2, to: 3 }]);
  });

  it('the RBAC in deploy/ grants exactly the calls the scaler makes, to the worker account only', async () => {
    const action = fixActions(scalerFor(serviceAccount(clusterCa))).get('scale-workers');
    // without an HPA (the scale subresource), then with one (its minReplicas)
    await action.apply(noTarget, await action.plan(undefined));
    api.autoscalers.set(`${NAMESPACE}/worker`, { minReplicas: 2, maxReplicas: 10, target: 'worker' });
    api.deployments.set(`${NAMESPACE}/worker`, 2);
    await action.apply(noTarget, await action.plan(undefined));
    expect(api.calls.every((c) => c.status === 200 || (c.status === 404 && c.path === hpaPath))).toBe(true);
    const used = new Set(api.calls.map((c) => `${c.verb} ${c.resource} ${c.name}`));
    const granted = new Set(
      grantedRules(manifest).flatMap((r) =>
        r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.flatMap((v) => (r.resourceNames ?? ['*']).map((n) => `${v} ${g}/${res} ${n}`)))),
      ),
    );
    expect(granted).toEqual(used);
    expect(used).toEqual(
      new Set([
        'get apps/deployments/scale worker',
        'patch apps/deployments/scale worker',
        'get autoscaling/horizontalpodautoscalers worker',
        'patch autoscaling/horizontalpodautoscalers worker',
      ]),
    );
    // the account's token is mounted only where a pod asks for it
    expect(manifest.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === ACCOUNT)).toMatchObject({ automountServiceAccountToken: false });
  });

  it('403 when the RBAC is missing: the precondition or the change names the verb and the RBAC file', async () => {
    const action = fixActions(scalerFor(serviceAccount(clusterCa))).get('scale-workers');
    api.rules = [];
    await expect(action.precondition(undefined)).rejects.toThrow(
      /^Kubernetes answered 403: the service account may not get deployments\/worker\/scale in namespace xiaoyu-ai \(RBAC of deploy\/base\/aiops-rbac.yaml missing or changed\): deployments.apps "worker" is forbidden/,
    );
    // get allowed, patch not: the dry run works, the change is refused and nothing changed
    api.rules = grantedRules(manifest).map((r) => ({ ...r, verbs: r.verbs.filter((v) => v !== 'patch') }));
    expect(await action.precondition(undefined)).toBeNull();
    const plan = await action.plan(undefined);
    await expect(action.apply(noTarget, plan)).rejects.toThrow(/^Kubernetes answered 403: the service account may not patch deployments\/worker\/scale/);
    expect(api.deployments.get(`${NAMESPACE}/worker`)).toBe(2);
    // a Deployment the Role does not name is forbidden too (authorization comes before existence)
    await expect(scalerFor(serviceAccount(clusterCa), 'server').replicas()).rejects.toThrow(/answered 403/);
  });

  it('403 when the Role lacks the HPA rule: refused, naming the HPA and the RBAC file, rather than a scale the HPA undoes', async () => {
    const action = fixActions(scalerFor(serviceAccount(clusterCa))).get('scale-workers');
    api.rules = grantedRules(manifest).filter((r) => r.apiGroups.includes('apps'));
    await expect(action.precondition(undefined)).rejects.toThrow(
      /^Kubernetes answered 403: the service account may not get horizontalpodautoscalers\/worker in namespace xiaoyu-ai \(RBAC of deploy\/base\/aiops-rbac.yaml missing or changed\): horizontalpodautoscalers.autoscaling "worker" is forbidden/,
    );
    // get allowed, patch not: the dry run works, the change is refused and nothing changed
    api.autoscalers.set(`${NAMESPACE}/worker`, { minReplicas: 2, maxReplicas: 10, target: 'worker' });
    api.rules = grantedRules(manifest).map((r) => ({ ...r, verbs: r.verbs.filter((v) => v !== 'patch') }));
    const plan = await action.plan(undefined);
    await expect(action.apply(noTarget, plan)).rejects.toThrow(/^Kubernetes answered 403: the service account may not patch horizontalpodautoscalers\/worker/);
    expect(api.autoscalers.get(`${NAMESPACE}/worker`)?.minReplicas).toBe(2);
  });

  it('404 when the Deployment does not exist', async () => {
    api.deployments.delete(`${NAMESPACE}/worker`);
    const action = fixActions(scalerFor(serviceAccount(clusterCa))).get('scale-workers');
    await expect(action.precondition(undefined)).rejects.toThrow(
      'Kubernetes answered 404: there is no Deployment worker in namespace xiaoyu-ai (AIOPS_WORKER_DEPLOYMENT): deployments.apps "worker" not found',
    );
  });

  it('trusts only the mounted cluster CA, and a refused token is a 401', async () => {
    await expect(scalerFor(serviceAccount(otherCa)).replicas()).rejects.toThrow(/certificate/);
    await expect(scalerFor(serviceAccount(undefined)).replicas()).rejects.toThrow(/certificate/);
    // the TLS handshake failed before any request: the token was never sent to an untrusted server
    expect(api.calls).toEqual([]);
    await expect(scalerFor(serviceAccount(clusterCa, 'stolen')).replicas()).rejects.toThrow(
      /^Kubernetes answered 401: the service-account token was not accepted/,
    );
  });

  it('is unavailable outside a cluster or without a mounted token', () => {
    const outside = new KubernetesScaler({ deployment: 'worker', serviceAccountDir: serviceAccount(clusterCa) });
    expect(outside.unavailableReason()).toMatch(/KUBERNETES_SERVICE_HOST is not set/);
    expect(new KubernetesScaler({ host: '127.0.0.1', deployment: 'worker', serviceAccountDir: join(dir, 'none') }).unavailableReason()).toBe(
      'no service-account token is mounted',
    );
  });
});
