// The one way client components read the API: SWR caches, de-duplicates, polls and revalidates
// (mutate) a GET, and fetchJson checks the answer against its response schema.
import useSWR, { type SWRConfiguration } from "swr";
import type { z } from "zod";
import { fetchJson, type ApiRequestError } from "./client";

type UseApiConfig<T> = SWRConfiguration<T, ApiRequestError> & {
  /** The URL to request for `path` at the moment of each fetch (e.g. a "last hour" bound); `path` stays the cache key. */
  urlAtFetch?: (path: string) => string;
};

/** Reads `path` (null: not yet) as `schema` says; pass `refreshInterval` to poll, call `mutate()` after a change. */
export function useApi<S extends z.ZodType>(path: string | null, schema: S, { urlAtFetch, ...config }: UseApiConfig<z.output<S>> = {}) {
  return useSWR<z.output<S>, ApiRequestError>(path, (key: string) => fetchJson(urlAtFetch ? urlAtFetch(key) : key, schema), {
    // Pages poll what changes on their own; a refetch on every window focus would only add load.
    revalidateOnFocus: false,
    // SWR reuses an answer younger than this instead of asking again: shorter than the fastest poll (700 ms).
    dedupingInterval: 500,
    ...config,
  });
}
