/** The small typed client the bot reaches the server with; it never touches the database. */

export interface StoreInfo {
  id: number;
  name: string;
  address: string;
  phone: string;
}

export interface ServiceInfo {
  id: number;
  name: string;
  durationMinutes: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClient {
  listStores(): Promise<StoreInfo[]>;
  listServiceTypes(): Promise<ServiceInfo[]>;
}

export function createApiClient(baseUrl: string): ApiClient {
  async function get<T>(path: string): Promise<T> {
    const res = await fetch(baseUrl + path, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as T & { error?: { code: string; message: string } };
    if (!res.ok) throw new ApiError(res.status, body.error?.code ?? "UNKNOWN", body.error?.message ?? `HTTP ${res.status}`);
    return body;
  }
  return {
    listStores: () => get<StoreInfo[]>("/api/v1/stores"),
    listServiceTypes: () => get<ServiceInfo[]>("/api/v1/service-types"),
  };
}
