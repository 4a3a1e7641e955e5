// Unique-constraint violations look different through Prisma (P2002) and the pg driver (23505).
export function isUniqueViolation(error: unknown): boolean {
  const err = error as { code?: string; message?: string; cause?: { code?: string } } | null;
  return err?.code === "P2002" || err?.code === "23505" || err?.cause?.code === "23505" || /duplicate key value violates unique constraint/.test(err?.message ?? "");
}
