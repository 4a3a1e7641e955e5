// The one wrapper every /api/v1 route uses: resolves the caller (session or API key), refuses
// cross-site writes with a session cookie, checks the permission the route needs, parses input,
// maps errors to JSON. Routes stay thin.
import type { z } from "zod";
import { resolveCaller, type Caller } from "@/lib/auth/caller";
import { assertSameOriginJson } from "@/lib/auth/check-same-origin";
import { roleCan, type Permission } from "@/lib/auth/roles";
import { getDatabase, type Database } from "@/lib/db";
import { ApiError, errorResponse } from "./errors";

export interface RouteContext<P> {
  req: Request;
  caller: Caller;
  db: Database;
  params: P;
}

type RouteHandler<P> = (ctx: RouteContext<P>) => Promise<unknown>;

export function apiRoute<P extends Record<string, string> = Record<string, never>>(
  permission: Permission,
  handler: RouteHandler<P>,
) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const db = await getDatabase();
      const result = await resolveCaller(db, req.headers);
      if (!result.ok) throw unauthenticated(result.reason);
      if (result.caller.via === "session") assertSameOriginJson(req);
      if (!roleCan(result.caller.role, permission)) {
        throw new ApiError(403, "forbidden", `Your role (${result.caller.role}) cannot ${permission === "read" ? "read" : "change"} this`);
      }
      const value = await handler({ req, caller: result.caller, db, params: await context.params });
      if (value instanceof Response) return value;
      if (value === undefined) return new Response(null, { status: 204 });
      return Response.json(value);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

function unauthenticated(reason: "unauthenticated" | "invalid_api_key" | "no_workspace") {
  if (reason === "invalid_api_key") return new ApiError(401, "invalid_api_key", "The API key is unknown, revoked or expired");
  if (reason === "no_workspace") return new ApiError(403, "no_workspace", "You are not a member of any workspace yet; accept an invitation first");
  return new ApiError(401, "unauthenticated", "Sign in or send an API key as Authorization: Bearer <key>");
}

/** Parses a JSON body against a schema; malformed JSON and schema violations become 400s. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    const text = await req.text();
    body = text ? JSON.parse(text) : {};
  } catch (error) {
    throw new ApiError(400, "invalid_json", `Request body is not valid JSON: ${(error as Error).message}`);
  }
  return schema.parse(body);
}

/** Parses query parameters against a schema. */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  return schema.parse(Object.fromEntries(new URL(req.url).searchParams));
}

export function created(body: unknown): Response {
  return Response.json(body, { status: 201 });
}
