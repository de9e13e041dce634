import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { PrefixRoutedExpressAdapter, routeTemplateOf, splitRoutePrefix } from './prefix-routing';

type Router = Record<'get' | 'post' | 'use', (...args: unknown[]) => unknown>;

/** A handler that answers with its name and the route template Express saw. */
const answer = (name: string) => (req: Request, res: Response) => {
  res.json({ name, template: routeTemplateOf(req), url: req.originalUrl });
};

function adapter() {
  const http = new PrefixRoutedExpressAdapter();
  return { http, routes: http as unknown as Router, app: http.getInstance<import('express').Express>() };
}

/** How many layers a request to the app's own router would try before its groups: one per group and middleware. */
function topLevelLayers(app: import('express').Express): number {
  return (app.router as unknown as { stack: unknown[] }).stack.length;
}

describe('splitRoutePrefix', () => {
  it('splits off the first two plain segments', () => {
    expect(splitRoutePrefix('/api/auth/me')).toEqual(['/api/auth', '/me']);
    expect(splitRoutePrefix('/api/music/generation/:id/status')).toEqual(['/api/music', '/generation/:id/status']);
    expect(splitRoutePrefix('/api/health')).toEqual(['/api/health', '/']);
    expect(splitRoutePrefix('/api/docs-json')).toEqual(['/api/docs-json', '/']);
  });

  it('leaves paths whose first two segments are not plain text', () => {
    expect(splitRoutePrefix('/api')).toBeUndefined();
    expect(splitRoutePrefix('/api/:id')).toBeUndefined();
    expect(splitRoutePrefix('/:queue/jobs')).toBeUndefined();
    expect(splitRoutePrefix('/api/*path')).toBeUndefined();
    expect(splitRoutePrefix('/api/{:lang}')).toBeUndefined();
    expect(splitRoutePrefix('api/auth/me')).toBeUndefined();
  });
});

describe('PrefixRoutedExpressAdapter', () => {
  it('answers every route from one router per prefix, with the full route template', async () => {
    const { routes, app } = adapter();
    routes.get('/api/auth/me', answer('me'));
    routes.post('/api/auth/login', answer('login'));
    routes.get('/api/music/generation/:id/status', answer('status'));
    routes.get('/api/health', answer('health'));
    routes.get('/api/health/live', answer('live'));
    // the adapter's own hook middleware, the auth and music groups, /api/health, the health group
    expect(topLevelLayers(app)).toBe(5);

    await request(app).get('/api/auth/me').expect(200, { name: 'me', template: '/api/auth/me', url: '/api/auth/me' });
    await request(app).post('/api/auth/login').expect(200, { name: 'login', template: '/api/auth/login', url: '/api/auth/login' });
    await request(app)
      .get('/api/music/generation/42/status?x=1')
      .expect(200, { name: 'status', template: '/api/music/generation/:id/status', url: '/api/music/generation/42/status?x=1' });
    await request(app).get('/api/health').expect(200, { name: 'health', template: '/api/health', url: '/api/health' });
    await request(app).get('/api/health/live').expect(200, { name: 'live', template: '/api/health/live', url: '/api/health/live' });
    // Case-insensitive, as Express routes by default; the template is the registered one, however the client spells it.
    await request(app).get('/API/Auth/me').expect(200, { name: 'me', template: '/api/auth/me', url: '/API/Auth/me' });
  });

  it('lets a request that no route of its group matches go on to the next layer', async () => {
    const { http, routes, app } = adapter();
    routes.get('/api/auth/me', answer('me'));
    http.use((_req: Request, res: Response) => res.status(404).json({ name: 'not found' }));
    await request(app).get('/api/auth/nothing').expect(404, { name: 'not found' });
    await request(app).post('/api/auth/me').expect(404, { name: 'not found' });
    await request(app).get('/api/authx/me').expect(404, { name: 'not found' });
  });

  it('keeps the registration order where it matters: nothing moves ahead of a parameter route or a middleware', async () => {
    const { http, routes, app } = adapter();
    routes.get('/api/jobs/first', answer('first'));
    routes.get('/api/:any/second', answer('parameter'));
    routes.get('/api/jobs/second', answer('registered after the parameter route'));
    http.use((_req: Request, res: Response, next: NextFunction) => {
      res.setHeader('x-after', 'yes');
      next();
    });
    routes.get('/api/jobs/third', answer('third'));

    await request(app).get('/api/jobs/second').expect(200, { name: 'parameter', template: '/api/:any/second', url: '/api/jobs/second' });
    const before = await request(app).get('/api/jobs/first').expect(200);
    expect(before.headers['x-after']).toBeUndefined();
    const after = await request(app).get('/api/jobs/third').expect(200);
    expect(after.headers['x-after']).toBe('yes');
  });

  it('still reads Express settings through get(name)', () => {
    const { http, routes } = adapter();
    http.set('etag', false);
    expect(routes.get('etag')).toBe(false);
  });
});
