import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { authLogin, authLogout, authMe, authRefresh, authRegister } from '../../api/functions';
import { CredentialsDto } from '../../api/models';
import { anonymousRequest, silentErrors } from '../http/request-context';
import { AuthSession, SESSION_STORAGE_KEY, readStoredSession, writeStoredSession } from './auth-session';

/**
 * The signed-in session: token pair in localStorage, current user, role.
 * Other tabs stay in sync through the `storage` event.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly api = inject(Api);
  private readonly session = signal<AuthSession | null>(readStoredSession());
  private refreshInFlight: Promise<boolean> | null = null;

  readonly user = computed(() => this.session()?.user ?? null);
  readonly isAuthenticated = computed(() => this.session() !== null);
  readonly isAdmin = computed(() => this.session()?.user.role === 'admin');

  constructor() {
    const onStorage = (event: StorageEvent) => {
      if (event.key === SESSION_STORAGE_KEY || event.key === null) this.session.set(readStoredSession());
    };
    globalThis.addEventListener?.('storage', onStorage);
    inject(DestroyRef).onDestroy(() => globalThis.removeEventListener?.('storage', onStorage));
  }

  /** The current access token, read at request time by the auth interceptor. */
  accessToken(): string | null {
    return this.session()?.accessToken ?? null;
  }

  /**
   * `url` with the access token as `?access_token=`, for what cannot send an Authorization header
   * (EventSource, `<audio>`, download links); unchanged when signed out. Reading it in a template or
   * `computed()` follows token refreshes, since it reads the session signal.
   */
  withAccessToken(url: string): string {
    const token = this.accessToken();
    if (!token) return url;
    return `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}`;
  }

  async login(credentials: CredentialsDto): Promise<void> {
    this.setSession(await this.api.invoke(authLogin, { body: credentials }, anonymousRequest()));
  }

  async register(credentials: CredentialsDto): Promise<void> {
    this.setSession(await this.api.invoke(authRegister, { body: credentials }, anonymousRequest()));
  }

  /**
   * Exchanges the refresh token for a new pair. Concurrent callers share one request (single flight),
   * so a burst of 401s costs one refresh. Resolves false, and signs out, when the refresh is refused.
   */
  refresh(): Promise<boolean> {
    this.refreshInFlight ??= this.doRefresh().finally(() => (this.refreshInFlight = null));
    return this.refreshInFlight;
  }

  /** Revokes the refresh token on the server (best effort) and forgets the session. */
  async logout(): Promise<void> {
    const refreshToken = this.session()?.refreshToken;
    this.clear();
    if (!refreshToken) return;
    try {
      await this.api.invoke(authLogout, { body: { refreshToken } }, silentErrors(anonymousRequest()));
    } catch {
      // Already signed out locally; an unreachable server must not keep the user signed in.
    }
  }

  /** Re-reads the current user (role changes, deleted accounts) from the server. */
  async reloadUser(): Promise<void> {
    const current = this.session();
    if (!current) return;
    const user = await this.api.invoke(authMe, {}, silentErrors());
    const latest = this.session();
    if (latest) this.setSession({ ...latest, user });
  }

  /** Forgets the session locally without calling the server. */
  clear(): void {
    this.setSession(null);
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.session()?.refreshToken;
    if (!refreshToken) return false;
    try {
      this.setSession(await this.api.invoke(authRefresh, { body: { refreshToken } }, silentErrors(anonymousRequest())));
      return true;
    } catch {
      this.clear();
      return false;
    }
  }

  private setSession(session: AuthSession | null): void {
    writeStoredSession(session);
    this.session.set(session);
  }
}
