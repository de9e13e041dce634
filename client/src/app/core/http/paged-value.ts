import { computed, signal } from '@angular/core';
import { RemoteValue } from './remote-value';

/** The shape of every paged list the API answers (the history pages). */
export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A paged list from the server: a RemoteValue that knows which page it shows and how many there are. */
export class PagedValue<P extends PageOf<unknown>> extends RemoteValue<P> {
  readonly page = signal(1);
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
}
