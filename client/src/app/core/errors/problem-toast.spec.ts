import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { firstValueFrom } from 'rxjs';
import { ProblemToast } from './problem-toast';

describe('ProblemToast', () => {
  afterEach(() => TestBed.inject(MatSnackBar).dismiss());

  it('shows the title in bold, the detail and each invalid field', async () => {
    TestBed.inject(ProblemToast).show({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is invalid.',
      errors: [{ field: 'email', message: 'email must be a valid e-mail address' }],
    });
    const ref = TestBed.inject(MatSnackBar)._openedSnackBarRef;
    if (ref) await firstValueFrom(ref.afterOpened());

    const toast = document.querySelector('.xy-problem-toast');
    expect(toast?.querySelector('strong')?.textContent).toBe('Bad Request');
    expect(toast?.textContent).toContain('The request is invalid.');
    expect(toast?.querySelector('li')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('email: email must be a valid e-mail address');
  });

  it('leaves out a detail that only repeats the field messages', async () => {
    TestBed.inject(ProblemToast).show({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'password must be at least 8 characters long',
      errors: [{ field: 'password', message: 'password must be at least 8 characters long' }],
    });
    const ref = TestBed.inject(MatSnackBar)._openedSnackBarRef;
    if (ref) await firstValueFrom(ref.afterOpened());

    const toast = document.querySelector('.xy-problem-toast');
    expect(toast?.querySelector('.detail')).toBeNull();
    expect(toast?.querySelectorAll('li')).toHaveLength(1);
  });
});
