// Every check must be able to fail: deliberately broken manifests and mutated copies of a real
// overlay are rejected, each by the check that guards against it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderOverlay, parseYamlDocuments, requireKubectl } from '../lib/render.mjs';
import { schemaErrors, unknownFieldErrors } from '../lib/validate.mjs';
import * as policy from '../lib/policy.mjs';
import { parseEnvSchema, parseConditionalRules } from '../lib/env-schema.mjs';
import { loadDeploySources } from '../lib/sources.mjs';

const fixture = (name) => parseYamlDocuments(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', name), 'utf8'), name);
const gate = requireKubectl();
const kubectl = gate.path;
const missing = gate.skip;
const someMatch = (violations, pattern) =>
  assert.ok(
    violations.some((v) => pattern.test(v)),
    `expected a violation matching ${pattern}, got:\n${violations.join('\n')}`,
  );

describe('the validator rejects broken manifests', () => {
  it('rejects misspelt field names that the JSON schema lets through', () => {
    const objects = fixture('misspelt-field.yaml');
    assert.deepEqual(objects.flatMap(schemaErrors), [], 'the JSON schema alone accepts the typo (why the second check exists)');
    const errors = unknownFieldErrors(objects);
    someMatch(errors, /Deployment\/typo: unknown field "readinesProbe" in IContainer/);
    someMatch(errors, /Deployment\/typo: unknown field "imagePulPolicy" in IContainer/);
  });

  it('rejects wrong types, malformed quantities and missing required fields', () => {
    const errors = fixture('bad-types.yaml').flatMap(schemaErrors);
    someMatch(errors, /must have required property selector/);
    someMatch(errors, /replicas must be integer/);
    someMatch(errors, /memory must match format "quantity"/);
    someMatch(errors, /containerPort must be integer/);
  });

  it('rejects unknown kinds and API versions that clusters no longer serve', () => {
    const errors = fixture('unknown-kind.yaml').flatMap(schemaErrors);
    someMatch(errors, /HorizontalPodAutoscaler\/old: autoscaling\/v2beta1 was removed in Kubernetes 1\.25/);
    someMatch(errors, /Deploymnet\/typo-kind: no schema for apps\/v1 Deploymnet/);
  });

  it('rejects a schema-valid stack that breaks the policy, for every reason at once', () => {
    const objects = fixture('insecure-stack.yaml');
    assert.deepEqual(objects.flatMap(schemaErrors), []);
    const v = policy.policyViolations(objects, null);
    for (const pattern of [
      /no startupProbe/,
      /no livenessProbe/,
      /no readinessProbe/,
      /livenessProbe must GET \/api\/health\/live/,
      /no limits\.memory/,
      /runAsNonRoot must be true/,
      /runs as UID 0/,
      /readOnlyRootFilesystem must be true/,
      /allowPrivilegeEscalation must be false/,
      /privileged/,
      /capabilities must drop ALL/,
      /seccompProfile must be RuntimeDefault/,
      /automountServiceAccountToken must be false/,
      /no topology spread/,
      /uses the latest tag/,
      /Service\/orphan: selector .* selects no pods/,
      /Ingress\/public: no TLS/,
      /no cert-manager issuer/,
      /base placeholder/,
      /backend Service missing does not exist/,
      /HorizontalPodAutoscaler\/ghost: target Deployment\/ghost does not exist/,
      /no default-deny NetworkPolicy/,
      /no NetworkPolicy allows DNS/,
    ])
      someMatch(v, pattern);
  });
});

describe('the policy rejects a real overlay once it is broken', { skip: missing }, () => {
  const broken = (mutate) => {
    const objects = structuredClone(renderOverlay(kubectl, 'dev').objects);
    mutate(objects);
    return objects;
  };
  const get = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const server = (objects) => get(objects, 'Deployment', 'server').spec.template.spec.containers[0];
  const schema = {
    variables: parseEnvSchema(
      'class EnvironmentVariables {\n  NODE_ENV = "production";\n  MUST_HAVE!: string;\n  DATABASE_URL?: string;\n  REDIS_URL = "x";\n  JWT_SECRET?: string;\n  ENABLE_LOG_AGGREGATION = false;\n  ELASTICSEARCH_URL?: string;\n  ADMIN_EMAIL?: string;\n  ADMIN_PASSWORD?: string;\n  DATA_DIR = "x";\n  LOG_SPOOL_DIR?: string;\n}',
    ),
    required: [],
    ...parseConditionalRules(
      'if (config.isProduction && !config.JWT_SECRET) x;\nif (config.ENABLE_LOG_AGGREGATION && !config.ELASTICSEARCH_URL) x;\nif (Boolean(config.ADMIN_EMAIL) !== Boolean(config.ADMIN_PASSWORD)) x;',
    ),
  };

  it('the unmodified dev overlay passes (so the failures below are caused by the mutations)', () => {
    assert.deepEqual(policy.policyViolations(renderOverlay(kubectl, 'dev').objects, null), []);
  });

  it('catches a missing readiness probe', () =>
    someMatch(policy.checkProbes(broken((o) => delete server(o).readinessProbe)), /Deployment\/server container server: no readinessProbe/));
  it('catches a server liveness probe on the wrong path', () =>
    someMatch(policy.checkProbes(broken((o) => (server(o).livenessProbe.httpGet.path = '/'))), /must GET \/api\/health\/live/));
  it('catches requests above limits', () =>
    someMatch(policy.checkResources(broken((o) => (server(o).resources.requests.memory = '2Gi'))), /requests\.memory exceeds limits\.memory/));
  it('catches a writable root filesystem', () =>
    someMatch(policy.checkSecurityContext(broken((o) => (server(o).securityContext.readOnlyRootFilesystem = false))), /readOnlyRootFilesystem/));
  it('catches an added capability', () =>
    someMatch(policy.checkSecurityContext(broken((o) => (server(o).securityContext.capabilities.add = ['NET_ADMIN']))), /adds capabilities NET_ADMIN/));
  it('catches an untagged image', () =>
    someMatch(policy.checkImages(broken((o) => (server(o).image = 'registry.example.com/xiaoyu-ai/server'))), /has no tag/));
  it('catches a Secret reference without the generated hash', () =>
    someMatch(policy.checkReferences(broken((o) => (server(o).envFrom[1].secretRef.name = 'xiaoyu-secrets'))), /Secret xiaoyu-secrets does not exist/));
  it('catches a secretKeyRef to a missing key', () =>
    someMatch(
      policy.checkReferences(broken((o) => (get(o, 'StatefulSet', 'postgres').spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef.key = 'PG_PASS'))),
      /has no key PG_PASS/,
    ));
  it('catches an object outside the namespace', () =>
    someMatch(policy.checkNamespaces(broken((o) => delete get(o, 'Service', 'client').metadata.namespace)), /Service\/client: namespace is unset/));
  it('catches a Service whose selector matches no pods', () =>
    someMatch(
      policy.checkServices(broken((o) => (get(o, 'Service', 'server').spec.selector = { 'app.kubernetes.io/name': 'xiaoyu-api' }))),
      /selects no pods/,
    ));
  it('catches a Service targeting a port the pods do not have', () =>
    someMatch(policy.checkServices(broken((o) => (get(o, 'Service', 'client').spec.ports[0].targetPort = 'web'))), /targetPort web is not a port/));
  it('catches an Ingress backend port the Service does not have', () =>
    someMatch(
      policy.checkIngresses(broken((o) => (get(o, 'Ingress', 'xiaoyu').spec.rules[0].http.paths[0].backend.service.port = { number: 8080 }))),
      /has no port 8080/,
    ));
  const socketIngress = (o) => get(o, 'Ingress', 'xiaoyu-socket');
  const annotation = (name) => `nginx.ingress.kubernetes.io/${name}`;
  it('catches a WebSocket Ingress with the default (60 s) read timeout', () =>
    someMatch(
      policy.checkWebSockets(broken((o) => delete socketIngress(o).metadata.annotations[annotation('proxy-read-timeout')])),
      /proxy-read-timeout must be at least 300 s/,
    ));
  it('catches a WebSocket Ingress whose send timeout is too short', () =>
    someMatch(
      policy.checkWebSockets(broken((o) => (socketIngress(o).metadata.annotations[annotation('proxy-send-timeout')] = '30'))),
      /proxy-send-timeout must be at least/,
    ));
  it('catches a WebSocket Ingress without HTTP/1.1 to the upstream', () =>
    someMatch(
      policy.checkWebSockets(broken((o) => (socketIngress(o).metadata.annotations[annotation('proxy-http-version')] = '1.0'))),
      /proxy-http-version must be "1.1"/,
    ));
  it('catches Socket.IO without cookie affinity', () =>
    someMatch(policy.checkWebSockets(broken((o) => delete socketIngress(o).metadata.annotations[annotation('affinity')])), /needs cookie affinity/));
  it('catches affinity leaking onto the API Ingress', () =>
    someMatch(
      policy.checkWebSockets(broken((o) => (get(o, 'Ingress', 'xiaoyu').metadata.annotations[annotation('affinity')] = 'cookie'))),
      /only the Socket.IO Ingress may pin/,
    ));
  it('catches /socket.io routed to the client', () =>
    someMatch(
      policy.checkWebSockets(broken((o) => (socketIngress(o).spec.rules[0].http.paths[0].backend.service.name = 'client'))),
      /goes to client, not the server/,
    ));
  it('catches a missing /socket.io route', () =>
    someMatch(policy.checkWebSockets(broken((o) => (socketIngress(o).spec.rules[0].http.paths[0].path = '/ws'))), /no Ingress routes \/socket\.io/));
  it('catches an HPA whose Deployment also sets replicas', () =>
    someMatch(policy.checkAutoscalers(broken((o) => (get(o, 'Deployment', 'server').spec.replicas = 3))), /sets spec\.replicas/));
  it('catches an HPA with the wrong CPU target', () =>
    someMatch(
      policy.checkAutoscalers(broken((o) => (get(o, 'HorizontalPodAutoscaler', 'worker').spec.metrics[0].resource.target.averageUtilization = 90))),
      /CPU target must be 70%/,
    ));
  it('catches a missing default-deny policy', () =>
    someMatch(
      policy.checkNetworkPolicies(
        broken((o) =>
          o.splice(
            o.findIndex((x) => x.metadata.name === 'default-deny-all'),
            1,
          ),
        ),
      ),
      /no default-deny/,
    ));
  it('catches a log spool cap larger than its emptyDir', () => {
    const cm = (o) => o.find((x) => x.kind === 'ConfigMap' && x.metadata.name.startsWith('xiaoyu-config'));
    someMatch(
      policy.checkSpoolCapacity(
        broken((o) => delete cm(o).data.LOG_SPOOL_MAX_BYTES),
        { variables: new Map([['LOG_SPOOL_MAX_BYTES', { default: 1073741824 }]]) },
      ),
      /LOG_SPOOL_MAX_BYTES 1073741824 does not fit the 256Mi emptyDir/,
    );
  });
  const env = (container, name, value) => {
    container.env = container.env.filter((e) => e.name !== name);
    if (value !== undefined) container.env.push({ name, value });
  };
  const hpaMemory = (averageUtilization) => ({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization } } });
  it('catches an API memory request below the models it loads', () =>
    someMatch(policy.checkApiMemory(broken((o) => (server(o).resources.requests.memory = '512Mi'))), /requests\.memory 512Mi is below the API's 700Mi/));
  it('catches an HPA memory target that the resting API already exceeds', () =>
    someMatch(
      policy.checkApiMemory(broken((o) => get(o, 'HorizontalPodAutoscaler', 'server').spec.metrics.push(hpaMemory(80)))),
      /× the HPA's 80% memory target is below .* the HPA would sit at maxReplicas/,
    ));
  it('catches a heap cap that leaves no room below the limit for the memory off the heap', () =>
    someMatch(
      policy.checkApiMemory(broken((o) => env(server(o), 'NODE_OPTIONS', '--max-old-space-size=1536'))),
      /--max-old-space-size=1536 plus 512Mi off the heap exceeds limits\.memory/,
    ));
  it('catches an API without a heap cap', () =>
    someMatch(policy.checkApiMemory(broken((o) => env(server(o), 'NODE_OPTIONS'))), /sets no --max-old-space-size/));
  const pools = { variables: new Map(policy.WORKER_POOLS.map((name) => [name, { default: name === 'AIOPS_ANALYSIS_WORKERS' ? 1 : 2 }])) };
  it('catches a worker-thread pool (the schema default) larger than the CPU limit', () =>
    someMatch(
      policy.checkWorkerPools(
        broken((o) => env(server(o), 'TUTOR_ASSESS_WORKERS')),
        pools,
      ),
      /Deployment\/server container server: TUTOR_ASSESS_WORKERS=2 \(the schema default\) exceeds the 1 CPU\(s\)/,
    ));
  it('catches a worker-thread pool set above the CPU limit', () =>
    someMatch(
      policy.checkWorkerPools(
        broken((o) => env(get(o, 'Deployment', 'worker').spec.template.spec.containers[0], 'MUSIC_RENDER_WORKERS', '4')),
        pools,
      ),
      /Deployment\/worker container worker: MUSIC_RENDER_WORKERS=4 exceeds the 1 CPU/,
    ));
  const filebeat = loadDeploySources().filebeat;
  const configMap = (o) => o.find((x) => x.kind === 'ConfigMap' && x.metadata.name.startsWith('xiaoyu-config'));
  it('catches pods that Filebeat does not collect (part-of on the Deployment only)', () =>
    someMatch(
      policy.checkLogCollection(
        broken((o) => delete get(o, 'Deployment', 'client').spec.template.metadata.labels['app.kubernetes.io/part-of']),
        filebeat,
      ),
      /Deployment\/client container client: Filebeat's autodiscover condition does not match/,
    ));
  it('catches pods that ship their logs themselves without the label Filebeat skips', () => {
    const v = policy.checkLogCollection(
      broken((o) => (configMap(o).data.ENABLE_LOG_AGGREGATION = 'true')),
      filebeat,
    );
    someMatch(v, /Deployment\/server: ships its logs itself .* lack the label xiaoyu\.ai\/log-shipping: direct/);
    someMatch(v, /Deployment\/worker container worker: shipped directly and collected by Filebeat/);
  });
  it('catches pods labelled as shipping directly that do not', () =>
    someMatch(
      policy.checkLogCollection(
        broken((o) => (get(o, 'Deployment', 'worker').spec.template.metadata.labels['xiaoyu.ai/log-shipping'] = 'direct')),
        filebeat,
      ),
      /Deployment\/worker: its pods are labelled xiaoyu\.ai\/log-shipping: direct but do not ship/,
    ));
  const bodies = { bodyLimits: [{ limit: '64mb', where: 'aiops-analysis.controller.ts' }] };
  const template = (size, streams) =>
    `server {\n    location /api/ {\n        proxy_pass http://xiaoyu_api;\n${streams ? '        proxy_request_buffering off;\n' : ''}        client_max_body_size ${size};\n    }\n}\n`;
  it('catches an Ingress that refuses bodies the API accepts', () =>
    someMatch(
      policy.checkBodyLimits(
        broken((o) => (get(o, 'Ingress', 'xiaoyu').metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size'] = '25m')),
        null,
        bodies,
      ),
      /Ingress\/xiaoyu: proxy-body-size 25m is below @BodyLimit\('64mb'\)/,
    ));
  it("catches a client nginx whose client_max_body_size is below the API's, or that buffers bodies larger than its /tmp", () => {
    const objects = renderOverlay(kubectl, 'dev').objects;
    someMatch(policy.checkBodyLimits(objects, null, { ...bodies, clientNginxTemplate: template('25m', true) }), /client nginx: client_max_body_size 25m/);
    someMatch(
      policy.checkBodyLimits(objects, null, { ...bodies, clientNginxTemplate: template('65m', false) }),
      /Deployment\/client: nginx buffers \/api\/ bodies of up to 65m in a \/tmp of 64Mi/,
    );
    assert.deepEqual(policy.checkBodyLimits(objects, null, { ...bodies, clientNginxTemplate: template('65m', true) }), []);
  });
  it('catches a body larger than every proxy allows: TUTOR_MAX_AUDIO_BYTES from the environment', () =>
    someMatch(
      policy.checkBodyLimits(
        broken((o) => (configMap(o).data.TUTOR_MAX_AUDIO_BYTES = String(100 * 1024 * 1024))),
        null,
        bodies,
      ),
      /proxy-body-size 65m is below TUTOR_MAX_AUDIO_BYTES 104857600/,
    ));
  it('catches a topology spread that selects other pods', () =>
    someMatch(
      policy.checkTopologySpread(
        broken(
          (o) =>
            (get(o, 'Deployment', 'worker').spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels['app.kubernetes.io/name'] =
              'xiaoyu-server'),
        ),
      ),
      /does not select its own pods/,
    ));

  describe('configuration against the server schema', () => {
    const cm = (o) => o.find((x) => x.kind === 'ConfigMap' && x.metadata.name.startsWith('xiaoyu-config'));
    const secret = (o) => o.find((x) => x.kind === 'Secret');
    it('catches a required variable that nothing sets', () =>
      someMatch(policy.checkEnvironment(renderOverlay(kubectl, 'dev').objects, { ...schema, required: ['MUST_HAVE'] }), /required variable MUST_HAVE/));
    it('catches a misspelt ConfigMap key', () =>
      someMatch(
        policy.checkEnvironment(
          broken((o) => (cm(o).data.LOG_LEVL = 'info')),
          schema,
        ),
        /LOG_LEVL is not a variable/,
      ));
    it('catches a credential in the ConfigMap', () =>
      someMatch(
        policy.checkEnvironment(
          broken((o) => (cm(o).data.ADMIN_PASSWORD = 'x')),
          schema,
        ),
        /ADMIN_PASSWORD holds a credential/,
      ));
    it('catches JWT_SECRET missing in production', () =>
      someMatch(
        policy.checkEnvironment(
          broken((o) => delete secret(o).data.JWT_SECRET),
          schema,
        ),
        /JWT_SECRET is required when NODE_ENV=production|required variable JWT_SECRET/,
      ));
    it('catches log aggregation without ELASTICSEARCH_URL', () =>
      someMatch(
        policy.checkEnvironment(
          broken((o) => (cm(o).data.ENABLE_LOG_AGGREGATION = 'true')),
          schema,
        ),
        /ELASTICSEARCH_URL is required when ENABLE_LOG_AGGREGATION/,
      ));
    it('catches ADMIN_EMAIL without ADMIN_PASSWORD', () =>
      someMatch(
        policy.checkEnvironment(
          broken((o) => delete secret(o).data.ADMIN_PASSWORD),
          schema,
        ),
        /ADMIN_EMAIL and ADMIN_PASSWORD must be set together/,
      ));
  });
});

describe('the Filebeat condition evaluator', () => {
  const filebeat = (condition) => ({ filebeat: { autodiscover: { providers: [{ type: 'kubernetes', templates: [{ condition, config: [] }] }] } } });
  const pod = (labels) => ({ namespace: 'xiaoyu-ai', container: 'server', labels });
  const partOf = { equals: { 'kubernetes.labels.app_kubernetes_io/part-of': 'xiaoyu-ai' } };
  it('dedots label keys as Filebeat does, and evaluates and/or/not', () => {
    const skipDirect = { and: [partOf, { not: { equals: { 'kubernetes.labels.xiaoyu_ai/log-shipping': 'direct' } } }] };
    assert.equal(policy.filebeatCollects(filebeat(skipDirect), pod({ 'app.kubernetes.io/part-of': 'xiaoyu-ai' })), true);
    assert.equal(policy.filebeatCollects(filebeat(skipDirect), pod({ 'app.kubernetes.io/part-of': 'xiaoyu-ai', 'xiaoyu.ai/log-shipping': 'direct' })), false);
    assert.equal(policy.filebeatCollects(filebeat(skipDirect), pod({ 'app.kubernetes.io/name': 'xiaoyu-server' })), false);
    assert.equal(policy.filebeatCollects(filebeat({ or: [partOf, { has_fields: ['kubernetes.labels.app'] }] }), pod({ app: 'x' })), true);
  });
  it('refuses a condition it does not understand rather than guessing', () =>
    assert.throws(() => policy.filebeatCollects(filebeat({ range: { 'kubernetes.labels.x': { gte: 1 } } }), pod({})), /"range" is not understood/));
});

describe('the env schema parser', () => {
  it('treats a property without initializer and without ? as required', () => {
    const vars = parseEnvSchema('export class EnvironmentVariables {\n  @IsString()\n  A!: string;\n  B?: string;\n  C = 1;\n  D: "x" | "y" = "x";\n}');
    assert.deepEqual(
      [...vars.values()].map((v) => [v.name, !v.optional && !v.hasDefault]),
      [
        ['A', true],
        ['B', false],
        ['C', false],
        ['D', false],
      ],
    );
  });
  it('reads an integer product (48 * 1024 * 1024) as its number', () => {
    const vars = parseEnvSchema('export class EnvironmentVariables {\n  A = 48 * 1024 * 1024;\n  B = 1_000;\n  C = "x";\n}');
    assert.deepEqual(
      [...vars.values()].map((v) => v.default),
      [50331648, 1000, '"x"'],
    );
  });
});
