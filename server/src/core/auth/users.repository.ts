import { Injectable } from '@nestjs/common';
import { Database, InjectDatabase, PreparedRead } from '../db/database';
import type { UserRole } from '../db/schema';

export interface UserRecord {
  id: string;
  email: string;
  role: UserRole;
  password_hash: string;
  created_at: Date;
}

/** The columns of a user that a token carries. */
export type UserIdentity = Pick<UserRecord, 'id' | 'email' | 'role'>;

@Injectable()
export class UsersRepository {
  /**
   * `select id, email, role from users where id = $1`, compiled once and prepared: it runs on every /auth/me and
   * refresh, and building, compiling and executing it through Kysely's layers cost more CPU than reading its result.
   */
  private readonly identityById: PreparedRead<UserIdentity>;

  constructor(@InjectDatabase() private readonly db: Database) {
    this.identityById = new PreparedRead(db, 'users_identity_by_id', db.selectFrom('users').select(['id', 'email', 'role']).where('id', '=', '').compile());
  }

  findIdentityById(id: string): Promise<UserIdentity | undefined> {
    return this.identityById.first([id]);
  }

  findByEmail(email: string): Promise<UserRecord | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  /** Inserts a user; returns undefined when the e-mail is taken. */
  create(email: string, passwordHash: string, role: UserRole): Promise<UserRecord | undefined> {
    return this.db
      .insertInto('users')
      .values({ email, password_hash: passwordHash, role })
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  }

  async setRole(id: string, role: UserRole): Promise<void> {
    await this.db.updateTable('users').set({ role }).where('id', '=', id).execute();
  }

  async storeRefreshToken(userId: string, tokenHash: string, expiresAt: Date): Promise<string> {
    const row = await this.db
      .insertInto('refresh_tokens')
      .values({ user_id: userId, token_hash: tokenHash, expires_at: expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  findRefreshToken(tokenHash: string) {
    return this.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /** Marks a token used; returns false when another request used it first. */
  async revokeRefreshToken(id: string, replacedBy: string | null): Promise<boolean> {
    const result = await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: new Date(), replaced_by: replacedBy })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async revokeAllRefreshTokens(userId: string): Promise<void> {
    await this.db.updateTable('refresh_tokens').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  }
}
