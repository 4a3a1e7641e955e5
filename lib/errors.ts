// Errors domain code in lib/ throws for its callers: a code to branch on and a message a user can
// act on. lib/api/errors.ts is the one place that turns codes into HTTP statuses.
export type AppErrorCode = "not_found" | "conflict" | "unprocessable" | "not_published" | "invalid_cursor";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const conflict = (message: string, details?: unknown) => new AppError("conflict", message, details);
export const unprocessable = (message: string, details?: unknown) => new AppError("unprocessable", message, details);
