import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedRequest, AuthUser } from './auth.decorators';
import { RoutePolicies } from './route-policy';
import { TokenService } from './token.service';

/**
 * Global guard: every route needs a valid access token unless @Public(); @AdminOnly() adds a role check.
 * Synchronous on purpose: Nest awaits a guard only when it returns a promise, and each promise costs a request more
 * while the request log context (AsyncLocalStorage) is on.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly policies: RoutePolicies,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const policy = this.policies.of(context);
    if (policy.isPublic) return true;

    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const token = this.extractToken(request, policy.allowQueryToken);
    if (!token) throw new UnauthorizedException('A bearer access token is required.');
    const { user, expiresAtMs } = this.tokens.verifyAccess(token);
    request.user = user;
    (request as Partial<AuthenticatedRequest>).tokenExpiresAtMs = expiresAtMs;

    const role = policy.requiredRole;
    if (role && request.user.role !== role) throw new ForbiddenException(`This operation needs the ${role} role.`);
    return true;
  }

  private extractToken(request: Request, allowQuery: boolean): string | undefined {
    const [scheme, value] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() === 'bearer' && value) return value;
    const queryToken: unknown = allowQuery ? request.query?.access_token : undefined;
    return typeof queryToken === 'string' ? queryToken : undefined;
  }
}
