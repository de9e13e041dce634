import { AuthSession, SESSION_STORAGE_KEY } from '../app/core/auth/auth-session';

/** Lets pending promise callbacks (the generated client is promise-based) and timers run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function makeSession(overrides: Partial<AuthSession> = {}, role: 'user' | 'admin' = 'user'): AuthSession {
  return {
    accessToken: 'access-1',
    refreshToken: 'refresh-1-aaaaaaaaaaaaaaaaaaaa',
    expiresIn: 900,
    user: { id: '5f0c8a4e-6e0b-4f3c-9a52-2b1d7c0e9f11', email: 'ada@example.com', role },
    ...overrides,
  };
}

/** Stores a session the way the app does, before the AuthStore is created. */
export function storeSession(session: AuthSession | null): void {
  if (session) localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_STORAGE_KEY);
}

export function problemBody(status: number, title: string, detail: string, errors?: { field: string; message: string }[]) {
  return { type: 'about:blank', title, status, detail, instance: '/api/test', requestId: 'req-1', ...(errors ? { errors } : {}) };
}
