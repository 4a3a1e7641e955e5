import { z } from "zod";

/**
 * A moment in a response: the server hands in a Date, the browser receives the ISO string JSON
 * carries; both come out as that string, so a page can pass server data to a client component
 * through the same schema the browser validates the API's answer with.
 */
export const timestamp = z.union([z.date(), z.iso.datetime()]).transform((value) => (typeof value === "string" ? value : value.toISOString()));
