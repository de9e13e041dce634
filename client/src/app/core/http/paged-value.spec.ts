import { HttpErrorResponse } from '@angular/common/http';
import { PagedValue, type PageOf } from './paged-value';

function serverOf(total: number, pageSize = 10) {
  const asked: number[] = [];
  const fetchPage = (page: number): Promise<PageOf<number>> => {
    asked.push(page);
    const first = (page - 1) * pageSize;
    const items = Array.from({ length: Math.max(0, Math.min(pageSize, total - first)) }, (_, i) => first + i);
    return Promise.resolve({ items, total, page, pageSize });
  };
  return { asked, fetchPage };
}

describe('PagedValue', () => {
  it('counts the pages from the total and the page size, one page before the first answer', async () => {
    const list = new PagedValue(serverOf(21).fetchPage);
    expect(list.pages()).toBe(1);
    await list.loadPage(3);
    expect(list.page()).toBe(3);
    expect(list.pages()).toBe(3);
    expect(list.value()?.items).toEqual([20]);
  });

  it('after a removal shows the page before when the removed item was the only one on its page', async () => {
    const server = serverOf(21);
    const list = new PagedValue(server.fetchPage);
    await list.loadPage(3);
    await list.loadAfterRemoval();
    expect(server.asked).toEqual([3, 2]);
    expect(list.page()).toBe(2);
  });

  it('after a removal stays on a page that keeps items, and on the first page', async () => {
    const server = serverOf(15);
    const list = new PagedValue(server.fetchPage);
    await list.loadPage(2);
    await list.loadAfterRemoval();
    const single = serverOf(1);
    const first = new PagedValue(single.fetchPage);
    await first.loadPage(1);
    await first.loadAfterRemoval();
    expect(server.asked).toEqual([2, 2]);
    expect(single.asked).toEqual([1, 1]);
  });

  it('deletes an item once while it is being deleted, then shows the list without it', async () => {
    const server = serverOf(5);
    const list = new PagedValue(server.fetchPage);
    await list.loadPage(1);
    let deletes = 0;
    let answer!: () => void;
    const deleteItem = () => {
      deletes++;
      return new Promise<void>((resolve) => (answer = resolve));
    };
    const first = list.remove('a', deleteItem);
    const repeated = list.remove('a', deleteItem);
    expect(list.removing().has('a')).toBe(true);
    await repeated;
    expect(deletes).toBe(1);
    answer();
    await first;
    expect(server.asked).toEqual([1, 1]);
    expect(list.removing().has('a')).toBe(false);
  });

  it('keeps the list as it is when the server refuses the delete, and passes on any other error', async () => {
    const server = serverOf(5);
    const list = new PagedValue(server.fetchPage);
    await list.loadPage(1);
    const refused = new HttpErrorResponse({ status: 404 });
    await list.remove('a', () => {
      // How HttpClient fails: with the response, which is not an Error.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(refused);
    });
    expect(server.asked).toEqual([1]);
    expect(list.removing().size).toBe(0);
    await expect(list.remove('b', () => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
    expect(list.removing().size).toBe(0);
  });
});
