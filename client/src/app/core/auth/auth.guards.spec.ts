import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, Router, RouterStateSnapshot, UrlTree, provideRouter } from '@angular/router';
import { makeSession, storeSession } from '../../../testing/test-helpers';
import { adminGuard, authGuard, guestGuard } from './auth.guards';

function run(guard: typeof authGuard, url = '/system'): boolean | UrlTree {
  return TestBed.runInInjectionContext(() => guard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot)) as boolean | UrlTree;
}

function setup(role: 'user' | 'admin' | null): Router {
  localStorage.clear();
  storeSession(role ? makeSession({}, role) : null);
  TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
  return TestBed.inject(Router);
}

describe('route guards', () => {
  it('sends a signed-out visitor to the login page with the return URL', () => {
    const router = setup(null);
    const result = run(authGuard, '/system');
    expect(router.serializeUrl(result as UrlTree)).toBe('/login?returnUrl=%2Fsystem');
  });

  it('lets a signed-in user through', () => {
    setup('user');
    expect(run(authGuard)).toBe(true);
  });

  it('shows the admins-only page to a non-admin on an admin route', () => {
    const router = setup('user');
    expect(router.serializeUrl(run(adminGuard, '/logs') as UrlTree)).toBe('/forbidden');
  });

  it('lets an admin through to admin routes', () => {
    setup('admin');
    expect(run(adminGuard, '/logs')).toBe(true);
  });

  it('sends a signed-in user away from the login page', () => {
    const router = setup('user');
    expect(router.serializeUrl(run(guestGuard) as UrlTree)).toBe('/');
  });
});
