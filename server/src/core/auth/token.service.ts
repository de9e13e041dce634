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

/** Signs and checks short-lived access JWTs and makes opaque refresh tokens (stored only as hashes). */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  signAccessToken(user: AuthUser): Promise<string> {
    const claims: AccessClaims = { sub: user.id, email: user.email, role: user.role };
    return this.jwt.signAsync(claims, { expiresIn: this.config.JWT_ACCESS_TTL });
  }

  async verifyAccessToken(token: string): Promise<AuthUser> {
    try {
      const claims = await this.jwt.verifyAsync<AccessClaims>(token);
      return { id: claims.sub, email: claims.email, role: claims.role };
    } catch {
      throw new UnauthorizedException('The access token is invalid or has expired.');
    }
  }

  newRefreshToken(): { token: string; hash: string; expiresAt: Date } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: this.hashRefreshToken(token), expiresAt: new Date(Date.now() + this.config.JWT_REFRESH_TTL * 1000) };
  }

  hashRefreshToken(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
