import { messageOf } from "../services/request";

/** One page of a list as the API answers it. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** What a list page binds to: its rows, and the loading, empty, error and "no more" states. */
export interface ListState<T> {
  items: T[];
  loading: boolean;
  refreshing: boolean;
  error: string;
  empty: boolean;
  hasMore: boolean;
}

export function initialList<T>(): ListState<T> {
  return { items: [], loading: true, refreshing: false, error: "", empty: false, hasMore: false };
}

/**
 * A paged list: `refresh()` (first load and pull-to-refresh) starts again from page 1, `more()`
 * (reaching the bottom) appends the next page; each change is handed to `render` for setData.
 */
export function pagedList<T>(fetchPage: (page: number, pageSize: number) => Promise<Page<T>>, render: (state: ListState<T>) => void, pageSize = 20) {
  let state: ListState<T> = initialList<T>();
  let page = 0;
  let busy = false;
  const update = (patch: Partial<ListState<T>>) => render((state = { ...state, ...patch }));
  async function load(next: number, refreshing: boolean) {
    if (busy) return;
    busy = true;
    update({ loading: !refreshing && next === 1, refreshing, error: "" });
    try {
      const result = await fetchPage(next, pageSize);
      const items = next === 1 ? result.items : [...state.items, ...result.items];
      page = next;
      update({ items, loading: false, refreshing: false, empty: items.length === 0, hasMore: items.length < result.total });
    } catch (err) {
      update({ loading: false, refreshing: false, error: messageOf(err) });
    } finally {
      busy = false;
      if (refreshing) wx.stopPullDownRefresh();
    }
  }
  return {
    refresh: (pulled = false) => load(1, pulled),
    more: () => (state.hasMore ? load(page + 1, false) : Promise.resolve()),
    state: () => state,
  };
}

/** Loads one screen's data into loading / error fields: the page shows a spinner, then the data or the message. */
export async function loadInto<T>(setData: (patch: Record<string, unknown>) => void, fetch: () => Promise<T>, apply: (value: T) => Record<string, unknown>): Promise<T | null> {
  setData({ loading: true, error: "" });
  try {
    const value = await fetch();
    setData({ loading: false, ...apply(value) });
    return value;
  } catch (err) {
    setData({ loading: false, error: messageOf(err) });
    return null;
  }
}

export type PagedList<T> = ReturnType<typeof pagedList<T>>;
const lists = new WeakMap<object, unknown>();

/** The paged list of a page, made on first use, rendering into the page's `data.list`. */
export function listFor<T>(page: { setData(data: object): void }, fetchPage: (page: number, pageSize: number) => Promise<Page<T>>, pageSize = 20): PagedList<T> {
  let list = lists.get(page) as PagedList<T> | undefined;
  if (!list) lists.set(page, (list = pagedList(fetchPage, (state) => page.setData({ list: state }), pageSize)));
  return list;
}
