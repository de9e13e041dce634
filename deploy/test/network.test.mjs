// The NetworkPolicies, evaluated: the flows the application needs are allowed, and the ones it must
// not have are denied, in every overlay.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OVERLAYS, renderOverlay, requireKubectl } from '../lib/render.mjs';
import { external, flowAllowed, pod, renderedPods } from '../lib/network.mjs';
import { checkLogstashPortComments, logstashPorts } from '../lib/policy.mjs';
import { loadLogstashSources } from '../lib/sources.mjs';

const gate = requireKubectl();
const ingressController = pod('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
const prometheus = pod('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
const dns = pod('kube-system', { 'k8s-app': 'kube-dns' });
const otherNamespace = pod('default', { app: 'intruder' });

function flows(objects) {
  const pods = renderedPods(objects);
  const p = (name) => pods.get(name);
  const inCluster = pods.has('postgres');
  const allowed = [
    ['ingress controller → client:8080', ingressController, p('client'), 8080],
    ['ingress controller → server:4000', ingressController, p('server'), 4000],
    ['client nginx → server:4000', p('client'), p('server'), 4000],
    ['Prometheus → server:4000', prometheus, p('server'), 4000],
    ['Prometheus → worker:4000', prometheus, p('worker'), 4000],
    ['server → DNS (UDP 53)', p('server'), dns, 53, 'UDP'],
    ['client → DNS (UDP 53)', p('client'), dns, 53, 'UDP'],
    ['server → HTTPS APIs', p('server'), external, 443],
    ['worker → HTTPS APIs', p('worker'), external, 443],
    ...(inCluster
      ? [
          ['server → postgres:5432', p('server'), p('postgres'), 5432],
          ['worker → postgres:5432', p('worker'), p('postgres'), 5432],
          ['server → redis:6379', p('server'), p('redis'), 6379],
          ['worker → redis:6379', p('worker'), p('redis'), 6379],
          ['postgres → DNS', p('postgres'), dns, 53, 'UDP'],
        ]
      : [
          ['server → managed PostgreSQL', p('server'), external, 5432],
          ['worker → managed Redis (TLS)', p('worker'), external, 6380],
        ]),
  ];
  const denied = [
    ['another namespace → server:4000', otherNamespace, p('server'), 4000],
    ['ingress controller → worker:4000', ingressController, p('worker'), 4000],
    ['ingress controller → server debug port 9229', ingressController, p('server'), 9229],
    ['client → the internet', p('client'), external, 443],
    ['server → SSH anywhere', p('server'), external, 22],
    ['worker → client:8080', p('worker'), p('client'), 8080],
    ...(inCluster
      ? [
          ['client → postgres:5432', p('client'), p('postgres'), 5432],
          ['ingress controller → redis:6379', ingressController, p('redis'), 6379],
          ['another namespace → postgres:5432', otherNamespace, p('postgres'), 5432],
          ['postgres → the internet', p('postgres'), external, 443],
          ['redis → the internet', p('redis'), external, 443],
          ['redis → postgres:5432', p('redis'), p('postgres'), 5432],
        ]
      : []),
  ];
  return { allowed, denied };
}

for (const overlay of OVERLAYS) {
  describe(`network policy of overlay ${overlay}`, { skip: gate.skip }, () => {
    const objects = () => renderOverlay(gate.path, overlay).objects;
    it('allows every flow the application needs', () => {
      const { allowed } = flows(objects());
      const blocked = allowed.filter(([, from, to, port, proto]) => !flowAllowed(objects(), from, to, port, proto)).map(([name]) => name);
      assert.deepEqual(blocked, []);
    });
    it('denies the flows it must not have', () => {
      const { denied } = flows(objects());
      const open = denied.filter(([, from, to, port, proto]) => flowAllowed(objects(), from, to, port, proto)).map(([name]) => name);
      assert.deepEqual(open, []);
    });
  });
}

describe('the evaluator can fail', { skip: gate.skip }, () => {
  it('without the default-deny and DNS policies (both select every pod for egress), the datastores reach the internet', () => {
    const objects = renderOverlay(gate.path, 'dev').objects.filter((o) => !['default-deny-all', 'allow-dns-egress'].includes(o.metadata.name));
    const pods = renderedPods(objects);
    assert.equal(flowAllowed(objects, pods.get('postgres'), external, 443), true);
    assert.equal(flowAllowed(objects, pods.get('redis'), external, 443), true);
  });
  it('without the DNS policy, no pod resolves names', () => {
    const objects = renderOverlay(gate.path, 'dev').objects.filter((o) => o.metadata.name !== 'allow-dns-egress');
    assert.equal(flowAllowed(objects, renderedPods(objects).get('server'), dns, 53, 'UDP'), false);
  });
});

describe("the NetworkPolicies' comments on Logstash ports", () => {
  const { networkPolicy, pipeline, settings } = loadLogstashSources();
  it('read the ports from elk/logstash: beats 5044, TCP 5000, HTTP input 8080, monitoring API 9600', () => {
    assert.deepEqual(Object.fromEntries(logstashPorts(pipeline, settings)), { beats: 5044, tcp: 5000, http: 8080, monitoring: 9600 });
  });
  it('name each Logstash port as elk/logstash configures it', () => {
    assert.deepEqual(checkLogstashPortComments(networkPolicy, pipeline, settings), []);
  });
  it('catch a port labelled as another Logstash input', () => {
    const v = checkLogstashPortComments('        - protocol: TCP\n          port: 9600  # Logstash HTTP input\n', pipeline, settings);
    assert.deepEqual(v, ['networkpolicy.yaml:2: port 9600 is labelled "Logstash HTTP input", but Logstash\'s http port is 8080']);
  });
});
