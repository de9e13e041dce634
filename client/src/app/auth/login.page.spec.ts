import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { focusWithTab, pressKey } from '../../testing/keyboard';
import { makeSession, mountPage, settle, typeInto } from '../../testing/test-helpers';
import { LoginPage } from './login.page';

describe('LoginPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<LoginPage>;
  let el: HTMLElement;

  beforeEach(async () => {
    ({ http, fixture, el } = await mountPage(LoginPage));
  });

  afterEach(() => http.verify());

  const type = (selector: string, value: string) => typeInto(el, selector, value);

  async function submit(): Promise<void> {
    el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await fixture.whenStable();
  }

  function errors(): string[] {
    return Array.from(el.querySelectorAll('mat-error')).map((e) => e.textContent?.trim() ?? '');
  }

  it('requires an e-mail and a password before calling the server', async () => {
    await submit();
    expect(errors()).toEqual(['E-mail is required', 'Password is required']);
    http.expectNone('/api/auth/login');
  });

  it('rejects a malformed e-mail address', async () => {
    type('input[type="email"]', 'not-an-email');
    type('input[formcontrolname="password"]', 'secret-password');
    await submit();
    expect(errors()).toEqual(['Enter a valid e-mail address']);
    http.expectNone('/api/auth/login');
  });

  it('signs in with valid input and goes to the return URL', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    fixture.componentRef.setInput('returnUrl', '/system');
    type('input[type="email"]', 'ada@example.com');
    type('input[formcontrolname="password"]', 'secret-password');
    await submit();
    expect(errors()).toEqual([]);

    const req = http.expectOne('/api/auth/login');
    expect(req.request.body).toEqual({ email: 'ada@example.com', password: 'secret-password' });
    req.flush(makeSession());
    await settle();
    expect(navigate).toHaveBeenCalledWith('/system');
  });

  it('keeps the keyboard focus on Sign in while signing in, and a second Enter sends nothing more', async () => {
    vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    type('input[type="email"]', 'ada@example.com');
    type('input[formcontrolname="password"]', 'secret-password');
    const button = el.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    focusWithTab(button);
    pressKey(button, 'Enter');
    await fixture.whenStable();
    expect(button.getAttribute('aria-disabled')).toBe('true');

    focusWithTab(button);
    pressKey(button, 'Enter');
    await fixture.whenStable();
    http.expectOne('/api/auth/login').flush(makeSession());
    await settle();
  });

  it('ignores a return URL that leaves the app', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    fixture.componentRef.setInput('returnUrl', '//evil.example.com');
    type('input[type="email"]', 'ada@example.com');
    type('input[formcontrolname="password"]', 'secret-password');
    await submit();
    http.expectOne('/api/auth/login').flush(makeSession());
    await settle();
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('says the session expired when sent back by the interceptor', async () => {
    fixture.componentRef.setInput('expired', '1');
    await fixture.whenStable();
    expect(el.textContent).toContain('Your session has expired');
  });
});
