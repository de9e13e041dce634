import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, ElementRef, ErrorHandler, computed, effect, inject, signal, untracked, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { AuthStore } from '../auth/auth.store';
import { NAVIGATION } from './navigation';

/** The signed-in layout: toolbar, responsive sidenav (side on wide screens, overlay on narrow ones), content. */
@Component({
  selector: 'xy-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatToolbarModule,
    MatSidenavModule,
    MatListModule,
    MatIconModule,
    MatButtonModule,
    MatMenuModule,
    MatDividerModule,
    MatTooltipModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
})
export class Shell {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);

  protected readonly user = this.auth.user;
  protected readonly isAdmin = this.auth.isAdmin;
  protected readonly isNarrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 959.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  private readonly drawerOpenOnNarrow = signal(false);
  protected readonly drawerOpen = computed(() => !this.isNarrow() || this.drawerOpenOnNarrow());
  protected readonly sections = computed(() =>
    NAVIGATION.map((section) => ({
      ...section,
      items: section.items.filter((item) => !item.adminOnly || this.isAdmin()),
    })).filter((section) => section.items.length > 0),
  );
  protected readonly initial = computed(() => (this.user()?.email ?? '?').charAt(0).toUpperCase());
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');
  private loggingOut = false;

  constructor() {
    // Close the overlay drawer after navigating on a phone.
    const navigated = toSignal(this.router.events.pipe(filter((e) => e instanceof NavigationEnd)));
    effect(() => {
      navigated();
      untracked(() => this.drawerOpenOnNarrow.set(false));
    });
    // Pick up role changes made since the last visit; a dead session ends through the interceptor.
    void this.auth.reloadUser().catch(() => undefined);
    // A session that ends while this layout shows without a request noticing (a renewal refused, a sign-out in another
    // tab) opens the login page too, instead of leaving a signed-in page whose every request fails.
    const errorHandler = inject(ErrorHandler);
    effect(() => {
      if (this.auth.isAuthenticated() || this.loggingOut) return;
      untracked(() => {
        this.router
          .navigate(['/login'], { queryParams: { returnUrl: this.router.url, expired: 1 } })
          .catch((error: unknown) => errorHandler.handleError(error));
      });
    });
  }

  /** Keyboard users jump over the toolbar and the navigation; a `#fragment` link would leave the SPA's route. */
  protected skipToContent(): void {
    this.main().nativeElement.focus();
  }

  protected toggleDrawer(): void {
    this.drawerOpenOnNarrow.update((open) => !open);
  }

  protected onDrawerClosed(): void {
    this.drawerOpenOnNarrow.set(false);
  }

  protected async logout(): Promise<void> {
    this.loggingOut = true;
    await this.auth.logout();
    await this.router.navigate(['/login']);
  }
}
