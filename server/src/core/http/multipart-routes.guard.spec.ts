import { ExecutionContext, HttpStatus } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiConsumes } from '@nestjs/swagger';
import { ProblemException } from '../errors/problem';
import { MultipartRoutesGuard } from './multipart-routes.guard';

class Routes {
  @ApiConsumes('multipart/form-data')
  upload(this: void): void {}

  json(this: void): void {}
}

function contextOf(handler: keyof Routes, method: string, contentType?: string): ExecutionContext {
  const request = { method, headers: contentType ? { 'content-type': contentType } : {} };
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('MultipartRoutesGuard', () => {
  const guard = new MultipartRoutesGuard(new Reflector());

  it('answers 415 naming body when a multipart body is sent to a route that reads JSON', () => {
    let problem: unknown;
    try {
      guard.canActivate(contextOf('json', 'POST', 'multipart/form-data; boundary=x'));
    } catch (error) {
      problem = error;
    }
    expect(problem).toBeInstanceOf(ProblemException);
    expect((problem as ProblemException).getStatus()).toBe(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    expect((problem as ProblemException).problem.errors).toEqual([
      { field: 'body', message: 'body must be JSON (Content-Type: application/json), not multipart/form-data' },
    ]);
  });

  it('lets multipart through to the routes that read it, and anything else through to the parsers', () => {
    expect(guard.canActivate(contextOf('upload', 'POST', 'Multipart/Form-Data; boundary=x'))).toBe(true);
    expect(guard.canActivate(contextOf('json', 'POST', 'application/json'))).toBe(true);
    expect(guard.canActivate(contextOf('json', 'POST'))).toBe(true);
    expect(guard.canActivate(contextOf('json', 'GET', 'multipart/form-data; boundary=x'))).toBe(true);
  });
});
