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
});
