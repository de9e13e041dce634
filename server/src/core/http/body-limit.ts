import { Injectable, RequestMethod, SetMetadata } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { DECORATORS } from '@nestjs/swagger';
import { REQUIRED_ROLE } from '../auth/auth.decorators';
import { TokenService } from '../auth/token.service';
import type { UserRole } from '../db/schema';

export const BODY_LIMIT = 'http:body-limit';

/**
 * A JSON body limit for one route, above the global BODY_LIMIT (e.g. `@BodyLimit('32mb')` for bulk scoring).
 * Only a request whose bearer token is valid, and carries the route's role (@AdminOnly), is read with it: any other is
 * not parsed at all and meets the auth guard (401 or 403), so the larger limit never costs anything to callers who
 * cannot use the route.
 */
export const BodyLimit = (limit: string) => SetMetadata(BODY_LIMIT, limit);

interface RoutePattern {
  method: string;
  pattern: RegExp;
}

interface RouteLimit extends RoutePattern {
  parser: RequestHandler;
  /** The role the route requires (@AdminOnly), if any. */
  role?: UserRole;
}

const JSON_TYPES = ['application/json', 'application/*+json'];
const MULTIPART = 'multipart/form-data';

function joinPath(...parts: (string | undefined)[]): string {
  return (
    (
      '/' +
      parts
        .flatMap((p) => (p ?? '').split('/'))
        .filter(Boolean)
        .join('/')
    ).replace(/\/+$/, '') || '/'
  );
}

function matches(route: RoutePattern, method: string, path: string): boolean {
  return (route.method === 'ALL' || route.method === method) && route.pattern.test(path);
}

function toPattern(path: string): RegExp {
  const escaped = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}

/**
 * What the routes' decorators say about their bodies, found at the first request (when every controller and the prefix
 * are final): the routes marked with @BodyLimit and the parser each one uses, and the routes that read
 * `multipart/form-data` (marked `@ApiConsumes('multipart/form-data')`, which also documents it).
 */
@Injectable()
export class RouteBodyLimits {
  private limits?: RouteLimit[];
  private multipart: RoutePattern[] = [];
  private prefix = '';

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  /** The global route prefix ('api'); set by createApp before the app starts. */
  setGlobalPrefix(prefix: string): void {
    this.prefix = prefix;
  }

  private discover(): RouteLimit[] {
    const limits: RouteLimit[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const controllerPaths = [this.reflector.get<string | string[]>(PATH_METADATA, wrapper.metatype) ?? ''].flat();
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
        const limit = this.reflector.get<string>(BODY_LIMIT, handler);
        const consumes = this.reflector.getAllAndMerge<string[]>(DECORATORS.API_CONSUMES, [handler, wrapper.metatype]);
        const readsMultipart = consumes.includes(MULTIPART);
        if (!limit && !readsMultipart) continue;
        const role = this.reflector.getAllAndOverride<UserRole | undefined>(REQUIRED_ROLE, [handler, wrapper.metatype]);
        const method = RequestMethod[this.reflector.get<RequestMethod>(METHOD_METADATA, handler) ?? RequestMethod.POST];
        const methodPaths = [this.reflector.get<string | string[]>(PATH_METADATA, handler) ?? ''].flat();
        for (const controllerPath of controllerPaths) {
          for (const methodPath of methodPaths) {
            const pattern = toPattern(joinPath(this.prefix, controllerPath, methodPath));
            if (limit) limits.push({ method, pattern, parser: express.json({ limit, type: JSON_TYPES }), role });
            if (readsMultipart) this.multipart.push({ method, pattern });
          }
        }
      }
    }
    return limits;
  }

  /** The route's own limit, when it has one. */
  find(method: string, path: string): RouteLimit | undefined {
    this.limits ??= this.discover();
    return this.limits.find((route) => matches(route, method, path));
  }

  /** Whether the route reads a multipart form (any other answers one 415: it would reach the route as no body). */
  readsMultipart(method: string, path: string): boolean {
    this.limits ??= this.discover();
    return this.multipart.some((route) => matches(route, method, path));
  }

  /** Whether the request's bearer token is valid and has the route's role (the guards answer the rest, unparsed). */
  private mayUse(request: Request, route: RouteLimit): boolean {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return false;
    try {
      const user = this.tokens.verifyAccessToken(token);
      return !route.role || user.role === route.role;
    } catch {
      return false;
    }
  }

  /** JSON body parsing: a route's own limit where @BodyLimit says so, `fallback` (the global limit) elsewhere. */
  jsonParser(fallback: RequestHandler): RequestHandler {
    return (request: Request, response: Response, next: NextFunction) => {
      const route = this.find(request.method, request.path);
      if (!route) return fallback(request, response, next);
      return this.mayUse(request, route) ? route.parser(request, response, next) : next();
    };
  }
}
