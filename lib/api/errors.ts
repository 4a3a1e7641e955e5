// JSON errors of the REST API: `{ error: { code, message, details? } }` with a fitting status.
// Domain errors (lib/errors.ts) carry only a code; ApiError is for what the HTTP layer itself refuses.
import { ZodError } from "zod";
import { AppError, type AppErrorCode } from "@/lib/errors";

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

// Domain errors from lib/ carry a code; this is the one place that turns codes into statuses.
const DOMAIN_CODE_STATUS: Record<AppErrorCode | "invalid_request" | "invalid_flow" | "no_manual_trigger", number> = {
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  invalid_request: 400,
  not_published: 409,
  no_manual_trigger: 409,
  invalid_flow: 422,
  invalid_cursor: 400,
};
// Older domain errors of their own class, recognized by name (their codes are in the table above).
const DOMAIN_ERRORS = new Set(["RunControlError", "StartRunError", "CredentialInputError"]);

function fromDomainError(error: unknown): ApiError | null {
  if (error instanceof AppError) return new ApiError(DOMAIN_CODE_STATUS[error.code], error.code, error.message, error.details);
  if (!(error instanceof Error) || !DOMAIN_ERRORS.has(error.name)) return null;
  const { code, issues, field } = error as Error & { code?: string; issues?: unknown[]; field?: string };
  const status = (code && DOMAIN_CODE_STATUS[code as keyof typeof DOMAIN_CODE_STATUS]) || (code === undefined && /not found/.test(error.message) ? 404 : 400);
  const details = issues?.length ? { issues } : field ? { field } : undefined;
  return new ApiError(status, code ?? "invalid_request", error.message, details);
}

export function errorResponse(error: unknown): Response {
  error = fromDomainError(error) ?? error;
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
