import { Client, errors } from '@elastic/elasticsearch';
import Mock from '@elastic/elasticsearch-mock';
import { installLogIndex, refusedForGood } from './log-index-setup';
import { ilmPolicyBody, indexTemplateBody } from './shipper/log-index';

function answered(statusCode: number) {
  return new errors.ResponseError({
    body: { error: { type: statusCode === 404 ? 'resource_not_found_exception' : 'error' }, status: statusCode },
    statusCode,
    headers: {},
    warnings: null,
    meta: {} as never,
  });
}

const notFound = () => answered(404);

function clientOf(mock: Mock): Client {
  return new Client({ node: 'http://es.test:9200', Connection: mock.getConnection(), maxRetries: 0 });
}

describe('installLogIndex', () => {
  it('installs the ILM policy and index template when they are missing', async () => {
    const mock = new Mock();
    const puts: Record<string, unknown> = {};
    mock.add({ method: 'GET', path: '/_ilm/policy/xiaoyu-ai-logs-policy' }, () => notFound());
    mock.add({ method: 'GET', path: '/_index_template/xiaoyu-ai-logs' }, () => notFound());
    mock.add({ method: 'PUT', path: '/_ilm/policy/xiaoyu-ai-logs-policy' }, (params) => ((puts.policy = params.body), { acknowledged: true }));
    mock.add({ method: 'PUT', path: '/_index_template/xiaoyu-ai-logs' }, (params) => ((puts.template = params.body), { acknowledged: true }));

    await expect(installLogIndex(clientOf(mock), 'xiaoyu-ai', 7)).resolves.toEqual({ policy: 'created', template: 'created' });
    expect(puts.policy).toMatchObject({ policy: { phases: { delete: { min_age: '7d', actions: { delete: {} } } } } });
    expect(puts.template).toMatchObject({
      index_patterns: ['xiaoyu-ai-logs-*'],
      template: { settings: { 'index.lifecycle.name': 'xiaoyu-ai-logs-policy' }, mappings: { properties: { '@timestamp': { type: 'date' } } } },
    });
  });

  it('leaves identical definitions alone (idempotent start-up)', async () => {
    const mock = new Mock();
    mock.add({ method: 'GET', path: '/_ilm/policy/xiaoyu-ai-logs-policy' }, () => ({
      'xiaoyu-ai-logs-policy': { version: 1, policy: ilmPolicyBody(14).policy },
    }));
    mock.add({ method: 'GET', path: '/_index_template/xiaoyu-ai-logs' }, () => ({
      index_templates: [{ name: 'xiaoyu-ai-logs', index_template: indexTemplateBody('xiaoyu-ai') }],
    }));
    mock.add({ method: 'PUT', path: '/*' }, () => {
      throw new Error('nothing should be written');
    });
    await expect(installLogIndex(clientOf(mock), 'xiaoyu-ai', 14)).resolves.toEqual({ policy: 'unchanged', template: 'unchanged' });
  });

  it('updates a policy whose retention changed', async () => {
    const mock = new Mock();
    mock.add({ method: 'GET', path: '/_ilm/policy/xiaoyu-ai-logs-policy' }, () => ({
      'xiaoyu-ai-logs-policy': { version: 1, policy: ilmPolicyBody(14).policy },
    }));
    mock.add({ method: 'GET', path: '/_index_template/xiaoyu-ai-logs' }, () => ({
      index_templates: [{ name: 'xiaoyu-ai-logs', index_template: indexTemplateBody('xiaoyu-ai') }],
    }));
    mock.add({ method: 'PUT', path: '/_ilm/policy/xiaoyu-ai-logs-policy' }, () => ({ acknowledged: true }));
    await expect(installLogIndex(clientOf(mock), 'xiaoyu-ai', 30)).resolves.toEqual({ policy: 'updated', template: 'unchanged' });
  });
});

describe('refusedForGood', () => {
  it('gives up on endpoints that will not take the definitions: a 4xx, or not Elasticsearch', () => {
    for (const status of [400, 401, 403, 404, 405]) expect(refusedForGood(answered(status))).toBe(true);
    expect(refusedForGood(new errors.ProductNotSupportedError('Elasticsearch'))).toBe(true);
  });

  it('retries what Elasticsearch may get over: unreachable, timeouts, 408, 429 and 5xx', () => {
    for (const status of [408, 429, 500, 503]) expect(refusedForGood(answered(status))).toBe(false);
    expect(refusedForGood(new errors.ConnectionError('connect ECONNREFUSED'))).toBe(false);
    expect(refusedForGood(new errors.TimeoutError('Request timed out'))).toBe(false);
  });
});
