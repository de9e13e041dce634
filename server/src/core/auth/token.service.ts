import { createHash, randomBytes } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import type { AuthUser } from './auth.decorators';

interface AccessClaims {
  sub: string;
  email: string;
  role: AuthUser['role'];
}

/** Access tokens remembered as verified (about 0.5 KB each). */
const VERIFIED_TOKENS_MAX = 10_000;

/** Signs and checks short-lived access JWTs and makes opaque refresh tokens (stored only as hashes). */
@Injectable()
export class TokenService {
  private readonly verified = new Map<string, { user: AuthUser; expiresAtMs: number }>();

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  signAccessToken(user: AuthUser): Promise<string> {
    const claims: AccessClaims = { sub: user.id, email: user.email, role: user.role };
    return this.jwt.signAsync(claims, { expiresIn: this.config.JWT_ACCESS_TTL });
  }

  /**
   * Checks an access token. A client sends the same token on every request until it expires, so tokens that passed
   * are remembered until their `exp` (bounded, oldest forgotten first): the HMAC and JSON decoding ran on every request.
   * Only the exact token string hits, and an expired one never does. Synchronous, so the auth guard stays synchronous.
   */
  verifyAccessToken(token: string): AuthUser {
    return this.verifyAccess(token).user;
  }

  /** As verifyAccessToken, with the moment the token expires (ms since the epoch). */
  verifyAccess(token: string): { user: AuthUser; expiresAtMs: number } {
    const known = this.verified.get(token);
    if (known && known.expiresAtMs > Date.now()) return known;
    let claims: AccessClaims & { exp: number };
    try {
      claims = this.jwt.verify<AccessClaims & { exp: number }>(token);
    } catch {
      this.verified.delete(token);
      throw new UnauthorizedException('The access token is invalid or has expired.');
    }
    const user: AuthUser = { id: claims.sub, email: claims.email, role: claims.role };
    if (this.verified.size >= VERIFIED_TOKENS_MAX) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    const verified = { user, expiresAtMs: claims.exp * 1000 };
    this.verified.set(token, verified);
    return verified;
  }

  newRefreshToken(): { token: string; hash: string; expiresAt: Date } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: this.hashRefreshToken(token), expiresAt: new Date(Date.now() + this.config.JWT_REFRESH_TTL * 1000) };
  }

  hashRefreshToken(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
