import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { Request } from 'express';
import { fieldProblem } from '../errors/problem';

const MULTIPART = 'multipart/form-data';

/**
 * A multipart body sent to a route that reads JSON would reach it as no body and be answered 400 about every field,
 * the ones the client did send too: it is answered 415 naming `body`. Routes that read multipart say so with
 * `@ApiConsumes('multipart/form-data')` (which also documents it).
 */
@Injectable()
export class MultipartRoutesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (request.method !== 'POST' && request.method !== 'PUT' && request.method !== 'PATCH') return true;
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== MULTIPART) return true;
    const consumes = this.reflector.getAllAndMerge<string[]>(DECORATORS.API_CONSUMES, [context.getHandler(), context.getClass()]);
    if (consumes.includes(MULTIPART)) return true;
    throw fieldProblem('body', `body must be JSON (Content-Type: application/json), not ${MULTIPART}`, { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE });
  }
}
