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
});
