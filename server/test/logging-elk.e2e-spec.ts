/**
 * The elk/ configuration is consistent with the server: the compose file, Filebeat and Logstash configs parse,
 * and every Kibana saved object parses and references objects (and index fields) that exist.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { KIBANA_DATA_VIEW_ID } from '../src/logs/engine/kibana-link';
import { LOG_MAPPINGS } from '../src/core/logging/shipper/log-index';
import { indexPattern } from '../src/core/logging/shipper/log-record';

const ELK = path.join(__dirname, '../../elk');
const read = (p: string) => fs.readFileSync(path.join(ELK, p), 'utf8');

interface SavedObject {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  references: Array<{ name: string; type: string; id: string }>;
}

function savedObjects(): SavedObject[] {
  const dir = path.join(ELK, 'kibana/dashboards');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()
    .flatMap((f) =>
      fs
        .readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as SavedObject),
    );
}

/** Every field path the index template maps (dotted). */
function mappedFields(props: Record<string, unknown>, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [name, def] of Object.entries(props)) {
    const full = prefix ? `${prefix}.${name}` : name;
    const d = def as { properties?: Record<string, unknown>; fields?: Record<string, unknown> };
    if (d.properties) mappedFields(d.properties, full).forEach((f) => out.add(f));
    else out.add(full);
    for (const sub of Object.keys(d.fields ?? {})) out.add(`${full}.${sub}`);
  }
  return out;
}

describe('elk/ configuration', () => {
  it('compose: Elasticsearch 8 with security, setup, Logstash and Kibana with healthchecks and volumes', () => {
    const compose = parse(read('docker-compose.logging.yml')) as {
      services: Record<string, { image: string; environment?: string[]; healthcheck?: unknown; volumes?: string[]; depends_on?: Record<string, unknown> }>;
      volumes: Record<string, unknown>;
    };
    const { services } = compose;
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['elasticsearch', 'setup', 'logstash', 'kibana', 'dashboards']));
    expect(services.elasticsearch.image).toMatch(/elasticsearch:\$\{ELASTIC_VERSION:-8\./);
    expect(services.elasticsearch.environment).toEqual(expect.arrayContaining(['xpack.security.enabled=true', 'discovery.type=single-node']));
    for (const name of ['elasticsearch', 'logstash', 'kibana']) expect(services[name].healthcheck).toBeDefined();
    expect(services.logstash.depends_on).toHaveProperty('setup');
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect(fs.existsSync(path.join(ELK, source))).toBe(true);
        else expect(compose.volumes).toHaveProperty(source);
      }
    }
    expect(read('setup/setup.sh')).toContain('/_security/user/kibana_system/_password');
  });

  it('Filebeat collects Kubernetes container stdout and sends it to Logstash', () => {
    const filebeat = parse(read('filebeat/filebeat.kubernetes.yml')) as {
      'filebeat.autodiscover': { providers: Array<{ type: string; templates: Array<{ config: Array<{ paths: string[]; parsers: object[] }> }> }> };
      'output.logstash': { hosts: string[] };
    };
    const provider = filebeat['filebeat.autodiscover'].providers[0];
    expect(provider.type).toBe('kubernetes');
    const input = provider.templates[0].config[0];
    expect(input.paths[0]).toContain('/var/log/containers/');
    expect(input.parsers.map((p: object) => Object.keys(p)[0])).toEqual(['container', 'ndjson']);
    expect(filebeat['output.logstash'].hosts[0]).toContain('5044');
  });

  it('the Filebeat DaemonSet mounts the generated config and every volume it declares', () => {
    const kustomization = parse(read('filebeat/kustomization.yaml')) as { resources: string[]; configMapGenerator: Array<{ name: string; files: string[] }> };
    for (const r of kustomization.resources) expect(fs.existsSync(path.join(ELK, 'filebeat', r))).toBe(true);
    const [generated] = kustomization.configMapGenerator;
    expect(generated.files).toEqual(['filebeat.yml=filebeat.kubernetes.yml']);
    type Doc = {
      kind: string;
      spec?: {
        template: { spec: { containers: Array<{ volumeMounts: Array<{ name: string }> }>; volumes: Array<{ name: string; configMap?: { name: string } }> } };
      };
    };
    const docs = parseAllDocuments(read('filebeat/filebeat-daemonset.yaml')).map((d) => d.toJS() as Doc);
    expect(docs.map((d) => d.kind)).toEqual(['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'DaemonSet']);
    const pod = docs.find((d) => d.kind === 'DaemonSet')!.spec!.template.spec;
    const volumes = new Set(pod.volumes.map((v) => v.name));
    for (const m of pod.containers[0].volumeMounts) expect(volumes).toContain(m.name);
    expect(pod.volumes.find((v) => v.configMap)?.configMap?.name).toBe(generated.name);
  });

  it('Logstash reads Beats, TCP and HTTP and writes the daily indices the template covers', () => {
    const conf = read('logstash/pipeline/logstash.conf');
    const code = conf
      .replace(/#.*$/gm, '')
      .replace(/"(?:[^"\\]|\\.)*"/g, '""')
      .replace(/\/(?:[^/\\\n]|\\.)+\//g, '//');
    expect(code.split('{').length).toBe(code.split('}').length);
    for (const input of ['beats', 'tcp', 'http']) expect(conf).toMatch(new RegExp(`^\\s+${input} \\{`, 'm'));
    expect(conf).toContain('index => "${LOG_INDEX_PREFIX:xiaoyu-ai}-logs-%{+YYYY.MM.dd}"');
    expect(conf).toContain('action => "create"');
    expect(indexPattern('xiaoyu-ai')).toBe('xiaoyu-ai-logs-*');
  });

  it('Kibana objects parse, and every reference and field exists', () => {
    const objects = savedObjects();
    const byKey = new Set(objects.map((o) => `${o.type}:${o.id}`));
    expect(byKey.size).toBe(objects.length);
    const dataView = objects.find((o) => o.type === 'index-pattern');
    expect(dataView).toMatchObject({ id: KIBANA_DATA_VIEW_ID, attributes: { title: indexPattern('xiaoyu-ai'), timeFieldName: '@timestamp' } });
    expect(objects.filter((o) => o.type === 'dashboard')).toHaveLength(3);
    expect(objects.filter((o) => o.type === 'search').length).toBeGreaterThanOrEqual(2);

    const fields = mappedFields(LOG_MAPPINGS.properties);
    for (const o of objects) {
      for (const ref of o.references) expect(byKey).toContain(`${ref.type}:${ref.id}`);
      const meta = (o.attributes.kibanaSavedObjectMeta as { searchSourceJSON?: string } | undefined)?.searchSourceJSON;
      if (meta) {
        const source = JSON.parse(meta) as { indexRefName?: string };
        if (source.indexRefName) expect(o.references.map((r) => r.name)).toContain(source.indexRefName);
      }
      if (o.type === 'dashboard') {
        const panels = JSON.parse(String(o.attributes.panelsJSON)) as Array<{ panelRefName: string }>;
        expect(panels.length).toBeGreaterThan(0);
        for (const p of panels) expect(o.references.map((r) => r.name)).toContain(p.panelRefName);
        JSON.parse(String(o.attributes.optionsJSON));
      }
      if (o.type === 'visualization') {
        const vis = JSON.parse(String(o.attributes.visState)) as { aggs: Array<{ params: { field?: string } }> };
        for (const agg of vis.aggs) if (agg.params.field) expect(fields).toContain(agg.params.field);
      }
      if (o.type === 'search') {
        for (const column of o.attributes.columns as string[]) expect(fields).toContain(column);
      }
    }
  });
});
