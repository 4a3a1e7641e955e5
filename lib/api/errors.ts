// JSON errors of the REST API: `{ error: { code, message, details? } }` with a fitting status.
import { ZodError } from "zod";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
export const conflict = (message: string, details?: unknown) => new ApiError(409, "conflict", message, details);
export const unprocessable = (message: string, details?: unknown) => new ApiError(422, "unprocessable", message, details);

export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) {
    return Response.json(
      { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } },
      { status: error.status },
    );
  }
  if (error instanceof ZodError) {
    return Response.json(
      {
        error: {
          code: "validation_failed",
          message: error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
          details: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        },
      },
      { status: 400 },
    );
  }
  console.error("[api] unexpected error:", error);
  return Response.json({ error: { code: "internal_error", message: "Internal server error" } }, { status: 500 });
}
