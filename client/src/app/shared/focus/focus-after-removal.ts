import { DOCUMENT, ElementRef, Signal, afterRenderEffect, inject } from '@angular/core';

/**
 * A deleted list item takes its focused Delete button with it, which drops the keyboard focus to the page. Call
 * `removing(id, index)` when a delete starts: once the list is shown without that item, the focus goes to the item
 * now in its place (or the last one, or `fallback`, such as the list's title with tabindex="-1", when none are left),
 * unless the user has put it somewhere else meanwhile. Create it in a component's field initializer.
 */
export class FocusAfterRemoval {
  private pending: { id: string; index: number } | null = null;

  constructor(
    items: () => readonly { id: string }[] | undefined,
    targets: Signal<readonly ElementRef<HTMLElement>[]>,
    fallback: Signal<ElementRef<HTMLElement> | undefined>,
  ) {
    const document = inject(DOCUMENT);
    afterRenderEffect(() => {
      const shown = items();
      const buttons = targets();
      const pending = this.pending;
      if (!pending || !shown || shown.some((item) => item.id === pending.id)) return;
      this.pending = null;
      const active = document.activeElement;
      if (active !== null && active !== document.body) return;
      (buttons[Math.min(pending.index, buttons.length - 1)] ?? fallback())?.nativeElement.focus();
    });
  }

  removing(id: string, index: number): void {
    this.pending = { id, index };
  }
}
