import { HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, computed, effect, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { authLogin, authLogout, authMe, authRefresh, authRegister } from '../../api/functions';
import { CredentialsDto } from '../../api/models';
import { anonymousRequest, silentErrors } from '../http/request-context';
import { AuthSession, SESSION_STORAGE_KEY, readStoredSession, writeStoredSession } from './auth-session';

/** How long before its expiry an access token is renewed, so the links that carry it keep working. */
const RENEW_BEFORE_EXPIRY_MS = 60_000;
/** The wait before trying again when a renewal could not reach the server. */
const RENEW_RETRY_MS = 30_000;
/** Tabs take turns to rotate the shared pair (Web Locks): a refresh token presented twice revokes every session. */
const REFRESH_LOCK = 'xiaoyu.session.refresh';

/** The `exp` claim of a JWT in epoch ms, or null when the token is not a JWT with one. */
export function accessTokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** A refresh that failed without the server refusing it (offline, server down or busy): the session still stands. */
function isTransient(error: unknown): boolean {
  return error instanceof HttpErrorResponse && (error.status === 0 || error.status === 429 || error.status >= 500);
}

async function inCrossTabLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks as LockManager | undefined;
  return locks ? await locks.request(name, task) : task();
}

/**
 * The signed-in session: token pair in localStorage, current user, role.
 * Other tabs stay in sync through the `storage` event. The access token is renewed a minute before it expires, so
 * URLs that carry it (`withAccessToken`) do not go stale in an idle tab.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly api = inject(Api);
  private readonly session = signal<AuthSession | null>(readStoredSession());
  private refreshInFlight: Promise<boolean> | null = null;
  /** Bumped after a renewal that could not reach the server, to try again later. */
  private readonly renewalRetries = signal(0);

  readonly user = computed(() => this.session()?.user ?? null);
  readonly isAuthenticated = computed(() => this.session() !== null);
  readonly isAdmin = computed(() => this.session()?.user.role === 'admin');

  constructor() {
    const onStorage = (event: StorageEvent) => {
      if (event.key === SESSION_STORAGE_KEY || event.key === null) this.session.set(readStoredSession());
    };
    globalThis.addEventListener?.('storage', onStorage);
    inject(DestroyRef).onDestroy(() => globalThis.removeEventListener?.('storage', onStorage));
    effect((onCleanup) => onCleanup(this.scheduleRenewal()));
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
   * so a burst of 401s costs one refresh. Resolves false, and signs out, when the refresh is refused; resolves false
   * and stays signed in when the server could not be reached.
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

  /** Resolves false, keeping the session, when the server could not be reached; signs out when it refused. */
  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.session()?.refreshToken;
    if (!refreshToken) return false;
    return inCrossTabLock(REFRESH_LOCK, async () => {
      // Another tab may have rotated the pair while this one waited: take its pair rather than present a used token.
      const stored = readStoredSession();
      if (stored && stored.refreshToken !== refreshToken) {
        this.session.set(stored);
        return true;
      }
      try {
        this.setSession(await this.api.invoke(authRefresh, { body: { refreshToken } }, silentErrors(anonymousRequest())));
        return true;
      } catch (error) {
        if (!isTransient(error)) this.clear();
        return false;
      }
    });
  }

  /** A timer that renews the current access token before it expires; returns what cancels it. */
  private scheduleRenewal(): () => void {
    const token = this.session()?.accessToken;
    const expiry = token ? accessTokenExpiry(token) : null;
    if (expiry === null) return () => undefined;
    const earliest = this.renewalRetries() > 0 ? RENEW_RETRY_MS : 0;
    const delay = Math.min(2 ** 31 - 1, Math.max(earliest, expiry - RENEW_BEFORE_EXPIRY_MS - Date.now()));
    const retryUnlessRenewed = (renewed: boolean) => {
      if (!renewed && this.session()?.accessToken === token) this.renewalRetries.update((n) => n + 1);
    };
    const timer = setTimeout(() => this.refresh().then(retryUnlessRenewed, () => retryUnlessRenewed(false)), delay);
    return () => clearTimeout(timer);
  }

  private setSession(session: AuthSession | null): void {
    writeStoredSession(session);
    this.session.set(session);
  }
}
