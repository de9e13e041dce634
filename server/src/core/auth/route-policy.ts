import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { UserRole } from '../db/schema';
import { ALLOW_QUERY_TOKEN, AUTH_RATE_LIMITED, IS_PUBLIC, REQUIRED_ROLE, SKIP_RATE_LIMIT } from './auth.decorators';

/** What the auth and rate-limit decorators say about one route; a decorator on the method overrides one on the controller. */
export interface RoutePolicy {
  isPublic: boolean;
  requiredRole?: UserRole;
  allowQueryToken: boolean;
  skipRateLimit: boolean;
  authRateLimited: boolean;
}

/**
 * Reads a route's policy once and remembers it: decorators are fixed when the classes load, and the guards asked the
 * reflector for the same five keys (each a walk of the metadata maps of two targets) on every request.
 */
@Injectable()
export class RoutePolicies {
  private readonly byController = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  constructor(private readonly reflector: Reflector) {}

  of(context: ExecutionContext): RoutePolicy {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.byController.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.byController.set(controller, byHandler);
    }
    let policy = byHandler.get(handler);
    if (!policy) {
      const read = <T>(key: string) => this.reflector.getAllAndOverride<T | undefined>(key, [handler, controller]);
      policy = {
        isPublic: read<boolean>(IS_PUBLIC) === true,
        requiredRole: read<UserRole>(REQUIRED_ROLE),
        allowQueryToken: read<boolean>(ALLOW_QUERY_TOKEN) === true,
        skipRateLimit: read<boolean>(SKIP_RATE_LIMIT) === true,
        authRateLimited: read<boolean>(AUTH_RATE_LIMITED) === true,
      };
      byHandler.set(handler, policy);
    }
    return policy;
  }
}
