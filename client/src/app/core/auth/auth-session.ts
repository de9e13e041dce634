import { TokenPairDto } from '../../api/models';

/** What the browser keeps between visits: the token pair and who they belong to. */
export type AuthSession = TokenPairDto;
export type SessionUser = AuthSession['user'];

export const SESSION_STORAGE_KEY = 'xiaoyu.session';

function isSession(value: unknown): value is AuthSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<AuthSession>;
  return (
    typeof v.accessToken === 'string' &&
    typeof v.refreshToken === 'string' &&
    typeof v.user === 'object' &&
    v.user !== null &&
    typeof v.user.id === 'string' &&
    typeof v.user.email === 'string'
  );
}

/** Reads the stored session; anything unreadable counts as signed out. */
export function readStoredSession(storage: Storage | undefined = globalThis.localStorage): AuthSession | null {
  try {
    const raw = storage?.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    return isSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function writeStoredSession(session: AuthSession | null, storage: Storage | undefined = globalThis.localStorage): void {
  try {
    if (session) storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    else storage?.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Storage full or disabled (private mode): the session still lives in memory for this tab.
  }
}
