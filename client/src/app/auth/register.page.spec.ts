import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { focusWithTab, pressKey } from '../../testing/keyboard';
import { makeSession, mountPage, settle, typeInto } from '../../testing/test-helpers';
import { RegisterPage } from './register.page';

describe('RegisterPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<RegisterPage>;
  let el: HTMLElement;

  beforeEach(async () => {
    ({ http, fixture, el } = await mountPage(RegisterPage));
  });

  afterEach(() => http.verify());

  const type = (selector: string, value: string) => typeInto(el, selector, value);

  it('says when the passwords differ, without calling the server', async () => {
    type('input[type="email"]', 'new@example.com');
    type('input[formcontrolname="password"]', 'secret-password');
    type('input[formcontrolname="confirmPassword"]', 'secret-passwort');
    el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('The passwords do not match');
    http.expectNone('/api/auth/register');
  });

  it('keeps the keyboard focus on Create account while the request runs, and a second Enter sends nothing more', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    type('input[type="email"]', 'new@example.com');
    type('input[formcontrolname="password"]', 'secret-password');
    type('input[formcontrolname="confirmPassword"]', 'secret-password');
    const button = el.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    focusWithTab(button);
    pressKey(button, 'Enter');
    await fixture.whenStable();
    expect(button.getAttribute('aria-disabled')).toBe('true');

    focusWithTab(button);
    pressKey(button, 'Enter');
    await fixture.whenStable();
    const request = http.expectOne('/api/auth/register');
    expect(request.request.body).toEqual({ email: 'new@example.com', password: 'secret-password' });
    request.flush(makeSession({ user: { id: 'u-2', email: 'new@example.com', role: 'user' } }));
    await settle();
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('shows what the server refused under the field it names, until that field is edited', async () => {
    const submit = async (email: string) => {
      type('input[type="email"]', email);
      type('input[formcontrolname="password"]', 'secret-password');
      type('input[formcontrolname="confirmPassword"]', 'secret-password');
      el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      await fixture.whenStable();
    };
    await submit('ada@localhost');
    http
      .expectOne('/api/auth/register')
      .flush(
        { type: 'about:blank', title: 'Bad Request', status: 400, errors: [{ field: 'email', message: 'email must be an e-mail address' }] },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle();
    fixture.detectChanges();
    const email = el.querySelector<HTMLInputElement>('input[type="email"]')!;
    expect(el.querySelector('[data-testid="email-server-error"]')?.textContent).toContain('email must be an e-mail address');
    expect(email.getAttribute('aria-invalid')).toBe('true');

    await submit('ada@example.com');
    expect(el.querySelector('[data-testid="email-server-error"]')).toBeNull();
    http
      .expectOne('/api/auth/register')
      .flush(
        { type: 'about:blank', title: 'Conflict', status: 409, detail: 'An account with this e-mail already exists.' },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="email-server-error"]')?.textContent).toContain('An account with this e-mail already exists.');
  });
});
