import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { Type } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AuthSession, SESSION_STORAGE_KEY } from '../app/core/auth/auth-session';
import { SILENT_ERRORS } from '../app/core/http/request-context';

/** Lets pending promise callbacks (the generated client is promise-based) and timers run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Settles pending work, waits for the fixture to be stable and renders what changed. */
export async function settleFixture(fixture: ComponentFixture<unknown>): Promise<void> {
  await settle();
  await fixture.whenStable();
  fixture.detectChanges();
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

/**
 * Answers a pending request with a problem after checking that it asked for no toast (`silentErrors()`): the page
 * shows that error itself, so a toast would say it twice.
 */
export function refuseQuietly(request: TestRequest, status: number, title: string, detail: string, errors?: { field: string; message: string }[]): void {
  expect(request.request.context.get(SILENT_ERRORS)).toBe(true);
  request.flush(problemBody(status, title, detail, errors), { status, statusText: title });
}

export interface MountedPage<T> {
  fixture: ComponentFixture<T>;
  el: HTMLElement;
  http: HttpTestingController;
}

/** Renders a routed page with a testing HTTP backend, signed in as `session` (none by default). */
export async function mountPage<T>(page: Type<T>, session: AuthSession | null = null): Promise<MountedPage<T>> {
  localStorage.clear();
  storeSession(session);
  TestBed.configureTestingModule({ imports: [page], providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(page);
  await fixture.whenStable();
  return { fixture, el: fixture.nativeElement as HTMLElement, http };
}

/** Types into a form field the way a user does: the value changes, then the field loses focus. */
export function typeInto(root: HTMLElement, selector: string, value: string): void {
  const input = root.querySelector<HTMLInputElement>(selector)!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('blur'));
}
