import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ALLOW_QUERY_TOKEN, AuthUser, IS_PUBLIC, REQUIRED_ROLE } from './auth.decorators';
import { TokenService } from './token.service';

/** Global guard: every route needs a valid access token unless @Public(); @AdminOnly() adds a role check. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const allowQuery = this.reflector.getAllAndOverride<boolean>(ALLOW_QUERY_TOKEN, targets);
    const token = this.extractToken(request, allowQuery);
    if (!token) throw new UnauthorizedException('A bearer access token is required.');
    request.user = await this.tokens.verifyAccessToken(token);

    const role = this.reflector.getAllAndOverride<string>(REQUIRED_ROLE, targets);
    if (role && request.user.role !== role) throw new ForbiddenException(`This operation needs the ${role} role.`);
    return true;
  }

  private extractToken(request: Request, allowQuery: boolean): string | undefined {
    const [scheme, value] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() === 'bearer' && value) return value;
    const queryToken = request.query?.access_token;
    return allowQuery && typeof queryToken === 'string' ? queryToken : undefined;
  }
}
