import { ConflictException, Injectable, Logger, OnApplicationBootstrap, UnauthorizedException } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { UserRole } from '../db/schema';
import type { AuthUser } from './auth.decorators';
import type { TokenPairDto, UserDto } from './dto/auth.dto';
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from './password';
import { TokenService } from './token.service';
import { UserIdentity, UsersRepository } from './users.repository';

const toUser = (record: UserIdentity): AuthUser => ({ id: record.id, email: record.email, role: record.role });

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, or promotes the account with that e-mail when its password
   * is ADMIN_PASSWORD. Registration is open and e-mails are not verified, so an account someone else registered under
   * that address first is not promoted: that is logged as an error for the operator.
   */
  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) return;
    const existing = await this.users.findByEmail(email.toLowerCase());
    if (existing) {
      if (existing.role === 'admin') return;
      if (await verifyPassword(password, existing.password_hash)) await this.users.setRole(existing.id, 'admin');
      else this.logger.error(`ADMIN_EMAIL ${email} belongs to an account whose password is not ADMIN_PASSWORD: it was not made admin`);
      return;
    }
    await this.users.create(email.toLowerCase(), await hashPassword(password), 'admin');
    this.logger.log(`Created the first admin ${email}`);
  }

  async register(email: string, password: string): Promise<TokenPairDto> {
    const created = await this.users.create(email, await hashPassword(password), 'user' satisfies UserRole);
    if (!created) throw new ConflictException('An account with this e-mail already exists.');
    return this.issueTokens(toUser(created));
  }

  async login(email: string, password: string): Promise<TokenPairDto> {
    const record = await this.users.findByEmail(email);
    const valid = record ? await verifyPassword(password, record.password_hash) : await verifyPassword(password, DUMMY_HASH);
    if (!record || !valid) throw new UnauthorizedException('The e-mail or password is incorrect.');
    if (needsRehash(record.password_hash)) await this.users.setPasswordHash(record.id, await hashPassword(password));
    return this.issueTokens(toUser(record));
  }

  /** Rotates a refresh token; presenting a used one revokes every session of that user. */
  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const stored = await this.users.findRefreshToken(this.tokens.hashRefreshToken(refreshToken));
    if (!stored) throw new UnauthorizedException('The refresh token is not valid.');
    if (stored.revoked_at) {
      await this.users.revokeAllRefreshTokens(stored.user_id);
      this.logger.warn({ userId: stored.user_id }, 'Refresh token reuse detected; all sessions revoked');
      throw new UnauthorizedException('The refresh token was already used; please log in again.');
    }
    if (new Date(stored.expires_at).getTime() < Date.now()) throw new UnauthorizedException('The refresh token has expired.');
    const record = await this.users.findIdentityById(stored.user_id);
    if (!record) throw new UnauthorizedException('The account no longer exists.');
    const next = this.tokens.newRefreshToken();
    const nextId = await this.users.storeRefreshToken(record.id, next.hash, next.expiresAt);
    if (!(await this.users.revokeRefreshToken(stored.id, nextId))) {
      await this.users.revokeAllRefreshTokens(record.id);
      throw new UnauthorizedException('The refresh token was already used; please log in again.');
    }
    return this.pair(toUser(record), next.token);
  }

  async logout(refreshToken: string): Promise<void> {
    const stored = await this.users.findRefreshToken(this.tokens.hashRefreshToken(refreshToken));
    if (stored) await this.users.revokeRefreshToken(stored.id, null);
  }

  async me(user: AuthUser): Promise<UserDto> {
    const record = await this.users.findIdentityById(user.id);
    if (!record) throw new UnauthorizedException('The account no longer exists.');
    return toUser(record);
  }

  private async issueTokens(user: AuthUser): Promise<TokenPairDto> {
    const refresh = this.tokens.newRefreshToken();
    await this.users.storeRefreshToken(user.id, refresh.hash, refresh.expiresAt);
    return this.pair(user, refresh.token);
  }

  private async pair(user: AuthUser, refreshToken: string): Promise<TokenPairDto> {
    return { accessToken: await this.tokens.signAccessToken(user), refreshToken, expiresIn: this.config.JWT_ACCESS_TTL, user };
  }
}

// Verifying against a fixed hash when the e-mail is unknown keeps login time independent of account existence.
