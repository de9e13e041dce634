import request from 'supertest';
import type { FieldError, ProblemDetails } from '../src/core/errors/problem';
import { registerUser, Session, startTestApp, TestApp } from './support/test-app';

const problem = (res: request.Response) => res.body as ProblemDetails & { errors: FieldError[] };

/** Numbers and ids in query strings and paths: bounded, and a bad one is a 400 naming the parameter, never a 500. */
describe('query and path validation (e2e)', () => {
  let t: TestApp;
  let user: Session;
  const auth = () => ({ Authorization: `Bearer ${user.accessToken}` });

  beforeAll(async () => {
    t = await startTestApp();
    user = await registerUser(t.http);
  });
  afterAll(() => t.close());

  function expectFieldProblem(res: request.Response, field: string): void {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(problem(res).errors.map((e) => e.field)).toEqual([field]);
  }

  it.each([
    ['page', `page=${'1'.repeat(40)}`],
    ['page', 'page=0'],
    ['page', 'page=1e3'],
    ['page', 'page='],
    ['page', 'page=10001'],
    ['pageSize', 'pageSize=101'],
    ['pageSize', `pageSize=${'9'.repeat(40)}`],
    ['page[$gt]', 'page[$gt]=1'],
  ])('GET /api/music/generations answers 400 naming %s for ?%s', async (field, query) => {
    expectFieldProblem(await request(t.http).get(`/api/music/generations?${query}`).set(auth()), field);
  });

  it('still pages with the largest accepted page', async () => {
    const res = await request(t.http).get('/api/music/generations?page=10000&pageSize=100').set(auth()).expect(200);
    expect(res.body).toMatchObject({ items: [], page: 10_000, pageSize: 100 });
  });

  it.each([
    '/api/music/generation/not-a-uuid/status',
    '/api/music/generation/123/plan',
    `/api/music/generation/${'f'.repeat(300)}/audio`,
    '/api/jobs/music-generation/not-a-uuid',
  ])('answers 400 naming id for a malformed id in %s', async (path) => {
    expectFieldProblem(await request(t.http).get(path).set(auth()), 'id');
  });

  it('answers 400 naming download for a download flag out of range', async () => {
    expectFieldProblem(await request(t.http).get('/api/music/generation/00000000-0000-4000-8000-000000000000/audio?download=2').set(auth()), 'download');
  });

  it('answers 400 naming the field for text no store keeps (NUL, lone surrogate) instead of a database error', async () => {
    const nul = await request(t.http).post('/api/music/generate/topic').set(auth()).send({ topic: 'rain\u0000night', durationSec: 30 });
    expectFieldProblem(nul, 'topic');
    const surrogate = await request(t.http)
      .post('/api/music/generate/topic')
      .set(auth())
      .set('Content-Type', 'application/json')
      .send('{"topic":"rain\\ud800","durationSec":30}');
    expectFieldProblem(surrogate, 'topic');
  });

  it('answers 400 problem+json for a gzip body that does not inflate and for hostile nesting', async () => {
    const gzip = await request(t.http).post('/api/auth/login').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('not gzip at all');
    expect(gzip.status).toBe(400);
    expect(gzip.headers['content-type']).toContain('application/problem+json');
    const deep = await request(t.http)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"email":${'['.repeat(5000)}${']'.repeat(5000)},"password":"x"}`);
    expect(deep.status).toBe(400);
    const [error] = problem(deep).errors;
    expect(error.field).toMatch(/^email\.0\.0/);
    expect(error.message).toMatch(/nested more than 32 levels deep/);
  });

  it('answers 415 naming body for a body of a type the API does not read, instead of 400 about the fields it carries', async () => {
    const json = JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' });
    for (const type of ['text/plain', 'application/xml']) {
      const res = await request(t.http).post('/api/auth/login').set('Content-Type', type).send(json).expect(415);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(problem(res).errors).toEqual([{ field: 'body', message: `body must be JSON (Content-Type: application/json), not ${type}` }]);
    }
    // A form sent to a route that reads JSON (a form post, a client's wrong default).
    const form = await request(t.http).post('/api/auth/login').field('email', 'ada@example.com').field('password', 'correct horse battery').expect(415);
    expect(problem(form).errors).toEqual([{ field: 'body', message: 'body must be JSON (Content-Type: application/json), not multipart/form-data' }]);
    // A POST without a body (acknowledge, render) is not refused for its Content-Type.
    await request(t.http).post('/api/auth/logout').set('Content-Type', 'text/plain').expect(400);
  });

  it('refuses a `constructor` key, which class-validator’s whitelist lets through', async () => {
    const res = await request(t.http).post('/api/auth/logout').send({ refreshToken: 'k3Jr2m1c0b9Qz8v7t6s5r4q3p2o1n0m9l8k7j6i5h4g', constructor: false });
    expectFieldProblem(res, 'constructor');
  });
});
