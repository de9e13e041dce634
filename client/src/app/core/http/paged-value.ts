import { HttpErrorResponse } from '@angular/common/http';
import { computed, signal } from '@angular/core';
import { RemoteValue } from './remote-value';

/** The shape of every paged list the API answers (the history pages). */
export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * A paged list from the server: a RemoteValue that knows which page it shows and how many there are, and which of its
 * items are being deleted.
 */
export class PagedValue<P extends PageOf<unknown>> extends RemoteValue<P> {
  private readonly removingIds = signal<ReadonlySet<string>>(new Set());
  readonly page = signal(1);
  /** Ids of the items being deleted, until the list without them is shown (their delete buttons stay disabled). */
  readonly removing = this.removingIds.asReadonly();
  readonly pages = computed(() => {
    const value = this.value();
    return value ? Math.max(1, Math.ceil(value.total / value.pageSize)) : 1;
  });

  constructor(private readonly fetchPage: (page: number) => Promise<P>) {
    super();
  }

  loadPage(page = this.page()): Promise<void> {
    this.page.set(page);
    return this.load(() => this.fetchPage(page));
  }

  /** After an item was removed: the same page again, or the one before when the item was the last on its page. */
  loadAfterRemoval(): Promise<void> {
    const value = this.value();
    return this.loadPage(value && value.items.length === 1 && this.page() > 1 ? this.page() - 1 : this.page());
  }

  /**
   * Deletes an item with `deleteItem`, then shows the list without it. A repeated call for an item still being deleted
   * sends nothing (a second DELETE would answer 404). A refused DELETE leaves the item listed: the error interceptor has
   * shown the server's answer.
   */
  async remove(id: string, deleteItem: () => Promise<void>): Promise<void> {
    if (this.removingIds().has(id)) return;
    this.removingIds.update((ids) => new Set(ids).add(id));
    try {
      await deleteItem();
      await this.loadAfterRemoval();
    } catch (error: unknown) {
      if (!(error instanceof HttpErrorResponse)) throw error;
    } finally {
      this.removingIds.update((ids) => {
        const next = new Set(ids);
        next.delete(id);
        return next;
      });
    }
  }
}
