// Loading, error and paging state for the second-slice pages (one way to fetch a list and show its states).
import { reactive, ref, watch, type Ref } from "vue";
import { useRoute, useRouter } from "vue-router";
import { MessagePlugin, type PageInfo } from "tdesign-vue-next";
import type { ApiError } from "../api/request.js";

/** Runs a fetch and keeps its loading flag and the server's message on failure. */
export function useLoader<T>(fetch: () => Promise<T>) {
  const data = ref<T | null>(null);
  const loading = ref(false);
  const error = ref("");
  async function load() {
    loading.value = true;
    error.value = "";
    try {
      data.value = await fetch();
    } catch (e) {
      error.value = (e as ApiError).message;
    } finally {
      loading.value = false;
    }
  }
  return { data, loading, error, load };
}

/**
 * A list paged on the server: rows, total and TDesign's pagination. `data` is the last whole response
 * (for what comes beside the rows, e.g. an unread count); `first()` reloads from page 1, for when a
 * filter changed.
 */
export function usePagedList<R extends { items: unknown[]; total: number }>(fetch: (page: number, pageSize: number) => Promise<R>, pageSize = 10) {
  const pagination = reactive({ current: 1, pageSize, total: 0 });
  const rows = ref([]) as Ref<R["items"]>;
  const loader = useLoader(async () => {
    const res = await fetch(pagination.current, pagination.pageSize);
    rows.value = res.items;
    pagination.total = res.total;
    return res;
  });
  function onPage(p: PageInfo) {
    Object.assign(pagination, { current: p.current, pageSize: p.pageSize });
    void loader.load();
  }
  function first() {
    pagination.current = 1;
    return loader.load();
  }
  return { rows, pagination, onPage, first, data: loader.data as Ref<R | null>, loading: loader.loading, error: loader.error, load: loader.load };
}

/** The open tab, kept in ?tab= so a reload or a link opens it again. */
export function useTabQuery<T extends string>(tabs: readonly T[]) {
  const route = useRoute();
  const router = useRouter();
  const tab = ref<T>(tabs.includes(route.query.tab as T) ? (route.query.tab as T) : tabs[0]);
  watch(tab, (t) => void router.replace({ query: { ...route.query, tab: t } }));
  return tab;
}

/**
 * A form's send: busy while it runs, the server's message kept in `error` (the form keeps its input),
 * and on success a toast and `then` (usually an emit to the page).
 */
export function useAction(success: string, then: () => void) {
  const busy = ref(false);
  const error = ref("");
  async function run(send: () => Promise<unknown>) {
    busy.value = true;
    error.value = "";
    try {
      await send();
      void MessagePlugin.success(success);
      then();
    } catch (e) {
      error.value = (e as ApiError).message;
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, run };
}
