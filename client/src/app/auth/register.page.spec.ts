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
});
